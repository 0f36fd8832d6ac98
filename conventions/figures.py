"""The figures of signing: per building under a convention's area (residents or households
who may sign, signed online, signed on paper, the rate), the staff list's rates, and a
building's list to tick paper signatures. Each a fixed number of queries.

Counts are grouped per building in one query per table, then summed by path prefix in
Python, the way the registry's figures are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from areas.models import Area, AreaLevel
from common.scope import Scope
from conventions.models import (
    OPEN_STATES,
    Convention,
    ConventionVersion,
    Signature,
    SignatureVia,
    VersionState,
)
from conventions.selectors import default_version, signing_version
from registry.models import Household, Resident, living_q


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
        Resident.objects.living()
        .filter(_under("household__building__path", paths))
        .values_list("household__building__path")
        .annotate(people=Count("pk"), doors=Count("household", distinct=True))
        .order_by()
    )
    return {path: (people, doors) for path, people, doors in rows}


def signed_by_building(versions: Iterable[int], paths: Iterable[str]) -> dict[tuple[int, str, str], int]:
    """{(version id, building path, via): live signatures} whose signer still counts: a living
    resident, or for a household, a household where someone still lives."""
    someone_lives = Resident.objects.living().filter(household=OuterRef("household"))
    counts = Q(living_q("resident__"), version__convention__per_household=False) | Q(
        version__convention__per_household=True, occupied=True
    )
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
    figures.paper += signed.get(SignatureVia.PAPER, 0)
    figures.online += signed.get(SignatureVia.ONLINE, 0) + signed.get(SignatureVia.PROXY, 0)


def report(version: ConventionVersion, scope: Scope | None = None) -> Report:
    """Per building under the convention's area (and the scope), and in total: three queries."""
    convention = version.convention
    base = base_path(convention, scope)
    total = Figures(None)
    if base is None:
        return Report(total, [])
    buildings = list(
        Area.objects.filter(level=AreaLevel.BUILDING, path__startswith=base).active().order_by("path")
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
        state=VersionState.SUPERSEDED
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
        Resident.objects.living()
        .filter(household__building__path__startswith=under)
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
