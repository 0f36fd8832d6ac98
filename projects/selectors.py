"""Reads of projects and competitions: the staff's lists, the public pages and the figures."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from areas.models import Area, AreaLevel
from common.scope import Capability, Scope
from projects.models import BudgetLine, Entry, GovernanceStatus, Judge, Project, Round


def with_budget(queryset):
    """Projects with ``budget_total`` (one subquery, not one query per project)."""
    total = (
        BudgetLine.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return queryset.annotate(
        budget_total=Coalesce(
            Subquery(total, output_field=DecimalField(max_digits=14, decimal_places=2)),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )


def staff_projects(scope: Scope):
    if not scope.can(Capability.RUN_PROJECTS):
        return Project.objects.none()
    return with_budget(scope.restrict(Project.objects.select_related("area", "team", "partner")))


def staff_rounds(scope: Scope):
    if not scope.can(Capability.RUN_COMPETITIONS):
        return Round.objects.none()
    return scope.restrict(Round.objects.select_related("area")).annotate(
        entry_count=Count("entries", distinct=True)
    )


def judged_rounds(user):
    """The rounds ``user`` judges."""
    return Round.objects.filter(pk__in=Judge.objects.filter(user=user).values("round")).select_related("area")


def judged_entries(user):
    """The eligible entries of the rounds ``user`` judges."""
    return Entry.objects.filter(round__judges__user=user, eligibility="eligible").select_related(
        "round", "project", "area", "project__resident"
    )


def public_projects():
    return with_budget(Project.objects.public().select_related("area", "team", "partner"))


def public_rounds():
    return Round.objects.filter(phase__in=["notice", "results"]).select_related("area")


def figures(scope: Scope) -> list[dict]:
    """Projects run per committee of the scope: by status, budgets, entries chosen (two queries)."""
    if not scope.path:
        return []
    committees = list(
        Area.objects.filter(path__startswith=scope.path, level=AreaLevel.COMMITTEE).order_by("path")[:500]
    )
    counts = (
        Project.objects.filter(area__path__startswith=scope.path)
        .values("area_id")
        .annotate(
            proposed=Count("pk", filter=Q(status=GovernanceStatus.PROPOSED)),
            running=Count("pk", filter=Q(status__in=[GovernanceStatus.APPROVED, GovernanceStatus.RUNNING])),
            finished=Count("pk", filter=Q(status=GovernanceStatus.FINISHED)),
            refused=Count("pk", filter=Q(status=GovernanceStatus.REFUSED)),
            chosen=Count(
                "entries", filter=Q(entries__chosen=True, entries__round__phase="results"), distinct=True
            ),
        )
    )
    by_area = {row["area_id"]: row for row in counts}
    budgets = dict(
        BudgetLine.objects.filter(
            project__area__path__startswith=scope.path,
            project__status__in=[
                GovernanceStatus.APPROVED,
                GovernanceStatus.RUNNING,
                GovernanceStatus.FINISHED,
            ],
        )
        .values("project__area_id")
        .annotate(s=Sum("amount"))
        .values_list("project__area_id", "s")
    )
    rows = []
    for committee in committees:
        row = by_area.get(committee.pk, {})
        rows.append(
            {
                "committee": committee,
                "proposed": row.get("proposed", 0),
                "running": row.get("running", 0),
                "finished": row.get("finished", 0),
                "refused": row.get("refused", 0),
                "chosen": row.get("chosen", 0),
                "budget": budgets.get(committee.pk) or Decimal("0.00"),
            }
        )
    return rows
