"""Enrolling the demo's volunteers: residents of the registry keep their record and account,
others get a well-formed mobile number, verified; a team with its members dated from its
founding. Shared by the demo's teams (demo.volunteers, demo.teams) and service days.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import RoleGrant, User
from accounts.roles import Role
from areas.models import Area
from demo import census
from demo.data import DEMO_PASSWORD
from demo.registry import DEMO_TODAY
from registry.models import Resident, ResidentTag, Tag
from volunteers.models import Membership, MembershipStatus, Service, Team, Volunteer, VolunteerKind

# The city-wide services every volunteer can offer (a migration may seed them too).
DEFAULT_SERVICES = ["理发", "修家电", "量血压", "送餐", "陪诊", "法律咨询"]


@dataclass
class Person:
    """Someone to enrol: a resident of the registry, or a person with a verified phone."""

    name: str
    kind: str
    resident: Resident | None = None
    affiliation: str = ""
    category: str = ""
    leader: bool = False
    user: User | None = None


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def ensure_services() -> dict[str, Service]:
    services = {}
    for position, name in enumerate(DEFAULT_SERVICES, start=1):
        services[name], _new = Service.objects.get_or_create(
            area=None, name=name, defaults={"position": position * 10}
        )
    return services


class Enrolment:
    """Volunteers for a committee: residents keep their record and account; others get a
    made-up but well-formed mobile number, verified, from a block of the committee's own."""

    def __init__(self, committee: Area, seed: int, registered_by: User | None) -> None:
        self.committee = committee
        self.rng = random.Random(seed)
        self.maker = census.PeopleMaker(seed, DEMO_TODAY)
        self.registered_by = registered_by
        self.used = set(Volunteer.objects.exclude(phone="").values_list("phone", flat=True))
        self.block = f"137{int(committee.code[-4:]):04d}"
        self.next = 0

    def name(self) -> str:
        return self.maker.name(self.rng.random() < 0.5)

    def phone(self) -> str:
        while True:
            self.next += 1
            phone = f"{self.block}{self.next:04d}"
            if phone not in self.used:
                self.used.add(phone)
                return phone

    def _resident_phone(self, person: Resident) -> str:
        phone = person.user.phone if person.user else person.phone
        if len(phone) != 11 or not phone.isdigit() or phone in self.used:
            return ""
        self.used.add(phone)
        return phone

    def volunteers(self, people: list[Person], registered_at: list[datetime]) -> list[Volunteer]:
        """One volunteer per person (a resident already volunteering is reused)."""
        known = {
            v.resident_id: v
            for v in Volunteer.objects.filter(resident__in=[p.resident for p in people if p.resident])
        }
        rows, made = [], []
        for person, when in zip(people, registered_at, strict=True):
            if person.resident is not None and person.resident.pk in known:
                made.append(known[person.resident.pk])
                continue
            resident = person.resident
            phone = self._resident_phone(resident) if resident else self.phone()
            volunteer = Volunteer(
                committee=self.committee,
                user=resident.user if resident else person.user,
                resident=resident,
                name=person.name,
                kind=person.kind,
                phone=phone,
                phone_verified_at=when if phone else None,
                affiliation=person.affiliation,
                registered_at=when,
                registered_by=None if resident and resident.user else self.registered_by,
            )
            rows.append(volunteer)
            made.append(volunteer)
            if resident is not None:
                known[resident.pk] = volunteer
        Volunteer.objects.bulk_create(rows)
        return made


def membership(team: Team, volunteer: Volunteer, person: Person, categories: dict, joined: date, by):
    return Membership(
        team=team,
        volunteer=volunteer,
        category=categories.get(person.category),
        is_leader=person.leader,
        status=MembershipStatus.ACTIVE,
        requested_at=at(joined - timedelta(days=2), 19, 30),
        joined_on=joined,
        decided_by=by,
        decided_at=at(joined, 9),
    )


def adults(
    committee: Area, lowest: int = 18, highest: int = 120, *, sample: int = 0, seed: int = 0, **where
) -> list[Resident]:
    """The residents of an age, in registry order; or ``sample`` of them drawn with ``seed``
    (reading only their ids first: a large estate has ten thousand people)."""
    found = Resident.objects.living().filter(
        committee=committee,
        birth_date__lte=DEMO_TODAY.replace(year=DEMO_TODAY.year - lowest),
        birth_date__gt=DEMO_TODAY.replace(year=DEMO_TODAY.year - highest - 1),
        **where,
    )
    if sample:
        ids = list(found.order_by("pk").values_list("pk", flat=True))
        found = found.filter(pk__in=random.Random(seed).sample(ids, min(sample, len(ids))))
    return list(found.select_related("household__building", "user").order_by("pk"))


def tags_of(people: list[Resident]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for resident_id, tag in ResidentTag.objects.filter(resident__in=people).values_list("resident_id", "tag"):
        found.setdefault(resident_id, set()).add(tag)
    return found


@cache
def password_hash() -> str:
    """The demo password, hashed once for the demo's volunteer logins (each hash takes long)."""
    return make_password(DEMO_PASSWORD)


def login_for(person: Resident, phone: str, committee: Area) -> User:
    """An account of their own for a resident of the registry, verified, with the volunteer
    role over their committee (as the demo's other volunteer login)."""
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = User.objects.create(
            phone=phone, name=person.name, home_area_id=person.household.building_id, password=password_hash()
        )
    if person.user_id is None:
        person.user, person.verified_at = user, timezone.now()
        person.save()
    RoleGrant.objects.get_or_create(user=user, role=Role.VOLUNTEER, area=committee, revoked_at=None)
    return user


def simple_team(
    committee: Area,
    spec: dict,
    people: list[Person],
    enrol: Enrolment,
    by: User | None,
) -> tuple[Team, list[Volunteer]]:
    """A team with its members: a third since its founding, the others joined since; the
    first ``leaders`` lead it."""
    founded = spec["founded"]
    team = Team.objects.create(
        area=committee,
        name=spec["name"],
        kind=spec["kind"],
        about=spec["about"],
        meets=spec.get("meets", ""),
        how_to_join=spec.get("join", "到居委会或在本页申请加入"),
        founded_on=founded,
        created_at=at(founded),
    )
    rng = random.Random(spec["name"])
    span = (DEMO_TODAY - timedelta(days=30) - founded).days
    founders = max(len(people) // 3, 1)
    joined = sorted(
        founded if i < founders else founded + timedelta(days=rng.randint(1, span))
        for i in range(len(people))
    )
    for person in people[: spec.get("leaders", 1)]:
        person.leader = True
    volunteers = enrol.volunteers(people, [at(d - timedelta(days=2), 19, 30) for d in joined])
    Membership.objects.bulk_create(
        [membership(team, v, p, {}, d, by) for v, p, d in zip(volunteers, people, joined, strict=True)]
    )
    return team, volunteers


def with_accounts_first(people: list[Resident]) -> list[Resident]:
    """Those with an account first: a team's first members lead it, and lead it in the app."""
    return sorted(people, key=lambda p: p.user_id is None)


def residents_as(found: list[Resident], tags: dict[int, set[str]] | None = None) -> list[Person]:
    tags = tags or {}
    return [
        Person(p.name, VolunteerKind.PARTY_MEMBER, p, "社区报到党员")
        if Tag.SERVING_PARTY_MEMBER in tags.get(p.pk, set())
        else Person(p.name, VolunteerKind.RESIDENT, p)
        for p in found
    ]
