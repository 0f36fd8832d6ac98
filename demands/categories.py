"""A committee's request categories and their service levels.

The city-wide defaults (the six services for the elderly, 助洁 助餐 助急 助医 助行 助乐, and
the everyday ones) are offered by every committee. A committee's staff may add their own,
set a different service level for a default (a ``CategorySetting``), and retire a
category they no longer offer: retiring never deletes, so the requests filed under it
keep their category; a retired one can be offered again.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from audit.services import record
from common.scope import Capability, Scope
from demands.models import Category, CategorySetting

MAX_HOURS = 24 * 90  # a service level longer than a quarter is not a service level

# The city-wide defaults: name, service level in hours, a service for the elderly. Migration
# demands/0002 wrote them when the database was made (it keeps a frozen copy of its own).
DEFAULTS = [
    ("助急", 4, True),
    ("助医", 24, True),
    ("助餐", 48, True),
    ("助洁", 72, True),
    ("助行", 72, True),
    ("助乐", 120, True),
    ("物业报修", 72, False),
    ("环境卫生", 48, False),
    ("邻里纠纷", 72, False),
    ("安全隐患", 24, False),
    ("停车管理", 72, False),
    ("政策咨询", 120, False),
    ("其他", 120, False),
]


def ensure_defaults() -> int:
    """Write whichever city-wide default categories are missing (a database emptied since its
    migrations ran, such as after a test that flushes it); how many were written."""
    written = 0
    for position, (name, hours, elderly) in enumerate(DEFAULTS, start=1):
        _category, created = Category.objects.get_or_create(
            committee=None,
            name=name,
            defaults={"service_hours": hours, "elderly": elderly, "position": position},
        )
        written += created
    return written


def committee_in(scope: Scope) -> Area:
    """The committee a staff action belongs to: the scope's own area, which must be one."""
    if not scope.can(Capability.HANDLE_DEMANDS):
        raise PermissionDenied(_("Your active role may not handle residents' requests."))
    return scope.committee(_("Categories and projects belong to a committee; act in a committee role."))


def with_hours(categories: QuerySet[Category], committee: Area) -> QuerySet[Category]:
    """Annotates ``hours`` (the committee's service level) and ``retired`` (for it)."""
    own = CategorySetting.objects.filter(committee=committee, category=OuterRef("pk"))
    return categories.annotate(
        hours=Coalesce(Subquery(own.values("service_hours")[:1]), F("service_hours")),
        retired_here=Subquery(own.values("retired_at")[:1]),
    )


def all_categories(committee: Area) -> QuerySet[Category]:
    """Every category the committee has or could offer, retired ones included (settings page)."""
    return with_hours(
        Category.objects.filter(Q(committee=committee) | Q(committee__isnull=True)), committee
    ).order_by(F("committee").asc(nulls_first=True), "position", "name", "pk")


def offered(committee: Area) -> QuerySet[Category]:
    """The active categories of ``committee``: its own and the defaults it has not retired."""
    return (
        all_categories(committee)
        .filter(retired_at__isnull=True)
        .filter(Q(committee=committee) | Q(retired_here__isnull=True))
    )


def hours_for(category: Category, committee: Area) -> int:
    hours = getattr(category, "hours", None)
    if hours is not None:
        return int(hours)
    setting = CategorySetting.objects.filter(committee=committee, category=category).first()
    if setting is not None and setting.service_hours:
        return setting.service_hours
    return category.service_hours


def is_offered(category: Category, committee: Area) -> bool:
    return offered(committee).filter(pk=category.pk).exists()


def _check(name: str, hours: int | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = [_("Give the category a name.")]
    elif len(name.strip()) > 40:
        problems["name"] = [_("A category name has at most 40 characters.")]
    if hours is None or not 1 <= hours <= MAX_HOURS:
        problems["service_hours"] = [
            _("The service level is between 1 and %(max)d hours.") % {"max": MAX_HOURS}
        ]
    return problems


@transaction.atomic
def add_category(*, scope: Scope, name: str, service_hours: int, elderly: bool = False) -> Category:
    """A category of the committee's own; its name must differ from the others it offers."""
    committee = committee_in(scope)
    name = " ".join(name.split())
    problems = _check(name, service_hours)
    if not problems and all_categories(committee).filter(name=name).exists():
        problems["name"] = [_("%(name)s is already a category here.") % {"name": name}]
    if problems:
        raise ValidationError(problems)
    return Category.objects.create(
        committee=committee, name=name, service_hours=service_hours, elderly=elderly
    )


def _own(scope: Scope, category: Category) -> Area:
    committee = committee_in(scope)
    if category.committee_id not in (None, committee.pk):
        raise PermissionDenied(_("This category belongs to another committee."))
    return committee


@transaction.atomic
def set_service_level(*, scope: Scope, category: Category, hours: int) -> Category:
    """Change the hours a category's requests have: a default's only for this committee.
    Requests already assigned keep their due time; new ones get the new level."""
    committee = _own(scope, category)
    problems = _check(category.name, hours)
    if problems:
        raise ValidationError({"service_hours": problems.get("service_hours", [])})
    if category.committee_id is None:
        setting, _made = CategorySetting.objects.get_or_create(committee=committee, category=category)
        before = setting.service_hours or category.service_hours
        setting.service_hours = None if hours == category.service_hours else hours
        setting.save()
        record(
            "update", committee, changes={"service_hours": [before, hours]}, note=f"category {category.name}"
        )
    else:
        category.service_hours = hours
        category.save(update_fields=["service_hours"])
    return category


@transaction.atomic
def retire_category(*, scope: Scope, category: Category, retired: bool = True) -> Category:
    """Stop (or start again) offering a category. Its requests keep it: nothing is deleted."""
    committee = _own(scope, category)
    when = timezone.now() if retired else None
    if category.committee_id is None:
        setting, _made = CategorySetting.objects.get_or_create(committee=committee, category=category)
        setting.retired_at = when
        setting.save()
        record(
            "update", committee, changes={"retired": [not retired, retired]}, note=f"category {category.name}"
        )
    else:
        category.retired_at = when
        category.save(update_fields=["retired_at"])
    return category
