"""Whether a visit plan runs today; the plans page asks the plan."""

from datetime import timedelta

import pytest
from django.utils import timezone

from visits.models import VisitPlan


@pytest.mark.parametrize(
    ("starts", "ends", "running", "over"),
    [(-1, 1, True, False), (0, 0, True, False), (-5, -1, False, True), (1, 5, False, False)],
)
def test_a_plan_runs_between_its_days(starts, ends, running, over):
    today = timezone.localdate()
    plan = VisitPlan(starts_on=today + timedelta(days=starts), ends_on=today + timedelta(days=ends))
    assert (plan.is_running, plan.is_over) == (running, over)
