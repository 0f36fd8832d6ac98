"""Keeping sites and spaces: create, change, close or archive; a space's weekly hours,
closures, audience rules, teams' priority slots and photos.

Staff with ``Capability.MANAGE_SPACES`` over the area do this (``spaces.rules``). Each
service takes the fields as a form or the API cleaned them and checks what a form cannot:
the scope, a team's area, the registry's tags, opening hours that do not overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.scope import Scope
from common.uploads import photo_name, photo_problems, shown_name, store
from registry.models import Tag
from spaces import rules
from spaces.models import AudienceRule, Closure, OpeningHours, PrioritySlot, Site, Space, SpacePhoto
from volunteers.models import Team

MAX_PHOTOS = 8
SITE_FIELDS = ("name", "kind", "address", "about", "hours_note", "map_x", "map_y")
SPACE_FIELDS = (
    "site",
    "name",
    "kind",
    "about",
    "capacity",
    "size_m2",
    "equipment",
    "how_to_book",
    "bookable",
    "needs_approval",
    "open_to_residents",
    "open_to_teams",
    "open_to_partners",
    "book_days_ahead",
    "min_notice_hours",
    "max_hours",
    "map_x",
    "map_y",
)


def _refuse(scope: Scope, area) -> None:
    if not rules.manages_area(scope, area):
        raise PermissionDenied(_("Only the area's staff keep its sites and spaces."))


def _keep(scope: Scope, space: Space) -> None:
    if not rules.manages(scope, space):
        raise PermissionDenied(_("Only the area's staff keep its sites and spaces."))


def _apply(row, fields: dict[str, Any], names: Sequence[str]) -> None:
    for name in names:
        if name in fields:
            setattr(row, name, fields[name])


def _unique_name(model, area, name: str, exclude: int | None, live: dict[str, Any]) -> None:
    same = model.objects.filter(area=area, name=name, **live)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationError(
            {"name": _("%(area)s already has “%(name)s”.") % {"area": area.name, "name": name}}
        )


# --- Sites -----------------------------------------------------------------------------------


@transaction.atomic
def create_site(user: User, area, fields: dict[str, Any], *, scope: Scope) -> Site:
    """A new site (an office, a service point, a centre, an outdoor area) of ``area``."""
    _refuse(scope, area)
    _unique_name(Site, area, fields["name"], None, {"closed_at__isnull": True})
    site = Site(area=area)
    _apply(site, fields, SITE_FIELDS)
    site.save()
    return site


@transaction.atomic
def change_site(user: User, site: Site, fields: dict[str, Any], *, scope: Scope) -> Site:
    _refuse(scope, site.area)
    _unique_name(Site, site.area, fields.get("name", site.name), site.pk, {"closed_at__isnull": True})
    _apply(site, fields, SITE_FIELDS)
    site.save()
    return site


@transaction.atomic
def close_site(user: User, site: Site, *, scope: Scope) -> Site:
    """A site no longer used: its current spaces must be archived or moved first."""
    _refuse(scope, site.area)
    if site.closed_at is not None:
        raise ValidationError(_("%(site)s is already closed.") % {"site": site.name})
    left = list(site.spaces.current().values_list("name", flat=True))
    if left:
        raise ValidationError(_("Archive or move its spaces first: %(names)s.") % {"names": ", ".join(left)})
    site.closed_at = timezone.now()
    site.save(update_fields=["closed_at"])
    return site


# --- Spaces ----------------------------------------------------------------------------------


def _check_space(space: Space) -> None:
    if space.site is not None and space.site.area_id != space.area_id:
        raise ValidationError({"site": _("The site must be of the same committee or street as the space.")})
    if space.site is not None and space.site.closed_at is not None:
        raise ValidationError({"site": _("%(site)s is closed.") % {"site": space.site.name}})


@transaction.atomic
def create_space(user: User, area, fields: dict[str, Any], *, scope: Scope) -> Space:
    _refuse(scope, area)
    _unique_name(Space, area, fields["name"], None, {"archived_at__isnull": True})
    space = Space(area=area)
    _apply(space, fields, SPACE_FIELDS)
    _check_space(space)
    space.save()
    return space


@transaction.atomic
def change_space(user: User, space: Space, fields: dict[str, Any], *, scope: Scope) -> Space:
    """Change a space; its bookings stay as they are (staff cancel one that no longer fits)."""
    _keep(scope, space)
    _unique_name(Space, space.area, fields.get("name", space.name), space.pk, {"archived_at__isnull": True})
    _apply(space, fields, SPACE_FIELDS)
    _check_space(space)
    space.save()
    return space


@transaction.atomic
def archive_space(user: User, space: Space, *, scope: Scope) -> Space:
    """No longer offered: it leaves the public page; its live bookings to come must be
    cancelled first, so nobody turns up at a closed door."""
    _keep(scope, space)
    if space.archived_at is not None:
        raise ValidationError(_("%(space)s is already archived.") % {"space": space.name})
    coming = space.bookings.live().filter(ends_at__gt=timezone.now()).count()
    if coming:
        raise ValidationError(
            _("%(space)s has %(n)d bookings to come; cancel them first.") % {"space": space.name, "n": coming}
        )
    space.archived_at = timezone.now()
    space.save(update_fields=["archived_at"])
    return space


# --- Weekly hours and closures ------------------------------------------------------------------


@transaction.atomic
def set_hours(
    user: User, space: Space, week: dict[int, list[tuple[time, time]]], *, scope: Scope
) -> list[OpeningHours]:
    """The space's whole week at once: ``{0: [(8:00, 11:30), (14:00, 17:00)], …}`` (0 is
    Monday). A day's stretches may not overlap; a day not given is closed."""
    _keep(scope, space)
    for day, stretches in week.items():
        if not 0 <= day <= 6:
            raise ValidationError({"hours": _("A day of the week is 0 (Monday) to 6 (Sunday).")})
        ordered = sorted(stretches)
        for opens, closes in ordered:
            if closes <= opens:
                raise ValidationError({f"day_{day}": _("Each stretch must close after it opens.")})
        for (_o1, c1), (o2, _c2) in pairwise(ordered):
            if o2 < c1:
                raise ValidationError({f"day_{day}": _("The stretches of a day may not overlap.")})
    space.hours.all().delete()
    return OpeningHours.objects.bulk_create(
        [
            OpeningHours(space=space, weekday=day, opens=opens, closes=closes)
            for day, stretches in sorted(week.items())
            for opens, closes in sorted(stretches)
        ]
    )


@transaction.atomic
def add_closure(
    user: User, space: Space, starts_at: datetime, ends_at: datetime, reason: str, *, scope: Scope
) -> Closure:
    """A stretch when no booking may fall (a holiday, repairs). Bookings already made in it
    are not touched: the page lists them for staff to cancel with a reason."""
    _keep(scope, space)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it is closed: residents read it.")})
    return Closure.objects.create(
        space=space, starts_at=starts_at, ends_at=ends_at, reason=reason.strip()[:200], created_by=user
    )


@transaction.atomic
def remove_closure(user: User, closure: Closure, *, scope: Scope) -> None:
    _keep(scope, closure.space)
    closure.delete()


# --- Audience rules and priority slots -----------------------------------------------------------


def weekdays_text(days: Iterable[int]) -> str:
    return ",".join(str(d) for d in sorted(set(days)))


def _check_window(days: Iterable[int], starts: time, ends: time) -> None:
    if not list(days) or any(not 0 <= d <= 6 for d in days):
        raise ValidationError({"weekdays": _("Choose at least one day of the week.")})
    if ends <= starts:
        raise ValidationError({"ends": _("The end must come after the start.")})


@transaction.atomic
def add_audience_rule(
    user: User,
    space: Space,
    *,
    scope: Scope,
    days: Iterable[int],
    starts: time,
    ends: time,
    note: str,
    min_age: int | None = None,
    tags: Iterable[str] = (),
    free: bool = True,
) -> AudienceRule:
    """In a weekly window only residents aged ``min_age`` or more, or carrying one of the
    registry's ``tags``, may book (天山河畔's field: 55+ on weekday mornings)."""
    _keep(scope, space)
    days = list(days)
    _check_window(days, starts, ends)
    tags = [t for t in tags if t]
    unknown = [t for t in tags if t not in Tag.values]
    if unknown:
        raise ValidationError(
            {"tags": _("Not a tag of the registry: %(tags)s.") % {"tags": ", ".join(unknown)}}
        )
    if min_age is None and not tags:
        raise ValidationError({"min_age": _("Give an age, or a tag, that residents must have.")})
    if not note.strip():
        raise ValidationError(
            {"note": _("Write what residents are told, e.g. “weekdays 8:00–11:30, residents 55+ only”.")}
        )
    return AudienceRule.objects.create(
        space=space,
        weekdays=weekdays_text(days),
        starts=starts,
        ends=ends,
        min_age=min_age,
        tags=",".join(tags),
        free=free,
        note=note.strip()[:200],
    )


@transaction.atomic
def remove_audience_rule(user: User, rule: AudienceRule, *, scope: Scope) -> None:
    _keep(scope, rule.space)
    rule.delete()


@transaction.atomic
def add_priority_slot(
    user: User,
    space: Space,
    team: Team,
    *,
    scope: Scope,
    days: Iterable[int],
    starts: time,
    ends: time,
    release_hours: int = 48,
) -> PrioritySlot:
    """A weekly window ``team`` has first claim on until ``release_hours`` before it starts."""
    _keep(scope, space)
    days = list(days)
    _check_window(days, starts, ends)
    if team.dissolved_at is not None or not (
        team.area.path.startswith(space.area.path) or space.area.path.startswith(team.area.path)
    ):
        raise ValidationError(
            {"team": _("%(team)s is not a team of %(area)s.") % {"team": team.name, "area": space.area.name}}
        )
    if not 0 <= release_hours <= 24 * 30:
        raise ValidationError({"release_hours": _("Release it 0 to 720 hours before.")})
    return PrioritySlot.objects.create(
        space=space,
        team=team,
        weekdays=weekdays_text(days),
        starts=starts,
        ends=ends,
        release_hours=release_hours,
    )


@transaction.atomic
def remove_priority_slot(user: User, slot: PrioritySlot, *, scope: Scope) -> None:
    _keep(scope, slot.space)
    slot.delete()


# --- Photos ----------------------------------------------------------------------------------


def max_mb() -> int:
    return getattr(settings, "SPACES_MAX_PHOTO_MB", 10)


def check_photos(files: list[UploadedFile], already: int) -> list[str]:
    """Why these uploads may not be kept (one message each); [] if they may."""
    return photo_problems(
        files,
        already=already,
        most=MAX_PHOTOS,
        too_many=_("A space takes at most %(n)d photos."),
        max_mb=max_mb(),
    )


@transaction.atomic
def add_photos(user: User, space: Space, files: Iterable[UploadedFile], *, scope: Scope) -> list[SpacePhoto]:
    """Photos residents see on the public page: images only, all or none."""
    _keep(scope, space)
    files = list(files)
    if not files:
        raise ValidationError({"photos": _("Choose a photo.")})
    problems = check_photos(files, space.photos.count())
    if problems:
        raise ValidationError({"photos": problems})
    return store(
        (
            SpacePhoto(
                space=space,
                name=shown_name(upload),
                stored_name=photo_name(upload),
                size=upload.size or 0,
                added_by=user,
            ),
            upload,
        )
        for upload in files
    )


@transaction.atomic
def remove_photo(user: User, photo: SpacePhoto, *, scope: Scope) -> None:
    _keep(scope, photo.space)
    name = photo.file.name
    storage = photo.file.storage
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))
