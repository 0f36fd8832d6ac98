"""The area tree: city → district → street/town → committee → grid → building group → building.

The first four levels carry official division codes and come from ``import_divisions``;
committees add their own grids, building groups and buildings. Every area stores its
materialised ``path`` (``/3101/310106/310106019/310106019001/W1/``) so that a whole subtree
is one indexed ``path LIKE '<prefix>%'`` query on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.pinyin import pinyin_of
from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet


class AreaLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street / town")
    COMMITTEE = "committee", _("Committee")
    GRID = "grid", _("Grid")
    BUILDING_GROUP = "building_group", _("Building group")
    BUILDING = "building", _("Building")


OFFICIAL_LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMITTEE)
LOCAL_LEVELS = (AreaLevel.GRID, AreaLevel.BUILDING_GROUP, AreaLevel.BUILDING)
LEVEL_ORDER = {level: i for i, level in enumerate(AreaLevel.values)}

# Which level may sit under which: committees may skip grids, building groups may hold
# buildings directly under the committee or under a grid.
ALLOWED_PARENTS = {
    AreaLevel.CITY: (),
    AreaLevel.DISTRICT: (AreaLevel.CITY,),
    AreaLevel.STREET: (AreaLevel.DISTRICT,),
    AreaLevel.COMMITTEE: (AreaLevel.STREET,),
    AreaLevel.GRID: (AreaLevel.COMMITTEE,),
    AreaLevel.BUILDING_GROUP: (AreaLevel.COMMITTEE, AreaLevel.GRID),
    AreaLevel.BUILDING: (AreaLevel.BUILDING_GROUP,),
}
# The prefix of a local unit's code segment: W(ang)ge, L(ou)zu, B(uilding).
LOCAL_PREFIX: dict[str, str] = {AreaLevel.GRID: "W", AreaLevel.BUILDING_GROUP: "L", AreaLevel.BUILDING: "B"}


def local_child_levels(level: str) -> list[str]:
    """The committee-defined levels that may sit directly under an area of ``level``."""
    return [child for child in LOCAL_LEVELS if level in ALLOWED_PARENTS[child]]


def not_parts_of(committee: Area, areas: Iterable[Area]) -> list[Area]:
    """Those of ``areas`` that are not a grid, building group or building of ``committee``."""
    return [a for a in areas if not a.path.startswith(committee.path) or a.level not in LOCAL_LEVELS]


class CommitteeKind(models.TextChoices):
    """居委会 (urban residents' committee) or 村委会 (villagers' committee); the name says which."""

    RESIDENTS = "residents", _("Residents' committee")
    VILLAGERS = "villagers", _("Villagers' committee")
    OTHER = "other", _("Other community")


def reaches(path: str, committee: Area, chosen: Sequence[Area]) -> bool:
    """Whether the address at ``path`` lies in ``committee`` and, when areas are ``chosen``,
    under one of them: who an activity, a topic or a poll is for (none chosen: everyone)."""
    return path.startswith(committee.path) and (not chosen or any(path.startswith(a.path) for a in chosen))


def ancestor_paths(path: str) -> list[str]:
    """The paths of the areas above the one at ``path``, root first (the path spells them out)."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


class AreaQuerySet(AuditedQuerySet["Area"]):
    def active(self) -> AreaQuerySet:
        return self.filter(retired_at__isnull=True)

    def parts_of(self, committee: Area) -> AreaQuerySet:
        """The committee's active grids, building groups and buildings, in tree order."""
        return (
            self.subtree(committee, include_self=False)
            .active()
            .filter(level__in=LOCAL_LEVELS)
            .order_by("path")
        )

    def subtree(self, area: Area, include_self: bool = True) -> AreaQuerySet:
        """Everything under ``area``: one ``LIKE 'path%'`` query on an indexed column."""
        qs = self.filter(path__startswith=area.path)
        return qs if include_self else qs.exclude(pk=area.pk)

    def under_any(self, paths: list[str] | tuple[str, ...]) -> AreaQuerySet:
        q = Q()
        for path in paths:
            q |= Q(path__startswith=path)
        return self.filter(q) if paths else self.none()

    def search(self, text: str) -> AreaQuerySet:
        """By name, by code (prefix), by full pinyin or by pinyin initials."""
        text = text.strip()
        if not text:
            return self
        lowered = text.lower().replace(" ", "")
        q = Q(name__icontains=text) | Q(code__startswith=text)
        if lowered.isascii():
            q |= Q(pinyin__contains=lowered) | Q(initials__startswith=lowered)
        return self.filter(q)


class Area(AuditedModel):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=AreaLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    # Indexed for prefix search by a vendor-specific migration (see 0002_path_index).
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False)
    pinyin = models.CharField(_("pinyin"), max_length=255, blank=True, editable=False)
    initials = models.CharField(
        _("pinyin initials"), max_length=64, blank=True, db_index=True, editable=False
    )
    official = models.BooleanField(_("official division"), default=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    # Where a building stands on the committee's community map, in percent of the plan's
    # width and height from the top left; empty until someone places it.
    map_x = models.DecimalField(
        _("map position across"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    map_y = models.DecimalField(_("map position down"), max_digits=4, decimal_places=1, null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AreaQuerySet.as_manager()  # type: ignore[assignment, misc]  # an AuditedQuerySet of its own

    # The lookup from this model to an area path, used by accounts.scope.
    scope_path = "path"

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        indexes = [models.Index(fields=["parent", "sort_order"], name="area_children")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.fill_derived()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("areas:detail", args=[self.code])

    @property
    def is_committee(self) -> bool:
        """A residents' (or villagers') committee: what a committee role is held over."""
        return self.level == AreaLevel.COMMITTEE

    @property
    def is_grid(self) -> bool:
        return self.level == AreaLevel.GRID

    @property
    def is_building_group(self) -> bool:
        """A 楼组: the unit building leaders are appointed over."""
        return self.level == AreaLevel.BUILDING_GROUP

    @property
    def holds_building_groups(self) -> bool:
        """A committee or a grid: the levels a building group may sit under."""
        return self.level in ALLOWED_PARENTS[AreaLevel.BUILDING_GROUP]

    @property
    def is_on_community_map(self) -> bool:
        """A committee or a unit inside it above a building: its committee's map shows it."""
        return self.is_committee or self.holds_building_groups or self.is_building_group

    def fill_derived(self, parent: Area | None = None) -> None:
        """Path, depth and pinyin follow from the parent, code and name."""
        parent = parent or self.parent
        prefix = parent.path if parent else "/"
        self.path = f"{prefix}{self.segment}/"
        self.depth = parent.depth + 1 if parent else 0
        self.pinyin, self.initials = pinyin_of(self.name)

    @property
    def segment(self) -> str:
        """This area's own part of the path: its official code, or its local code."""
        return self.code if self.official else self.code.rsplit(".", 1)[-1]

    @property
    def committee_kind(self) -> str:
        """居委会 or 村委会, read from the official name ("…村委会", "…村民委员会")."""
        if self.level != AreaLevel.COMMITTEE:
            return ""
        if self.name.endswith(("村委会", "村民委员会")):
            return CommitteeKind.VILLAGERS
        if self.name.endswith(("居委会", "居民委员会")):
            return CommitteeKind.RESIDENTS
        return CommitteeKind.OTHER

    def get_committee_kind_display(self) -> str:
        kind = self.committee_kind
        return str(CommitteeKind(kind).label) if kind else ""

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def ancestors(self) -> AreaQuerySet:
        """Root first; one query on the codes the path already holds."""
        if self.official:
            codes = self.path.strip("/").split("/")[:-1]
            return Area.objects.filter(code__in=codes).order_by("depth")
        return Area.objects.filter(path__in=self.ancestor_paths()).order_by("depth")

    def ancestor_paths(self) -> list[str]:
        return ancestor_paths(self.path)

    def retire(self) -> None:
        self.retired_at = timezone.now()
        self.save(update_fields=["retired_at", "updated_at"])


class ChosenArea(AuditedModel):
    """One of the areas something is put to (an activity, a topic, a poll, a notice): the
    residents under any of them; none chosen, the whole committee (see ``reaches``).
    A concrete subclass adds the foreign key to its owner, named by ``owner``."""

    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("area"))

    owner: ClassVar[str]

    class Meta:
        abstract = True

    @classmethod
    def choose(cls, owner: models.Model, areas: Iterable[Area]) -> None:
        """Make ``areas`` the owner's chosen areas: those no longer chosen go, the new come."""
        wanted = {a.pk for a in areas}
        rows = cls._default_manager.filter(**{cls.owner: owner})
        rows.exclude(area_id__in=wanted).delete()
        have = set(rows.values_list("area_id", flat=True))
        cls._default_manager.bulk_create(
            [cls(**{cls.owner: owner}, area_id=pk) for pk in sorted(wanted - have)]
        )
