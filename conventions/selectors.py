"""Reading conventions: which a resident sees, which staff see, the text of a version by
theme, the user's people with their signatures, and the comments. Every read is a fixed
number of queries. The figures of signing are in ``figures``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User
from areas.models import ancestor_paths
from common.scope import Capability, Scope, get_or_404
from conventions import signing
from conventions.models import (
    SIGNING_STATES,
    VISIBLE_STATES,
    Clause,
    ClauseComment,
    Convention,
    ConventionVersion,
    Signature,
    VersionState,
)
from registry.models import Resident
from registry.selectors import people_of

# --- Who sees which convention ---------------------------------------------------------------


def overlapping(scope: Scope) -> Q:
    """Conventions whose area overlaps the scope's: under it (a worker's committee) or above
    it (a building leader's group inside a committee-wide convention)."""
    if not scope.path:
        return Q(pk__in=[])
    return Q(area__path__startswith=scope.path) | Q(area__path__in=ancestor_paths(scope.path))


def is_staff_for(scope: Scope, convention: Convention) -> bool:
    """Staff who manage conventions or record signatures, in an area that overlaps the
    convention's (a worker's committee holds it; a building leader's group lies in it)."""
    if not (scope.can(Capability.MANAGE_CONVENTIONS) or scope.can(Capability.RECORD_SIGNATURES)):
        return False
    mine, its = scope.path or "", convention.area.path
    return bool(mine) and (its.startswith(mine) or mine.startswith(its))


def for_staff(scope: Scope) -> QuerySet[Convention]:
    """The conventions staff of the scope work on, newest first."""
    return (
        Convention.objects.filter(overlapping(scope))
        .select_related("area", "committee")
        .order_by("-created_at", "-pk")
    )


def home_paths(user: User, people: Iterable[Resident] | None = None) -> list[str]:
    """Where the user's people live (their buildings), or the user's home area when the
    registry does not know them yet."""
    people = people_of(user) if people is None else people
    paths = sorted({p.household.building.path for p in people})
    if not paths and user.is_authenticated and user.home_area is not None:
        paths = [user.home_area.path]
    return paths


def _reaching(paths: Iterable[str]) -> Q:
    """Conventions for an area at or above one of ``paths``."""
    wanted = set()
    for path in paths:
        wanted.update([*ancestor_paths(path), path])
    return Q(area__path__in=sorted(wanted)) if wanted else Q(pk__in=[])


def reaches(convention: Convention, paths: Iterable[str]) -> bool:
    return any(path.startswith(convention.area.path) for path in paths)


@dataclass
class Entry:
    """A convention as a resident's list shows it."""

    convention: Convention
    shown: ConventionVersion  # the version on the wall, else the newest residents may read
    consulting: ConventionVersion | None  # a version in consultation, if any
    signed: list[str] = field(default_factory=list)  # the user's people who have signed ``shown``


def visible_to(
    user: User, scope: Scope, convention_id: int, missing: str = ""
) -> tuple[Convention, list[ConventionVersion], bool]:
    """The convention, the versions this user may read and whether they read it as staff:
    staff of its area every version; residents of its area (or those acting for one) from
    consultation on; others a 404 saying ``missing``. The page and the API both ask here."""
    convention = get_or_404(Convention.objects.select_related("area", "committee"), missing, pk=convention_id)
    versions = list(convention.versions.order_by("number"))
    for version in versions:
        version.convention = convention
    if is_staff_for(scope, convention):
        return convention, versions, True
    versions = [v for v in versions if v.state in VISIBLE_STATES]
    if not versions or not reaches(convention, home_paths(user)):
        raise Http404(missing)
    return convention, versions, False


def version_named(versions: list[ConventionVersion], wanted: str) -> ConventionVersion:
    """The version numbered ``wanted`` (``?version=N`` or a form's), else the default; a 404
    when there is none such."""
    if str(wanted).isdigit():
        found = next((v for v in versions if v.number == int(wanted)), None)
    else:
        found = default_version(versions)
    if found is None:
        raise Http404
    return found


def default_version(versions: list[ConventionVersion]) -> ConventionVersion | None:
    """What a convention's page opens on: the published text, else the newest."""
    published = [v for v in versions if v.state == VersionState.PUBLISHED]
    if published:
        return published[0]
    return max(versions, key=lambda v: v.number) if versions else None


def signing_version(versions: list[ConventionVersion]) -> ConventionVersion | None:
    """The newest text open for signing (an amendment's final text before the published one)."""
    return max((v for v in versions if v.state in SIGNING_STATES), key=lambda v: v.number, default=None)


def conventions_for(user: User) -> list[Entry]:
    """The conventions of the user's homes and those of the people they act for, from
    consultation on, each with who of them has signed: four queries."""
    people = people_of(user)
    paths = home_paths(user, people)
    if not paths:
        return []
    conventions = list(
        Convention.objects.filter(_reaching(paths))
        .select_related("area", "committee")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ConventionVersion.objects.filter(state__in=VISIBLE_STATES).order_by("number"),
                to_attr="visible",
            )
        )
        .order_by("-created_at", "-pk")
    )
    conventions = [c for c in conventions if c.visible]
    shown = {c.pk: default_version(c.visible) for c in conventions}
    live = Signature.objects.filter(
        version__in=[v.pk for v in shown.values() if v is not None],
        withdrawn_at__isnull=True,
        key__in=_keys(people),
    ).values_list("version_id", "key")
    signed_keys: dict[int, set[str]] = {}
    for version_id, key in live:
        signed_keys.setdefault(version_id, set()).add(key)
    entries = []
    for convention in conventions:
        version = shown[convention.pk]
        assert version is not None
        keys = signed_keys.get(version.pk, set())
        names = [p.name for p in people if convention.key_for(p) in keys]
        consulting = next((v for v in convention.visible if v.state == VersionState.CONSULTATION), None)
        entries.append(Entry(convention, version, consulting, names))
    return entries


def _keys(people: Iterable[Resident]) -> list[str]:
    keys = set()
    for person in people:
        keys.update({f"r:{person.pk}", f"h:{person.household_id}"})
    return sorted(keys)


# --- One version -----------------------------------------------------------------------------


def clauses_of(version: ConventionVersion) -> list[Clause]:
    """In order, each with ``comment_count``: one query."""
    return list(version.clauses.annotate(comment_count=Count("comments")).order_by("order", "pk"))


@dataclass
class Theme:
    name: str
    clauses: list[Clause]


def by_theme(clauses: list[Clause]) -> list[Theme]:
    """Clauses under their themes, themes in the order they first appear, numbering unchanged."""
    themes: dict[str, Theme] = {}
    for clause in clauses:
        themes.setdefault(clause.theme, Theme(clause.theme, [])).clauses.append(clause)
    return list(themes.values())


@dataclass
class PersonRow:
    """One of the user's people on a convention's page."""

    person: Resident
    signature: Signature | None  # the live one that counts for them (their household's, maybe)
    problem: str  # why they may not sign now; "" if they may (or have signed)
    comment_problem: str


def people_rows(user: User, version: ConventionVersion) -> list[PersonRow]:
    """The user's people the convention is for, each signed or not: two queries."""
    people = [
        p for p in people_of(user) if p.household.building.path.startswith(version.convention.area.path)
    ]
    live = {
        s.key: s
        for s in Signature.objects.filter(
            version=version, withdrawn_at__isnull=True, key__in=_keys(people)
        ).select_related("resident")
    }
    rows = []
    for person in people:
        found = live.get(version.convention.key_for(person))
        problem = (
            "" if found else signing.state_problem(version) or signing.residence_problem(version, person)
        )
        rows.append(PersonRow(person, found, problem, signing.comment_problem(version, person)))
    return rows


def own_comments(user: User, version: ConventionVersion) -> dict[int, list[ClauseComment]]:
    """What the user (for themself or the people they act for) has written, by clause."""
    people = [p.pk for p in people_of(user)]
    found: dict[int, list[ClauseComment]] = {}
    for item in (
        ClauseComment.objects.filter(clause__version=version, resident__in=people)
        .select_related("resident")
        .order_by("created_at", "pk")
    ):
        found.setdefault(item.clause_id, []).append(item)
    return found


def comments_of(version: ConventionVersion, scope: Scope) -> list[Clause]:
    """Every clause with the comments of residents in the scope, oldest first: two queries."""
    comments = (
        ClauseComment.objects.filter(scope.q("resident__household__building__path"))
        .select_related("resident__household__building", "written_by")
        .order_by("created_at", "pk")
    )
    return list(
        version.clauses.order_by("order", "pk").prefetch_related(
            Prefetch("comments", queryset=comments, to_attr="shown")
        )
    )
