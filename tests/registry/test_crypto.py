"""Encryption at rest, keyed hashes and masks."""

import base64
import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from registry import crypto


def _key():
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def test_round_trip_and_no_plain_text_in_the_ciphertext():
    token = crypto.encrypt("310106195001020011")
    assert "310106" not in token and "0011" not in token
    assert crypto.decrypt(token) == "310106195001020011"
    assert crypto.encrypt("310106195001020011") != token  # a fresh nonce every time
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_the_keyed_hash_is_stable_and_depends_on_the_key(settings):
    first = crypto.keyed_hash("310106195001020011")
    assert first == crypto.keyed_hash("310106195001020011") and len(first) == 64
    assert crypto.keyed_hash("310106195001020011", purpose="other") != first
    settings.DATA_KEYS = _key()
    assert crypto.keyed_hash("310106195001020011") != first


def test_rotation_decrypts_old_values_and_says_what_needs_rewriting(settings):
    old = _key()
    settings.DATA_KEYS = old
    token = crypto.encrypt("体检：高血压")
    settings.DATA_KEYS = f"{_key()},{old}"
    assert crypto.decrypt(token) == "体检：高血压"
    assert crypto.needs_rotation(token)
    assert not crypto.needs_rotation(crypto.encrypt("x"))
    settings.DATA_KEYS = _key()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_a_tampered_value_is_refused():
    token = crypto.encrypt("secret")
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(base64.urlsafe_b64encode(bytes(raw)).decode())


def test_a_bad_key_is_a_configuration_error(settings):
    settings.DATA_KEYS = "not-a-key"
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")


def test_masks():
    assert crypto.mask_id_number("310106195001021234") == "310***********1234"
    assert crypto.mask_id_number("") == ""


@pytest.mark.django_db
def test_rotating_the_keys_rewrites_every_record_under_the_new_one(tree, settings):
    from django.core.management import call_command

    from registry.models import Resident
    from tests.factories import household, id_number, resident

    old = _key()
    settings.DATA_KEYS = old
    number = id_number()
    person = resident(household(tree.building), "旧密钥", number=number)
    Resident.objects.filter(pk=person.pk).update(health_cipher=crypto.encrypt("高血压"))
    settings.DATA_KEYS = f"{_key()},{old}"
    call_command("rotate_data_keys", verbosity=0)
    person.refresh_from_db()
    assert not crypto.needs_rotation(person.id_cipher) and not crypto.needs_rotation(person.health_cipher)
    settings.DATA_KEYS = settings.DATA_KEYS.split(",")[0]  # the old key can go now
    assert crypto.decrypt(person.id_cipher) == number and crypto.decrypt(person.health_cipher) == "高血压"
    assert person.id_hash == crypto.keyed_hash(number)
