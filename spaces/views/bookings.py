"""Single bookings: book, approve, decline, cancel: the pages.

Residents (and family for them), team leaders and partner contacts book from a space's page
and see "my bookings"; staff list the bookings of their spaces, decide the pending ones and
book on someone's behalf. Every page calls ``spaces.bookings``; the rules are there."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.forms import form_errors, posted, show_errors
from common.scope import Capability, get_or_404, staff_scope
from registry.selectors import search_residents
from spaces import bookings as services
from spaces import selectors
from spaces.forms.bookings import BookingForm, FilterForm, ReasonForm, StaffBookingForm
from spaces.models import Booking, Space
from spaces.policy import staff_books
from spaces.selectors import Choices

PER_PAGE = 25
NOBODY = gettext_lazy(
    "Residents registered with the committee book online (for themselves or the family members "
    "they act for), and so do team leaders and partner units. Ask the committee to link your "
    "account to the registry, or book at the committee's office."
)


def _visible(request, booking_id: int) -> Booking:
    return get_or_404(
        selectors.visible_bookings(request.user, request.scope), _("No such booking."), pk=booking_id
    )


def _book(request, space: Space, form: BookingForm, override: bool = False) -> Booking | None:
    starts_at, ends_at = form.moments()
    data = form.cleaned_data
    try:
        return services.book(
            request.user,
            space,
            starts_at,
            ends_at,
            scope=request.scope,
            holder=form.holder_of(),
            purpose=data["purpose"],
            people=data["people"],
            override=override,
        )
    except ValidationError as error:
        form_errors(form, _onto_form(error))
    except PermissionDenied as refusal:
        form.add_error(None, str(refusal))
    return None


def _onto_form(error: ValidationError) -> ValidationError:
    """The service's fields, named as the form names them."""
    if not hasattr(error, "error_dict"):
        return error
    names = {
        "starts_at": "starts",
        "ends_at": "ends",
        "for_resident": "holder",
        "team": "holder",
        "partner_unit": "holder",
    }
    return ValidationError({names.get(k, k): v for k, v in error.message_dict.items()})


def _said(booking: Booking) -> str:
    if booking.is_pending:
        return _("Booked: %(space)s. The committee approves it; you will be told.") % {
            "space": booking.space.name
        }
    return _("Booked: %(space)s, %(when)s.") % {
        "space": booking.space.name,
        "when": services.span_text(booking),
    }


@login_required
def book(request, space_id: int):
    """A resident, a family member for them, a team leader or a partner contact books."""
    space = get_or_404(
        Space.objects.bookable().select_related("area", "site"), _("No such space."), pk=space_id
    )
    choices = selectors.choices_for(request.user, request.scope, space)
    staff = staff_books(request.scope, space)
    if not (choices.people or choices.teams or choices.units or staff):
        raise PermissionDenied(NOBODY)
    form = BookingForm(posted(request), choices=choices, staff=staff)
    if request.method == "POST" and form.is_valid():
        made = _book(request, space, form)
        if made is not None:
            messages.success(request, _said(made))
            return redirect(made)
    return render(
        request,
        "spaces/bookings/book.html",
        {"space": space, "form": form, "row": selectors.public_space(space)},
    )


@login_required
def mine(request):
    listed = selectors.bookings_of(request.user)
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "spaces/bookings/mine.html", {"page": page})


@login_required
def detail(request, booking_id: int):
    found = _visible(request, booking_id)
    manages = request.scope.can(Capability.MANAGE_SPACES) and request.scope.covers(found.space.area)
    return render(
        request,
        "spaces/bookings/detail.html",
        {
            "booking": found,
            "holder": services.holder_text(found, staff=services.reads_names(request.scope, found.space)),
            "manages": manages,
            "may_cancel": services.may_cancel_own(request.user, found) or (manages and found.is_live),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def cancel(request, booking_id: int):
    found = _visible(request, booking_id)
    try:
        services.cancel(request.user, found, scope=request.scope, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        if isinstance(error, PermissionDenied):
            messages.error(request, str(error))
        else:
            show_errors(request, error)
    else:
        messages.success(request, _("Cancelled: the time is free for others."))
    return redirect(found)


# --- Staff ---------------------------------------------------------------------------------------


def _scope(request):
    return staff_scope(request, Capability.MANAGE_SPACES)


@login_required
def staff_list(request):
    scope = _scope(request)
    spaces = selectors.staff_spaces(scope).order_by("name", "pk")
    form = FilterForm(request.GET or None, spaces=spaces)
    data = form.cleaned_data if form.is_valid() else {}
    listed = selectors.staff_bookings(
        scope,
        space=data.get("space"),
        status=data.get("status") or "",
        first=data.get("first"),
        last=data.get("last"),
    )
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "spaces/bookings/staff_list.html",
        {"page": page, "rows": _rows(scope, page.object_list), "form": form, "query": query.urlencode()},
    )


def _rows(scope, listed) -> list[tuple[Booking, str]]:
    """Each booking with whose it is, as this reader may read it."""
    return [(b, services.holder_text(b, staff=services.reads_names(scope, b.space))) for b in listed]


@login_required
def pending(request):
    scope = _scope(request)
    return render(
        request,
        "spaces/bookings/pending.html",
        {"rows": _rows(scope, selectors.pending(scope)[:200]), "reason_form": ReasonForm()},
    )


def _decided(request, booking_id: int) -> Booking:
    scope = _scope(request)
    return scope.get(
        Booking.objects.select_related("space__area"), _("No booking you decide."), pk=booking_id
    )


def _back(request, found: Booking):
    """To the queue the decision was made from, else to the booking."""
    if request.POST.get("next") == "pending":
        return redirect("spaces:pending")
    return redirect(found)


@login_required
@require_POST
def approve(request, booking_id: int):
    found = _decided(request, booking_id)
    try:
        services.approve(request.user, found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Approved; the booker is told."))
    return _back(request, found)


@login_required
@require_POST
def decline(request, booking_id: int):
    found = _decided(request, booking_id)
    try:
        services.decline(request.user, found, request.POST.get("reason", ""), scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Declined; the booker is told why."))
    return _back(request, found)


@login_required
def book_for(request):
    """Staff book for a resident (found by name in their area), a team, a unit or the
    committee's own use."""
    scope = _scope(request)
    text = (request.POST.get("q") or request.GET.get("q") or "").strip()
    people = [p for p in search_residents(scope, text) if p.is_living] if text else []
    choices = Choices(people, selectors.staff_teams(scope), selectors.staff_units(scope))
    spaces = (
        selectors.kept_spaces(scope).filter(archived_at__isnull=True, bookable=True).order_by("name", "pk")
    )
    form = StaffBookingForm(
        posted(request) if request.POST.get("action") == "book" else None, choices=choices, spaces=spaces
    )
    if request.method == "POST" and form.is_bound and form.is_valid():
        made = _book(request, form.cleaned_data["space"], form, override=form.cleaned_data["override"])
        if made is not None:
            messages.success(request, _said(made))
            return redirect(made)
    return render(request, "spaces/bookings/book_for.html", {"form": form, "q": text, "people": people})
