"""Service certificates (志愿服务证明): issued, revoked, checked by anyone, printed on A4.

A certificate states a volunteer's confirmed hours and person-times over a period (counted as
the recognition figures count them, ``volunteers.recognition``), under a number nobody can
guess. Its QR code opens a public page through a token: the number signed with a salt of
its own, so a forged or altered token is refused before the database is asked, and a token
made for anything else in Mulin (an activity pass) is no certificate's. The public page says
only the name, the period, hours, times, the issuing committee and whether it was revoked.
"""

from __future__ import annotations

import io
import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from accounts.models import User
from common.pdf import MUTED, document, markup, qr_footer, styles
from common.scope import Scope
from volunteers.models import HOURS, Certificate, Volunteer
from volunteers.recognition import hours_of
from volunteers.rules import manages

SALT = "volunteers.certificate"
# No 0/O, 1/I/L: a number read aloud over the phone or typed from paper is not misread.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RANDOM_CHARACTERS = 12  # 31**12 ≈ 2**59 numbers a year
LONGEST_PERIOD = timedelta(days=366 * 10)
MOST_HOURS = Decimal(10 ** (HOURS["max_digits"] - HOURS["decimal_places"])) - Decimal("0.01")
QR_MM = 30


def new_number(today: date) -> str:
    """ZY, the year, and twelve random characters: ZY2026K7QX3MPA9RTE."""
    return f"ZY{today.year}" + "".join(secrets.choice(ALPHABET) for _i in range(RANDOM_CHARACTERS))


def token_for(certificate: Certificate) -> str:
    """What the certificate's QR code carries: its number, signed."""
    return signing.Signer(salt=SALT).sign(certificate.number)


def from_token(token: str) -> Certificate | None:
    """The certificate a token names, or None when the token is forged, altered or names
    none. One query for a well-signed token, none for a forged one."""
    try:
        number = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Certificate.objects.select_related("area").filter(number=number).first()


def may_see(user: User | None, scope: Scope, certificate: Certificate) -> bool:
    """Staff of the issuing committee (or above it), or the volunteer it was issued to."""
    own = user is not None and user.is_authenticated and certificate.volunteer.user_id == user.pk
    return own or manages(scope, certificate.area)


@transaction.atomic
def issue(volunteer: Volunteer, period_from: date, period_to: date, *, by: User, scope: Scope) -> Certificate:
    """A certificate of ``volunteer``'s confirmed hours from ``period_from`` to ``period_to``
    (both days included), in their committee's name. Issued by staff with the volunteers
    capability over that committee, or asked for by the volunteer themself, for their own
    hours. The period has ended (no hours of the future), lasts at most ten years, and holds
    hours; else nothing is written. The same hours of the same period asked for again give
    the certificate already issued."""
    own = volunteer.user_id is not None and volunteer.user_id == by.pk
    if not (own or manages(scope, volunteer.committee)):
        raise PermissionDenied(
            _("Only the volunteer themself or staff of their committee may issue their certificate.")
        )
    today = timezone.localdate()
    if period_to < period_from:
        raise ValidationError({"period_to": _("The period ends before it starts.")})
    if period_to > today:
        raise ValidationError({"period_to": _("The period may not end after today.")})
    if period_to - period_from > LONGEST_PERIOD:
        raise ValidationError({"period_from": _("A certificate covers at most ten years.")})
    hours, times = hours_of(volunteer, period_from, period_to + timedelta(days=1))
    if hours <= 0:
        raise ValidationError(
            {
                "period_from": _("%(name)s has no confirmed hours from %(start)s to %(end)s.")
                % {"name": volunteer.name, "start": _day(period_from), "end": _day(period_to)}
            }
        )
    if hours > MOST_HOURS:
        raise ValidationError(
            {"period_from": _("Too many hours for one certificate: choose a shorter period.")}
        )
    # Asking twice for the same period gives the same certificate, not a second number.
    same = Certificate.objects.filter(
        volunteer=volunteer,
        period_from=period_from,
        period_to=period_to,
        hours=hours,
        times=times,
        revoked_at__isnull=True,
    ).first()
    if same is not None:
        return same
    return Certificate.objects.create(
        volunteer=volunteer,
        area=volunteer.committee,
        number=new_number(today),
        name=volunteer.name,
        period_from=period_from,
        period_to=period_to,
        hours=hours,
        times=times,
        issued_by=by,
    )


@transaction.atomic
def revoke(certificate: Certificate, reason: str, *, by: User, scope: Scope) -> Certificate:
    """Staff of the issuing committee withdraw a certificate (issued in error, hours corrected),
    saying why; its public page says it is revoked from then on. Once only."""
    if not manages(scope, certificate.area):
        raise PermissionDenied(_("Only staff of the issuing committee may revoke a certificate."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.is_revoked:
        raise ValidationError(_("This certificate was already revoked."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = by
    locked.revoke_reason = reason[:200]
    locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return locked


# --- The A4 PDF --------------------------------------------------------------------------------


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def render_pdf(certificate: Certificate, url: str) -> bytes:
    """The certificate on one A4 page: the committee, the title, the statement, the issuing
    committee and date, and at the foot the QR code of ``url`` (its public check page)."""
    buffer = io.BytesIO()
    committee = certificate.area.name
    doc = document(
        buffer, title=_("Volunteer service certificate"), author=committee, subject=certificate.name
    )
    base = styles()
    centred = ParagraphStyle("CertCommittee", parent=base.body, fontSize=14, leading=20, alignment=TA_CENTER)
    title = ParagraphStyle("CertTitle", parent=base.title, fontSize=30, leading=40, alignment=TA_CENTER)
    number = ParagraphStyle("CertNumber", parent=base.small, fontSize=10, leading=14, alignment=TA_RIGHT)
    text = ParagraphStyle("CertText", parent=base.body, fontSize=16, leading=30, firstLineIndent=32)
    signed = ParagraphStyle("CertSigned", parent=base.body, fontSize=14, leading=22, alignment=TA_RIGHT)
    statement = _(
        "This is to certify that %(name)s served as a volunteer %(times)s times from %(start)s to "
        "%(end)s, %(hours)s hours in all."
    ) % {
        "name": f"<u>{markup(certificate.name)}</u>",
        "times": certificate.times,
        "start": _day(certificate.period_from),
        "end": _day(certificate.period_to),
        "hours": f"{certificate.hours.normalize():f}",
    }
    story: list[Flowable] = [
        Paragraph(markup(committee), centred),
        Spacer(1, 12 * mm),
        Paragraph(markup(_("Volunteer service certificate")), title),
        Paragraph(markup(_("No. %(number)s") % {"number": certificate.number}), number),
        Spacer(1, 14 * mm),
        Paragraph(statement, text),
        Paragraph(markup(_("Hereby certified.")), text),
        Spacer(1, 30 * mm),
        Paragraph(markup(committee), signed),
        Paragraph(markup(_day(timezone.localtime(certificate.issued_at).date())), signed),
        Spacer(1, 40 * mm),
    ]
    small = ParagraphStyle("CertSmall", parent=base.small, textColor=MUTED)
    lines = [
        Paragraph(markup(_("Scan the code to check that this certificate is genuine.")), base.body),
        Paragraph(markup(url), small),
    ]
    story.append(qr_footer(url, QR_MM, lines, doc.width))
    doc.build(story)
    return buffer.getvalue()
