"""The queue at a stall: numbers taken on a phone or handed out on paper, called one at a
time, served or marked absent.

Numbers come from one sequence per stall: ``UPDATE … SET last_number = last_number + 1 …
RETURNING last_number``, which the database runs one at a time on the stall's row (on
PostgreSQL the row stays locked until the taker's transaction ends; SQLite locks the whole
file for a write), so a phone and a paper ticket never get the same number. The same statement
refuses a full stall (``last_number < max_tickets``); the CHECK constraint
``stall_never_over_its_numbers`` is the last guard.

Calling the next number locks the stall's row first (``select_for_update``), so two people
tapping "call next" at once call two different tickets, never the same one.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.formats import when_text
from common.scope import Scope
from registry.models import Resident
from registry.selectors import people_of
from servicedays.models import ServiceDay, Stall, Ticket
from servicedays.rules import plans, residents_q, runs_stall

_NEXT_NUMBER = (
    "UPDATE {table} SET last_number = last_number + 1 "
    "WHERE id = %s AND (max_tickets IS NULL OR last_number < max_tickets) RETURNING last_number"
)


def _next_number(stall: Stall) -> int | None:
    """The stall's next number, or None when every number has been handed out."""
    sql = _NEXT_NUMBER.format(table=connection.ops.quote_name(Stall._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [stall.pk])
        row = cursor.fetchone()
    return row[0] if row else None


def refusal(stall: Stall, day: ServiceDay) -> str:
    """Why no number can be taken at ``stall`` now, in the resident's words; "" if one can.
    (A full stall is decided by the database, not here.)"""
    if day.cancelled_at is not None:
        return _("%(title)s is cancelled: %(reason)s") % {"title": day.title, "reason": day.cancel_reason}
    if day.ends_at <= timezone.now():
        return _("%(title)s is over.") % {"title": day.title}
    if stall.closed_at is not None:
        return _("%(stall)s is closed: it hands out no more numbers today.") % {"stall": stall.name}
    if stall.opened_at is None:
        return _("%(stall)s is not open yet: numbers are handed out from %(when)s, when it opens.") % {
            "stall": stall.name,
            "when": when_text(day.starts_at),
        }
    return ""


def _full(stall: Stall) -> ValidationError:
    return ValidationError(
        _("All %(n)d numbers of %(stall)s have been handed out today.")
        % {"n": stall.max_tickets, "stall": stall.name}
    )


def _issue(stall: Stall, **fields) -> Ticket:
    number = _next_number(stall)
    if number is None:
        raise _full(stall)
    return Ticket.objects.create(stall=stall, number=number, **fields)


@transaction.atomic
def take_number(user: User, stall: Stall) -> Ticket:
    """A resident takes a number on their phone: one live number per person per stall, at an
    open stall of a published day of their committee."""
    day = ServiceDay.objects.filter(residents_q(user)).filter(pk=stall.service_day_id).first()
    if day is None:
        raise PermissionDenied(_("Numbers are taken by residents of the committee holding the day."))
    stall = Stall.objects.get(pk=stall.pk)  # as it is now: opened or closed a moment ago
    problem = refusal(stall, day)
    if problem:
        raise ValidationError(problem)
    resident: Resident | None = next((p for p in people_of(user) if p.committee_id == day.area_id), None)
    ticket = _issue(stall, user=user, resident=resident)
    # The UPDATE above holds the stall's row until commit: a second tap of the same person
    # waits for this one and then sees its ticket, so the check below cannot race.
    mine = (
        Ticket.objects.filter(stall=stall, user=user, cancelled_at__isnull=True)
        .filter(served_at__isnull=True, absent_at__isnull=True)
        .exclude(pk=ticket.pk)
        .first()
    )
    if mine is not None:
        raise ValidationError(
            _("You already have number %(number)d at %(stall)s.")
            % {"number": mine.number, "stall": stall.name}
        )
    return ticket


@transaction.atomic
def hand_out_paper(user: User, stall: Stall, *, scope: Scope) -> Ticket:
    """A numbered paper ticket for someone without a phone, from the same sequence."""
    if not runs_stall(user, stall, scope):
        raise PermissionDenied(_("Only the people running the stall hand out paper numbers."))
    stall = Stall.objects.select_related("service_day").get(pk=stall.pk)
    problem = refusal(stall, stall.service_day)
    if problem:
        raise ValidationError(problem)
    return _issue(stall, paper=True)


@transaction.atomic
def give_up(user: User, ticket: Ticket) -> Ticket:
    """The resident leaves the queue before their number is called."""
    locked = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    if locked.user_id != user.pk:
        raise PermissionDenied(_("Only the person who took the number gives it up."))
    if not locked.is_waiting:
        raise ValidationError(_("Number %(number)d has already been called.") % {"number": locked.number})
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["cancelled_at"])
    return locked


# --- The stall's console -----------------------------------------------------------------------


LOBBY_CALLS = 5  # the last numbers called that a stall's row keeps for the lobby display


def _shown(stall: Stall, number: int) -> None:
    """Put ``number`` first among the stall's last calls (a recall moves it to the front)."""
    calls = [number, *(n for n in stall.calls if n != number)][:LOBBY_CALLS]
    stall.recent_calls = " ".join(str(n) for n in calls)
    stall.save(update_fields=["recent_calls"])


def _locked_stall(user: User, stall: Stall, scope: Scope) -> Stall:
    if not runs_stall(user, stall, scope):
        raise PermissionDenied(_("Only the people running the stall use its console."))
    locked = Stall.objects.select_for_update(of=("self",)).select_related("service_day").get(pk=stall.pk)
    if locked.service_day.cancelled_at is not None:
        raise ValidationError(_("This service day is cancelled."))
    return locked


@transaction.atomic
def open_stall(user: User, stall: Stall, *, scope: Scope) -> Stall:
    """Numbers may be taken from now on. A closed stall may open again (a short break)."""
    locked = _locked_stall(user, stall, scope)
    if locked.is_open:
        raise ValidationError(_("%(stall)s is already open.") % {"stall": locked.name})
    if not locked.service_day.is_published and not plans(scope, locked.service_day.area):
        raise ValidationError(_("The day is not published yet."))
    if locked.service_day.ends_at <= timezone.now():
        raise ValidationError(_("%(title)s is over.") % {"title": locked.service_day.title})
    locked.opened_at, locked.closed_at = locked.opened_at or timezone.now(), None
    locked.save(update_fields=["opened_at", "closed_at"])
    return locked


@transaction.atomic
def close_stall(user: User, stall: Stall, *, scope: Scope) -> Stall:
    """No more numbers; those already waiting are still called."""
    locked = _locked_stall(user, stall, scope)
    if not locked.is_open:
        raise ValidationError(_("%(stall)s is not open.") % {"stall": locked.name})
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at"])
    return locked


@transaction.atomic
def call_next(user: User, stall: Stall, *, scope: Scope) -> Ticket:
    """Call the lowest waiting number. The stall's row is locked first, so two callers at
    once call two tickets, never the same one."""
    locked = _locked_stall(user, stall, scope)
    if locked.opened_at is None:
        raise ValidationError(_("%(stall)s is not open yet.") % {"stall": locked.name})
    ticket = Ticket.objects.filter(stall=locked).waiting().order_by("number").first()
    if ticket is None:
        raise ValidationError(_("Nobody is waiting at %(stall)s.") % {"stall": locked.name})
    ticket.called_at, ticket.called_by = timezone.now(), user
    ticket.save(update_fields=["called_at", "called_by"])
    _shown(locked, ticket.number)
    return ticket


def _locked_ticket(user: User, ticket: Ticket, scope: Scope) -> Ticket:
    stall = _locked_stall(user, ticket.stall, scope)
    locked = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    locked.stall = stall
    return locked


@transaction.atomic
def recall(user: User, ticket: Ticket, *, scope: Scope) -> Ticket:
    """Call a called number again (the resident missed it), also one marked absent who came
    back: it shows among the latest on the lobby display again."""
    locked = _locked_ticket(user, ticket, scope)
    if locked.called_at is None or locked.cancelled_at is not None:
        raise ValidationError(_("Number %(number)d has not been called yet.") % {"number": locked.number})
    if locked.served_at is not None:
        raise ValidationError(_("Number %(number)d has been served.") % {"number": locked.number})
    locked.recalled_at, locked.absent_at = timezone.now(), None
    locked.save(update_fields=["recalled_at", "absent_at"])
    _shown(locked.stall, locked.number)
    return locked


def _done(user: User, ticket: Ticket, scope: Scope, field: str) -> Ticket:
    locked = _locked_ticket(user, ticket, scope)
    if locked.called_at is None:
        raise ValidationError(_("Number %(number)d has not been called yet.") % {"number": locked.number})
    if locked.served_at is not None:
        raise ValidationError(_("Number %(number)d has already been served.") % {"number": locked.number})
    if locked.absent_at is not None and field == "absent_at":
        raise ValidationError(_("Number %(number)d is already marked absent.") % {"number": locked.number})
    if field == "served_at":
        locked.absent_at = None
    setattr(locked, field, timezone.now())
    locked.save(update_fields=["served_at", "absent_at"])
    return locked


@transaction.atomic
def mark_served(user: User, ticket: Ticket, *, scope: Scope) -> Ticket:
    """Served: one beneficiary (受益人次) of the day."""
    return _done(user, ticket, scope, "served_at")


@transaction.atomic
def mark_absent(user: User, ticket: Ticket, *, scope: Scope) -> Ticket:
    """Called and did not come (a recall brings them back)."""
    return _done(user, ticket, scope, "absent_at")
