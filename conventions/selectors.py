"""Reading conventions: which a resident sees, which staff see, the text of a version, who
has signed, and the figures per building (residents or households who may sign, signed
online, signed on paper, the rate). Every read is a fixed number of queries.

The figures of any area are counted per building in one grouped query per table, then summed
by path prefix in Python, the way the registry's figures are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import User
from accounts.roles import Capability
from accounts.scope import Scope
from activities.selectors import people_of
from areas.models import Area, Level, ancestor_paths
from conventions import signing
from conventions.models import (
    OPEN_STATES,
    SIGNING_STATES,
    VISIBLE_STATES,
    Clause,
    ClauseComment,
    Convention,
    ConventionVersion,
    Signature,
    State,
    Via,
)
from registry.models import Household, Resident, Status

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


def default_version(versions: list[ConventionVersion]) -> ConventionVersion | None:
    """What a convention's page opens on: the published text, else the newest."""
    published = [v for v in versions if v.state == State.PUBLISHED]
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
        consulting = next((v for v in convention.visible if v.state == State.CONSULTATION), None)
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


# --- Figures ---------------------------------------------------------------------------------


@dataclass
class Figures:
    """Under one building (or in total): who may sign, who has signed and how."""

    area: Area | None
    eligible: int = 0  # living residents, or households with one, as the convention counts
    online: int = 0  # themself or through a family member
    paper: int = 0

    @property
    def signed(self) -> int:
        return self.online + self.paper

    @property
    def rate(self) -> float | None:
        return self.signed / self.eligible if self.eligible else None

    @property
    def percent(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate * 100:.0f}%"


@dataclass
class Report:
    total: Figures
    buildings: list[Figures]


def base_path(convention: Convention, scope: Scope | None) -> str | None:
    """Where the figures are counted: the convention's area, narrowed to the scope's."""
    area_path = convention.area.path
    if scope is None:
        return area_path
    if not scope.path:
        return None
    if area_path.startswith(scope.path):
        return area_path
    if scope.path.startswith(area_path):
        return scope.path
    return None


def _under(lookup: str, paths: Iterable[str]) -> Q:
    q = Q(pk__in=[])
    for path in set(paths):
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def eligible_by_building(paths: Iterable[str]) -> dict[str, tuple[int, int]]:
    """{building path: (living residents, households with one)} under any of ``paths``."""
    rows = (
        Resident.objects.filter(
            _under("household__building__path", paths), status=Status.LIVING, anonymised_at__isnull=True
        )
        .values_list("household__building__path")
        .annotate(people=Count("pk"), doors=Count("household", distinct=True))
        .order_by()
    )
    return {path: (people, doors) for path, people, doors in rows}


def signed_by_building(versions: Iterable[int], paths: Iterable[str]) -> dict[tuple[int, str, str], int]:
    """{(version id, building path, via): live signatures} whose signer still counts: a living
    resident, or for a household, a household where someone still lives."""
    someone_lives = Resident.objects.filter(
        household=OuterRef("household"), status=Status.LIVING, anonymised_at__isnull=True
    )
    counts = Q(
        version__convention__per_household=False,
        resident__status=Status.LIVING,
        resident__anonymised_at__isnull=True,
    ) | Q(version__convention__per_household=True, occupied=True)
    rows = (
        Signature.objects.filter(version__in=list(versions), withdrawn_at__isnull=True)
        .filter(_under("household__building__path", paths))
        .annotate(occupied=Exists(someone_lives))
        .filter(counts)
        .values_list("version_id", "household__building__path", "via")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(version_id, path, via): n for version_id, path, via, n in rows}


def _add(figures: Figures, per_household: bool, eligible: tuple[int, int], signed: dict[str, int]) -> None:
    figures.eligible += eligible[1] if per_household else eligible[0]
    figures.paper += signed.get(Via.PAPER, 0)
    figures.online += signed.get(Via.ONLINE, 0) + signed.get(Via.PROXY, 0)


def report(version: ConventionVersion, scope: Scope | None = None) -> Report:
    """Per building under the convention's area (and the scope), and in total: three queries."""
    convention = version.convention
    base = base_path(convention, scope)
    total = Figures(None)
    if base is None:
        return Report(total, [])
    buildings = list(
        Area.objects.filter(level=Level.BUILDING, path__startswith=base).active().order_by("path")
    )
    eligible = eligible_by_building([base])
    signed: dict[str, dict[str, int]] = {}
    for (_version, path, via), n in signed_by_building([version.pk], [base]).items():
        signed.setdefault(path, {})[via] = n
    rows = {b.path: Figures(b) for b in buildings}
    for path in eligible.keys() | signed.keys():
        row = rows.get(path) or rows.setdefault(path, Figures(None))
        _add(row, convention.per_household, eligible.get(path, (0, 0)), signed.get(path, {}))
        _add(total, convention.per_household, eligible.get(path, (0, 0)), signed.get(path, {}))
    return Report(total, [r for r in rows.values() if r.area is not None])


# --- Staff lists -----------------------------------------------------------------------------


@dataclass
class Row:
    """A convention in the staff list: its versions in play and the signing figures."""

    convention: Convention
    current: ConventionVersion | None  # published, else the newest
    pending: ConventionVersion | None  # a draft, consultation or final text on its way
    figures: Figures


def staff_rows(conventions: list[Convention], scope: Scope) -> list[Row]:
    """Each convention with its versions and the figures of the version being signed, within
    the scope: three queries, however many conventions and buildings."""
    versions: dict[int, list[ConventionVersion]] = {}
    for version in ConventionVersion.objects.filter(convention__in=[c.pk for c in conventions]).exclude(
        state=State.SUPERSEDED
    ):
        versions.setdefault(version.convention_id, []).append(version)
    bases = {c.pk: base_path(c, scope) for c in conventions}
    paths = [p for p in bases.values() if p]
    eligible = eligible_by_building(paths) if paths else {}
    signing_versions = {c.pk: signing_version(versions.get(c.pk, [])) for c in conventions}
    signed = signed_by_building([v.pk for v in signing_versions.values() if v], paths) if paths else {}
    rows = []
    for convention in conventions:
        mine = versions.get(convention.pk, [])
        base = bases[convention.pk]
        figures = Figures(convention.area)
        signer = signing_versions[convention.pk]
        if base:
            for path, counts in eligible.items():
                if path.startswith(base):
                    _add(figures, convention.per_household, counts, {})
            if signer is not None:
                for (version_id, path, via), n in signed.items():
                    if version_id == signer.pk and path.startswith(base):
                        _add(figures, convention.per_household, (0, 0), {via: n})
        rows.append(
            Row(
                convention,
                default_version(mine),
                next((v for v in mine if v.state in OPEN_STATES), None),
                figures,
            )
        )
    return rows


@dataclass
class SignerRow:
    """A line of the paper-signature list: a resident, or a household with its members."""

    household: Household
    resident: Resident | None  # None when the convention counts households
    members: list[Resident]
    signature: Signature | None

    @property
    def signer(self) -> Resident:
        return self.resident or self.members[0]


def signer_list(version: ConventionVersion, scope: Scope, building: Area) -> list[SignerRow]:
    """Everyone in ``building`` (within the scope and the convention's area) who may sign, each
    with the live signature that counts for them: two queries."""
    convention = version.convention
    base = base_path(convention, scope)
    if base is None or not (building.path.startswith(base) or base.startswith(building.path)):
        return []
    under = building.path if building.path.startswith(base) else base
    people = list(
        Resident.objects.filter(
            household__building__path__startswith=under, status=Status.LIVING, anonymised_at__isnull=True
        )
        .select_related("household__building")
        .order_by("household__building__path", "household__sort_key", "pk")
    )
    live = {
        s.key: s
        for s in Signature.objects.filter(
            version=version, withdrawn_at__isnull=True, household__building__path__startswith=under
        ).select_related("resident", "recorded_by")
    }
    if not convention.per_household:
        return [SignerRow(p.household, p, [p], live.get(f"r:{p.pk}")) for p in people]
    doors: dict[int, SignerRow] = {}
    for person in people:
        row = doors.get(person.household_id)
        if row is None:
            row = doors[person.household_id] = SignerRow(
                person.household, None, [], live.get(f"h:{person.household_id}")
            )
        row.members.append(person)
    return list(doors.values())


def buildings_for(version: ConventionVersion, scope: Scope) -> list[Area]:
    """The buildings whose list the scope may open for this convention."""
    base = base_path(version.convention, scope)
    if base is None:
        return []
    return list(Area.objects.filter(level=Level.BUILDING, path__startswith=base).active().order_by("path"))
