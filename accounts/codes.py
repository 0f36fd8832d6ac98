"""Why an authenticator app's code was refused, in words a retired volunteer can act on.

django-otp answers only yes or no: a code already used (each works once, so a code cannot
be entered twice within its 30 seconds) reads the same as a wrong one. Telling them apart
here lets the page say "wait for the next code, in N seconds" instead of "not right".
"""

from __future__ import annotations

import math
import time

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def already_used(device: TOTPDevice, token: str) -> bool:
    """Whether ``token`` is one of the codes the device accepts now but has used already."""
    if not token.isdigit() or device.last_t < 0:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.drift = device.drift + offset
        if totp.t() <= device.last_t and totp.token() == int(token):
            return True
    return False


def seconds_to_next_code(device: TOTPDevice) -> int:
    """Seconds until the app shows its next code."""
    into_step = (time.time() - device.t0) % device.step
    return max(1, math.ceil(device.step - into_step))


def already_used_message(device: TOTPDevice) -> str:
    seconds = seconds_to_next_code(device)
    return (
        _("This code was already used: each code works only once.")
        + " "
        + ngettext(
            "Wait for the next code, in %(seconds)d second, and enter that one.",
            "Wait for the next code, in %(seconds)d seconds, and enter that one.",
            seconds,
        )
        % {"seconds": seconds}
    )


def throttle_wait(device: TOTPDevice) -> int:
    """Seconds before django-otp's throttling lets the device check another code (0: now)."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    return max(1, math.ceil((data["locked_until"] - timezone.now()).total_seconds()))


def wait_words(seconds: int) -> str:
    return ngettext(
        "Wait %(seconds)d second before the next try.",
        "Wait %(seconds)d seconds before the next try.",
        seconds,
    ) % {"seconds": seconds}


def throttle_message(device: TOTPDevice) -> str | None:
    """Why the code is not even checked, and for how long (None: it is checked)."""
    wait = throttle_wait(device)
    if not wait:
        return None
    return _("Too many wrong codes in a row.") + " " + wait_words(wait)
