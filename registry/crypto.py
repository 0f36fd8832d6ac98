"""Personal data at rest: encryption, keyed hashes and masks.

Identity-card numbers, health notes and key-person notes are stored encrypted with AES-256-GCM
under ``settings.DATA_KEYS``, which comes from the environment (``MULIN_DATA_KEYS``; in
development a key is generated into ``var/``). A key is 32 random bytes in url-safe base64
(``python -c "import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"``).
Several comma-separated keys may be given: the first encrypts, every one decrypts (each
ciphertext names its key by a fingerprint), so a key is rotated by putting a new one first
and running ``manage.py rotate_data_keys``, then removing the old one.

An encrypted value cannot be searched, so identity-card numbers also get a keyed hash
(HMAC-SHA256 under a key derived from the first data key): the same number always gives the
same hash, and without the key the hash says nothing. A full number typed into the search
box is hashed and looked up. Nothing else about the number is stored in the clear but its
mask (the first three and the last four characters).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"\x01"
NONCE_BYTES = 12
FINGERPRINT_BYTES = 4
ASSOCIATED_DATA = b"mulin personal data"


class DecryptionError(ValueError):
    """The value was encrypted under a key that is no longer configured, or is damaged."""


def _derive(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)


@cache
def _keys() -> tuple[tuple[bytes, AESGCM], ...]:
    """(fingerprint, cipher) per configured key, the encrypting one first."""
    raw = getattr(settings, "DATA_KEYS", "") or ""
    keys = []
    for text in (k.strip() for k in raw.split(",")):
        if not text:
            continue
        try:
            key = base64.urlsafe_b64decode(text.encode())
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != 32:
            raise ImproperlyConfigured(
                "Each key in MULIN_DATA_KEYS must be 32 random bytes in url-safe base64 (44 characters)."
            )
        fingerprint = hashlib.sha256(b"mulin key id:" + key).digest()[:FINGERPRINT_BYTES]
        keys.append((fingerprint, AESGCM(_derive(key, b"mulin aes-gcm v1"))))
    if not keys:
        raise ImproperlyConfigured("MULIN_DATA_KEYS is empty: personal data cannot be encrypted.")
    return tuple(keys)


@cache
def _hash_base() -> hmac.HMAC:
    raw = next(k.strip() for k in settings.DATA_KEYS.split(",") if k.strip())
    return hmac.new(
        _derive(base64.urlsafe_b64decode(raw.encode()), b"mulin keyed hash v1"), digestmod="sha256"
    )


def forget_keys(*, setting: str = "", **kwargs) -> None:
    """Tests and key rotation change the keys; the cached ciphers must follow."""
    if setting in ("", "DATA_KEYS"):
        _keys.cache_clear()
        _hash_base.cache_clear()


def encrypt(text: str) -> str:
    """The ciphertext of ``text`` as ASCII; the empty string stays empty (nothing to hide)."""
    if not text:
        return ""
    fingerprint, cipher = _keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = cipher.encrypt(nonce, text.encode(), ASSOCIATED_DATA)
    return base64.urlsafe_b64encode(VERSION + fingerprint + nonce + sealed).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        blob = base64.urlsafe_b64decode(token.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as error:
        raise DecryptionError("This value is damaged.") from error
    head = 1 + FINGERPRINT_BYTES
    fingerprint, nonce, sealed = blob[1:head], blob[head : head + NONCE_BYTES], blob[head + NONCE_BYTES :]
    for known, cipher in _keys():
        if known == fingerprint and blob[:1] == VERSION:
            try:
                return cipher.decrypt(nonce, sealed, ASSOCIATED_DATA).decode()
            except InvalidTag as error:
                raise DecryptionError("This value is damaged.") from error
    raise DecryptionError("This value was encrypted with a key that is not configured.")


def needs_rotation(token: str) -> bool:
    """Whether ``token`` was encrypted under another key than the first."""
    if not token:
        return False
    blob = base64.urlsafe_b64decode(token.encode("ascii"))
    return blob[1 : 1 + FINGERPRINT_BYTES] != _keys()[0][0]


def keyed_hash(text: str, purpose: str = "id") -> str:
    """A stable, keyed fingerprint of ``text`` (hex, 64 characters); empty for empty input."""
    if not text:
        return ""
    digest = _hash_base().copy()
    digest.update(f"{purpose}:{text}".encode())
    return digest.hexdigest()


def mask_id_number(number: str) -> str:
    """310***********1234: the first three characters and the last four, nothing between."""
    if not number:
        return ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
