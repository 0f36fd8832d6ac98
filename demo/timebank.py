"""The demo time bank (时间银行, issue 18): every confirmed hour of the demo earned one credit
(Shanghai's 1 hour = 1 credit, 天山河畔花园's own rule says so too); a 在职党员 of 宁聚883 gave
some of hers to her elderly mother living with her (转赠), another donated to the
committee's pool (捐赠), and the mother, over 65, has asked for a volunteer to go with her to
the hospital (陪诊): her credits are held for it while it waits for a volunteer.

Written in bulk with the ledger's invariants: each account's ``balance`` is the sum of its
entries, and each entry's ``balance_after`` the running sum in time order, never negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from areas.models import Area
from demo.enrolment import at
from demo.registry import DEMO_TODAY
from demo.volunteers import TIANSHAN
from registry.models import Resident
from volunteers.models import (
    BankRequest,
    BankRule,
    CreditAccount,
    CreditEntry,
    CreditKind,
    HoursEntry,
    Service,
    Volunteer,
    VolunteerKind,
)

RATE = Decimal(1)
GIFT, DONATION, ASKED = Decimal(3), Decimal(2), Decimal(2)


@dataclass
class Line:
    account: CreditAccount
    at: datetime
    amount: Decimal
    kind: str
    by_id: int | None = None
    hours_entry: HoursEntry | None = None
    counterpart: CreditAccount | None = None
    request: BankRequest | None = None
    note: str = ""


def _elder_at_home(volunteer: Volunteer) -> Resident | None:
    """A parent of 65 or more in the volunteer's household, if they have one."""
    if volunteer.resident is None:
        return None
    born_by = DEMO_TODAY.replace(year=DEMO_TODAY.year - 65)
    return (
        Resident.objects.living()
        .filter(household_id=volunteer.resident.household_id, birth_date__lte=born_by)
        .order_by("birth_date", "pk")
        .first()
    )


def _earned(accounts: dict[int, CreditAccount]) -> list[Line]:
    lines = []
    entries = HoursEntry.objects.confirmed().filter(volunteer_id__in=accounts).order_by("confirmed_at", "pk")
    for entry in entries:
        assert entry.confirmed_at is not None
        lines.append(
            Line(
                accounts[entry.volunteer_id],
                entry.confirmed_at,
                entry.hours * RATE,
                CreditKind.EARNED,
                entry.confirmed_by_id,
                hours_entry=entry,
            )
        )
    return lines


def _post(lines: list[Line]) -> None:
    """The running balance in time order; then the accounts, holding their balance from the
    start, and every line, each in one insert."""
    lines.sort(key=lambda line: line.at)
    accounts = {id(line.account): line.account for line in lines}
    balance = dict.fromkeys(accounts, Decimal(0))
    rows = []
    for line in lines:
        after = balance[id(line.account)] + line.amount
        assert after >= 0, line
        balance[id(line.account)] = after
        rows.append(
            CreditEntry(
                account=line.account,
                amount=line.amount,
                balance_after=after,
                kind=line.kind,
                hours_entry=line.hours_entry,
                counterpart=line.counterpart,
                request=line.request,
                note=line.note,
                by_id=line.by_id,
                at=line.at,
            )
        )
    for key, account in accounts.items():
        account.balance = balance[key]
    CreditAccount.objects.bulk_create(list(accounts.values()))
    CreditEntry.objects.bulk_create(rows)


def load() -> int:
    """Accounts for every volunteer with confirmed hours; 0 once any account exists."""
    if CreditAccount.objects.exists():
        return 0
    committee = Area.objects.get(code=TIANSHAN)
    BankRule.objects.get_or_create(area=committee, defaults={"credits_per_hour": RATE, "min_age": 65})
    earners = (
        Volunteer.objects.filter(hours__confirmed_at__isnull=False)
        .distinct()
        .select_related("resident", "user")
        .order_by("pk")
    )
    accounts = {v.pk: CreditAccount(volunteer=v, area_id=v.committee_id) for v in earners}
    lines = _earned(accounts)
    lines += _gift_donation_and_request(committee, accounts, lines)
    _post(lines)
    return CreditAccount.objects.count()


def _gift_donation_and_request(
    committee: Area, accounts: dict[int, CreditAccount], earned: list[Line]
) -> list[Line]:
    now = timezone.now()

    def had(volunteer: Volunteer, amount: Decimal) -> bool:
        account = accounts[volunteer.pk]
        return (
            sum(x.amount for x in earned if x.account is account and x.at < now - timedelta(days=6)) >= amount
        )

    ningju = [
        a.volunteer
        for a in accounts.values()
        if a.volunteer
        and a.volunteer.committee_id == committee.pk
        and a.volunteer.kind == VolunteerKind.PARTY_MEMBER
        and a.volunteer.user is not None
    ]
    giver = next((v for v in ningju if had(v, GIFT) and _elder_at_home(v) is not None), None)
    donor = next(v for v in ningju if v is not giver and had(v, DONATION))
    lines = [
        Line(
            accounts[donor.pk],
            now - timedelta(days=5),
            -DONATION,
            CreditKind.DONATED,
            donor.user_id,
            note="捐给居委会时间银行",
        ),
    ]
    pool = CreditAccount(pool=committee, area=committee)
    lines.append(
        Line(
            pool,
            now - timedelta(days=5),
            DONATION,
            CreditKind.DONATION,
            donor.user_id,
            counterpart=accounts[donor.pk],
        )
    )
    lines[0].counterpart = pool
    if giver is None:
        return lines
    mother = _elder_at_home(giver)
    assert mother is not None
    home = CreditAccount(resident=mother, area=committee)
    when = now - timedelta(days=3)
    lines += [
        Line(
            accounts[giver.pk],
            when,
            -GIFT,
            CreditKind.GIFT_OUT,
            giver.user_id,
            counterpart=home,
            note="转赠给母亲",
        ),
        Line(home, when, GIFT, CreditKind.GIFT_IN, giver.user_id, counterpart=accounts[giver.pk]),
    ]
    request = BankRequest.objects.create(
        area=committee,
        resident=mother,
        service=Service.objects.get(area=None, name="陪诊"),
        wanted_at=at(timezone.localdate() + timedelta(days=4), 8, 30),
        hours=ASKED,
        credits=ASKED * RATE,
        details="去同仁医院复诊，需要有人陪同挂号、取药",
        requested_by=mother.user or giver.user,
        requested_at=now - timedelta(days=1),
    )
    lines.append(
        Line(
            home,
            request.requested_at,
            -request.credits,
            CreditKind.SPENT,
            request.requested_by_id,
            request=request,
        )
    )
    return lines
