"""Factories for tests: areas, users and role grants."""

from __future__ import annotations

import itertools

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RoleGrant, User
from areas.models import Area

_phones = itertools.count(13900000000)


def official(code: str, name: str, level: str, parent: Area | None = None) -> Area:
    return Area.objects.create(code=code, name=name, level=level, parent=parent, official=True)


def local(parent: Area, level: str, name: str, n: int) -> Area:
    from areas.models import LOCAL_PREFIX

    return Area.objects.create(
        code=f"{parent.code}.{LOCAL_PREFIX[level]}{n}", name=name, level=level, parent=parent
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    phone = factory.LazyFunction(lambda: str(next(_phones)))
    name = factory.Sequence(lambda n: f"居民{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse 7")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def grant(user: User, role: str, area: Area) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=role, area=area)


def totp_device(user: User) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="default", defaults={"confirmed": True})
    return device


def login_verified(client, user: User) -> None:
    """Log in as a user who has passed the TOTP step (the session django-otp would make)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
