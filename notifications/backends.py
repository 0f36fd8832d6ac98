"""SMS gateways behind one small interface, chosen by ``settings.SMS_BACKEND``.

No real gateway is reachable from a development machine or CI, so the default writes each
message to the console; ``LocmemSMSBackend`` keeps them in ``outbox`` for tests. A
deployment adds a class with ``send(to, text)`` for its provider (Aliyun, Tencent Cloud…)
and names it in the setting. E-mail goes through Django's own ``EMAIL_BACKEND``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SMS:
    to: str
    text: str


class BaseSMSBackend:
    def send(self, to: str, text: str) -> None:
        """Send one message or raise; the caller records the outcome."""
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def send(self, to: str, text: str) -> None:
        self.stream.write(f"[SMS to {to}] {text}\n")
        self.stream.flush()


outbox: list[SMS] = []


class LocmemSMSBackend(BaseSMSBackend):
    def send(self, to: str, text: str) -> None:
        outbox.append(SMS(to, text))


def sms_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()


def signed(text: str) -> str:
    """An SMS as the gateway requires it: the sender's signature in 【】 first."""
    return f"【{settings.MULIN_SMS_SIGNATURE}】{text}"


def attempt(channel: str, address: str, send: Callable[[], object]) -> str:
    """Send through a gateway: "" once it took the message, else what went wrong. A gateway's
    failure is logged and returned for the caller to record, never raised."""
    try:
        send()
    except Exception as error:  # noqa: BLE001 - a gateway's failure is recorded, never raised
        log.warning("%s to %s failed: %s", channel, address, error)
        return str(error)[:300]
    return ""


def send_sms(to: str, text: str, backend: BaseSMSBackend | None = None) -> str:
    """One SMS, signed; "" once the gateway took it, else what went wrong (see ``attempt``)."""
    gateway = backend or sms_backend()
    return attempt("SMS", to, lambda: gateway.send(to, signed(text)))
