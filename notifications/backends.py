"""SMS gateways behind one small interface, chosen by ``settings.SMS_BACKEND``.

No real gateway is reachable from a development machine or CI, so the default writes each
message to the console; ``LocmemSMSBackend`` keeps them in ``outbox`` for tests. A
deployment adds a class with ``send(to, text)`` for its provider (Aliyun, Tencent Cloud…)
and names it in the setting. E-mail goes through Django's own ``EMAIL_BACKEND``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


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
