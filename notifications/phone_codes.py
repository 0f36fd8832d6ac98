"""Proving a mobile number is someone's: a six-digit code by SMS, typed back.

The rules: only the code's keyed hash is stored; a code works for ten minutes, once, and
for at most five tries (a wrong try is counted even when the page that asked fails); a new
code may be asked for a minute after the last, and no more than ten a day for one number.
A wrong try is written in a transaction of its own, so a caller's rollback cannot undo the
count; the code is used up by ``use`` inside the caller's transaction, so it is spent only
when what it was for is done.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.phone import normalize_phone
from notifications.backends import send_sms
from notifications.models import PhoneCode

LIFETIME = timedelta(minutes=10)
MAX_TRIES = 5
RESEND_AFTER = timedelta(seconds=60)
MAX_A_DAY = 10
DIGITS = 6


def _hash(phone: str, purpose: str, code: str) -> str:
    return salted_hmac(
        "notifications.phone_codes", f"{phone}|{purpose}|{code}", algorithm="sha256"
    ).hexdigest()


def mobile(raw: str) -> str:
    """The 11 digits of a mobile number, or a ValidationError on ``phone`` saying what is wrong."""
    try:
        return normalize_phone(raw or "")
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None


def _latest(phone: str, purpose: str) -> PhoneCode | None:
    return PhoneCode.objects.filter(phone=phone, purpose=purpose).order_by("-sent_at", "-pk").first()


def send_code(
    raw_phone: str, *, purpose: str, text: str, area=None, now: datetime | None = None
) -> PhoneCode:
    """Send a new code to ``raw_phone``; ``text`` is the message with ``%(code)s`` in it.
    Refused (nothing sent) for a number that is not a mobile, within a minute of the last
    code, or past ten codes a day."""
    now = now or timezone.now()
    phone = mobile(raw_phone)
    last = _latest(phone, purpose)
    if last is not None and now - last.sent_at < RESEND_AFTER:
        wait = int((RESEND_AFTER - (now - last.sent_at)).total_seconds()) + 1
        raise ValidationError(
            {
                "phone": ngettext(
                    "A code was sent a moment ago; wait %(seconds)d second before asking again.",
                    "A code was sent a moment ago; wait %(seconds)d seconds before asking again.",
                    wait,
                )
                % {"seconds": wait}
            }
        )
    today = PhoneCode.objects.filter(phone=phone, purpose=purpose, sent_at__gte=now - timedelta(days=1))
    if today.count() >= MAX_A_DAY:
        raise ValidationError({"phone": _("Too many codes for this number today; try again tomorrow.")})
    code = "".join(secrets.choice("0123456789") for _i in range(DIGITS))
    with transaction.atomic():
        made = PhoneCode.objects.create(
            phone=phone,
            purpose=purpose,
            area=area,
            code_hash=_hash(phone, purpose, code),
            sent_at=now,
            expires_at=now + LIFETIME,
        )
    error = send_sms(phone, text % {"code": code})
    if error:
        raise ValidationError({"phone": _("The code could not be sent; try again in a minute.")})
    return made


def check_code(raw_phone: str, code: str, *, purpose: str, now: datetime | None = None) -> PhoneCode:
    """The code sent to ``raw_phone`` if ``code`` is it, still valid and unused; otherwise a
    ValidationError on ``code`` saying why (and a wrong try counted). Not yet used up: pass it
    to ``use`` in the transaction that does what it was for."""
    now = now or timezone.now()
    phone = mobile(raw_phone)
    code = "".join((code or "").split())
    wrong = ""
    with transaction.atomic():
        latest = _latest(phone, purpose)
        last = PhoneCode.objects.select_for_update().filter(pk=latest.pk).first() if latest else None
        if last is None or last.used_at is not None:
            raise ValidationError({"code": _("Ask for a code first: none is waiting for this number.")})
        if now >= last.expires_at:
            raise ValidationError(
                {"code": _("This code has expired (codes last 10 minutes); ask for a new one.")}
            )
        if last.tries >= MAX_TRIES:
            raise ValidationError({"code": _("Too many wrong tries with this code; ask for a new one.")})
        if not constant_time_compare(last.code_hash, _hash(phone, purpose, code)):
            # Counted and committed before the refusal is raised, so the count stays.
            last.tries += 1
            last.save(update_fields=["tries"])
            left = MAX_TRIES - last.tries
            wrong = _("The code is not right.") + " "
            if left:
                wrong += ngettext("%(n)d try left.", "%(n)d tries left.", left) % {"n": left}
            else:
                wrong += _("No tries left; ask for a new code.")
    if wrong:
        raise ValidationError({"code": wrong})
    return last


def use(found: PhoneCode, *, now: datetime | None = None) -> None:
    """Spend a checked code, in the caller's transaction: it works once, even when two
    requests bring it at the same moment."""
    now = now or timezone.now()
    if not PhoneCode.objects.filter(pk=found.pk, used_at__isnull=True).update(used_at=now):
        raise ValidationError({"code": _("This code was already used; ask for a new one.")})
