"""Wrong passwords: a lock per number *and* address, a growing delay per number alone.

django-axes locks a number at one address (``AXES_LOCKOUT_PARAMETERS``) after
``AXES_FAILURE_LIMIT`` wrong passwords, for ``AXES_COOLOFF_TIME``. Locking the number
everywhere would let anyone lock any worker out by typing wrong passwords for the worker's
number; locking the address alone would lock a whole committee office, which shares one.

Across addresses the number alone is slowed, not walled: once it has had the limit of wrong
passwords from wherever within the cool-off, the next try waits ``NUMBER_DELAY_SECONDS``
after the last failure, twice as long after each further one (at most the cool-off). The
right person, at another address, waits seconds; someone guessing from many addresses gets a
handful of tries an hour.
"""

from __future__ import annotations

import math
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import ngettext

NUMBER_DELAY_SECONDS = 5


def _recent(phones):
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(username__in=phones, attempt_time__gte=since)


def number_wait_seconds(phone: str) -> int:
    """Seconds before the number may try a password again from any address (0: now).

    Each address counts at most the limit (its own lock stops it there), so one address
    hammering away cannot stretch the delay for everyone else."""
    limit = settings.AXES_FAILURE_LIMIT
    found = list(_recent([phone]).values_list("failures_since_start", "attempt_time"))
    over = sum(min(failures, limit) for failures, _at in found) - limit
    if over < 0:
        return 0
    last = max(at for _failures, at in found)
    cool_off = settings.AXES_COOLOFF_TIME.total_seconds()
    delay = min(NUMBER_DELAY_SECONDS * 2 ** min(over, 20), cool_off)
    left = (last + timedelta(seconds=delay) - timezone.now()).total_seconds()
    return max(0, math.ceil(left))


def locked_here(request, phone: str) -> bool:
    """Whether the number is locked at this request's address.

    Asked before the password is checked: a try at a locked address is answered with the
    lockout page without reaching django-axes, so it neither counts nor moves the times the
    lock and the number's delay run from."""
    return AxesProxyHandler.is_locked(request, {settings.AXES_USERNAME_FORM_FIELD: phone})


def locked_until(request, phone: str):
    """When the number's lock at this request's address ends (its last counted failure plus
    the cool-off)."""
    AxesProxyHandler.update_request(request)
    last = AccessAttempt.objects.filter(username=phone, ip_address=request.axes_ip_address).aggregate(
        last=Max("attempt_time")
    )["last"]
    return (last or timezone.now()) + settings.AXES_COOLOFF_TIME


def slowed_message(seconds: int) -> str:
    return ngettext(
        "This number has had too many wrong passwords, some from other places. To protect it, "
        "wait %(seconds)d second and try again.",
        "This number has had too many wrong passwords, some from other places. To protect it, "
        "wait %(seconds)d seconds and try again.",
        seconds,
    ) % {"seconds": seconds}


def locked_numbers(phones: list[str]) -> set[str]:
    """Those of ``phones`` locked at one address or more (for the people page)."""
    return set(
        _recent(phones)
        .filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def lift(phone: str) -> int:
    """Forget the number's wrong passwords at every address; the number of records removed."""
    return reset(username=phone)
