"""Who hears of a request's steps, and in what words.

The resident (their own account and their family proxies', ``accounts_of``) is told at each
step they would want to know of: that the committee has it (received, or logged for them
from a call or a visit), who takes it on and by when (a social worker by name, or the outside
body; never a worker's own phone), each reply, the resolution with a request to rate it, a
refusal with its reason, the close (asked again to rate if they have not). Each message
links to the resident's own page of the request. Their channel preferences decide SMS and
e-mail (``notifications.services.notify``); SMS is asked for only where the news changes
what they do (someone is on it, it is done). The assigned social worker hears of the
resident's replies, withdrawal and reopening; so do the current contacts of the partner unit
a request is given to (by SMS too when it is given), and the staff member who gave it hears
the unit's replies and its resolution.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from demands.models import Assignee, Demand, DemandSource
from notifications.models import NotificationKind
from notifications.services import notify
from partners.rules import current_contacts
from registry.models import Resident
from registry.selectors import accounts_of


def label(demand: Demand) -> str:
    return f"{demand.category.name} #{demand.pk}"


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def tell_resident(demand: Demand, title: str, body: str = "", *, sms: bool = False) -> None:
    people = Resident.objects.filter(pk=demand.resident_id)
    notify(
        accounts_of(people),
        kind=NotificationKind.DEMAND,
        title=title,
        body=body,
        url=demand.resident_url(),
        sms=sms,
    )


def tell_assignee(demand: Demand, title: str, body: str = "") -> None:
    if demand.assignee_unit_id is not None:
        tell_unit(demand, title, body)
    elif demand.assignee_kind == Assignee.WORKER and demand.assignee is not None:
        notify(
            [demand.assignee],
            kind=NotificationKind.DEMAND,
            title=title,
            body=body,
            url=demand.get_absolute_url(),
        )


def tell_unit(demand: Demand, title: str, body: str = "", *, sms: bool = False) -> None:
    """The current contacts of the partner unit the request is given to; their link opens
    the request as the unit sees it."""
    unit = demand.assignee_unit
    if unit is None:
        return
    contacts = current_contacts().filter(unit=unit).select_related("user")
    notify(
        [c.user for c in contacts],
        kind=NotificationKind.DEMAND,
        title=title,
        body=body,
        url=reverse("demands:unit_request", args=[demand.pk]),
        sms=sms,
    )


def tell_giver(demand: Demand, title: str, body: str = "") -> None:
    """The staff member who gave the request to an outside body: they follow it up."""
    if demand.assigned_by is not None:
        notify(
            [demand.assigned_by],
            kind=NotificationKind.DEMAND,
            title=title,
            body=body,
            url=demand.get_absolute_url(),
        )


def received(demand: Demand) -> None:
    """Submitted online: the committee has it, and the resident will hear who takes it on."""
    tell_resident(
        demand,
        _("Your request is received: %(label)s") % {"label": label(demand)},
        _("The committee will look at it and tell you here who takes it on."),
    )


def logged(demand: Demand) -> None:
    """Logged by staff from a call, a visit or a walk-in: the resident can follow it online."""
    tell_resident(
        demand,
        _("The committee logged your request: %(label)s") % {"label": label(demand)},
        _("%(how)s: %(text)s\nYou can follow it and reply here.")
        % {"how": DemandSource(demand.source).label, "text": demand.text},
    )


def assignee_words(demand: Demand) -> str:
    """Who carries it out, as the resident reads it: a social worker by name, or the outside
    body. Never a phone number: the worker's is their own; the resident replies on the page."""
    if demand.assignee_kind == Assignee.WORKER and demand.assignee is not None:
        return _("social worker %(name)s") % {"name": demand.assignee.name}
    return demand.assignee_label


def assigned(demand: Demand) -> None:
    """Someone is on it: who, and by when."""
    body = _("%(who)s takes it on.") % {"who": assignee_words(demand)}
    if demand.due_at is not None:
        body += " " + _("Expected by %(when)s.") % {"when": _when(demand.due_at)}
    tell_resident(
        demand, _("Your request is being handled: %(label)s") % {"label": label(demand)}, body, sms=True
    )


def started(demand: Demand) -> None:
    tell_resident(
        demand,
        _("Work has started on your request: %(label)s") % {"label": label(demand)},
        _("%(who)s has started on it.") % {"who": assignee_words(demand)},
    )


def closed(demand: Demand) -> None:
    """Closed after its resolution; a resident who has not rated it is asked once more."""
    body = demand.resolution
    if demand.rating is None:
        body = _("%(text)s\nHow satisfied are you with the result? Please rate it.") % {"text": body}
    tell_resident(demand, _("Your request is closed: %(label)s") % {"label": label(demand)}, body)
