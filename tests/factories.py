"""Factories for tests: areas, users and role grants."""

from __future__ import annotations

import itertools

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RoleGrant, User
from areas.models import Area

# Factory users' numbers start where no test's fixed number is (those are 130–139…): a worker
# that made a thousand users once reached 13900001004, the fixed number of a fixture's resident.
_phones = itertools.count(15900000000)


def official(code: str, name: str, level: str, parent: Area | None = None) -> Area:
    return Area.objects.create(code=code, name=name, level=level, parent=parent, official=True)


def local(parent: Area, level: str, name: str, n: int) -> Area:
    from areas.models import LOCAL_PREFIX

    return Area.objects.create(
        code=f"{parent.code}.{LOCAL_PREFIX[level]}{n}", name=name, level=level, parent=parent
    )


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    phone = factory.LazyFunction(lambda: str(next(_phones)))
    name = factory.Sequence(lambda n: f"居民{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse 7")

    @factory.post_generation
    def saved(obj: User, create, extracted, **kwargs):
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


def login(client, user: User):
    """``client`` logged in as ``user``, past the TOTP step; returned for chaining."""
    login_verified(client, user)
    return client


def scope_of(user: User):
    """The scope ``user`` acts in by default: their first role grant's, as a new session's."""
    from accounts.scope import resolve_scope

    return resolve_scope(user, {})


# --- Registry -----------------------------------------------------------------------------------

_sequence = itertools.count(1)


def id_number(
    born: str = "1950-01-02", *, male: bool = True, region: str = "310106", seq: int | None = None
) -> str:
    """A well-formed identity-card number (GB 11643) for a made-up person."""
    from registry.identity import check_digit

    n = next(_sequence) if seq is None else seq
    order = (n % 500) * 2 + (1 if male else 0)
    first17 = f"{region}{born.replace('-', '')}{order:03d}"
    return first17 + check_digit(first17)


def household(building: Area, room: str = "301", unit: str = ""):
    from areas.selectors import committee_of
    from registry.models import Household

    committee = committee_of(building)
    assert committee is not None, f"{building} is under no committee"
    return Household.objects.create(building=building, committee=committee, unit=unit, room=room)


def resident(
    home, name: str = "张阿婆", *, number: str | None = None, relation: str = "householder", **extra
):
    """A living resident of ``home`` (a Household), with an encrypted identity-card number."""
    from registry import crypto
    from registry.identity import parse_id_number
    from registry.models import Residence, Resident

    number = number if number is not None else id_number()
    card = parse_id_number(number) if number else None
    person = Resident.objects.create(
        committee=home.committee,
        household=home,
        name=name,
        relation=relation,
        gender=extra.pop("gender", card.gender if card else ""),
        birth_date=extra.pop("birth_date", card.birth_date if card else None),
        id_cipher=crypto.encrypt(number),
        id_hash=crypto.keyed_hash(number),
        id_masked=crypto.mask_id_number(number),
        **extra,
    )
    Residence.objects.create(
        resident=person, household=home, relation=relation, moved_in_on=person.moved_in_on
    )
    return person
