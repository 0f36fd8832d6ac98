"""Meal assistance's periodic jobs, on the Tasks framework (see notifications.jobs).

- ``place_standing_orders``, every hour: the standing orders' orders for the days ahead whose
  cutoff is still to come and whose menu is published (``meals.standing.place_due``); each
  standing order's day is dealt with once (``placed_until``), and a day that could not be
  placed is told to the diner or their family, with why.
"""

from __future__ import annotations

from django_tasks import task

from meals.standing import place_due
from notifications.jobs import periodic, queue_next


@periodic(every=3600)
@task()
def place_standing_orders() -> str:
    try:
        run = place_due()
        return f"{run.placed} placed, {run.missed} missed"
    finally:
        queue_next(place_standing_orders)
