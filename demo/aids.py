"""Demo lending of care aids (辅具租借, issue 19), from seed 003: 公交新村 lists its
rehabilitation-aid rental (康复辅具租赁) on the Community Cloud, and lends from the committee's
store room: wheelchairs, walkers, commode chairs, bath chairs and two hospital beds, each kind
with its policy (how long, renewals, deposit, for residents of 60+ or with a disability; a
hospital bed needs the staff's approval).

Half a year of loans, most returned with their condition noted; eight out now, one of them
overdue and one due back in two days. A walker is set aside for a resident to collect by the
day after tomorrow; a resident waits in the queue for a hospital bed (one is out, the other
waits for repair); one hold expired uncollected in the autumn.

The ORM in bulk, keeping what the services keep: an item's loans follow one another (never
two out at once; the database refuses it anyway), an item set aside is not out, an item out
is in service, a borrower is eligible for the kind, a loan from a hold has that hold
collected. Idempotent: nothing is added once 公交新村 has kinds of aid.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from aids.models import AidCategory, AidItem, AidKind, Condition, Hold, HoldStatus, Loan
from areas.models import Area
from demo.enrolment import adults, at
from demo.registry import DEMO_TODAY
from registry.models import Resident, ResidentTag, Tag
from spaces.models import Site, SiteKind

GONGJIAO = "310110009016"  # 公交新村
HU, MA = "13800000012", "13800000014"  # 胡主任, 马社工
STORE = "公交新村居委会辅具室"


@dataclass(frozen=True)
class KindSpec:
    name: str
    category: str
    code: str
    loan_days: int
    renewals: int
    deposit: int
    conditions: tuple[str, ...]  # one per item
    needs_approval: bool = False
    about: str = ""


N, G, F, R, X = Condition.NEW, Condition.GOOD, Condition.FAIR, Condition.NEEDS_REPAIR, Condition.RETIRED
KINDS = [
    KindSpec(
        "轮椅",
        AidCategory.WHEELCHAIR,
        "LY",
        30,
        2,
        200,
        (N, G, G, G, F, R),
        about="折叠式手动轮椅，带脚踏和安全带。",
    ),
    KindSpec("助行器", AidCategory.WALKER, "ZX", 60, 1, 100, (G, G, G, F, F), about="四脚助行器，可调高度。"),
    KindSpec(
        "坐便椅", AidCategory.COMMODE, "ZB", 90, 1, 50, (N, G, G, F), about="带扶手的坐便椅，可放在床边。"
    ),
    KindSpec("洗澡椅", AidCategory.BATH_CHAIR, "XZ", 90, 1, 50, (G, G, F, X), about="防滑洗澡椅，带靠背。"),
    KindSpec(
        "护理床",
        AidCategory.HOSPITAL_BED,
        "HL",
        90,
        3,
        500,
        (G, R),
        needs_approval=True,
        about="手摇双摇护理床，居委会审核后上门安装；适合出院后卧床的老人。",
    ),
]
NOTES: dict[tuple[str, str], str] = {
    ("LY", R): "刹车失灵，等厂家上门维修",
    ("HL", R): "摇杆断了，已报修",
    ("XZ", X): "坐板开裂，已停用",
}
# Loans out now: (kind, item index, days since lent); the overdue one and the one due in two
# days are set by their due dates below.
OUT = [("轮椅", 0, 35), ("轮椅", 1, 25), ("轮椅", 2, 10), ("助行器", 0, 20), ("坐便椅", 0, 40)]
OUT += [("洗澡椅", 0, 15), ("护理床", 0, 50), ("助行器", 1, 58)]
OVERDUE, DUE_SOON = ("轮椅", 0), ("助行器", 1)
READY = ("助行器", 2)


def _borrowers(committee: Area) -> list[Resident]:
    """Residents of 60 and over, and a few younger ones with a disability: the kinds' rule."""
    elders = adults(committee, 61, 100, sample=60, seed=3)
    disabled = ResidentTag.objects.filter(resident__committee=committee, tag=Tag.DISABLED)
    younger = list(
        Resident.objects.living()
        .filter(
            pk__in=disabled.values("resident_id"),
            birth_date__gt=DEMO_TODAY.replace(year=DEMO_TODAY.year - 60),
        )
        .exclude(pk__in=[p.pk for p in elders])
        .select_related("user")
        .order_by("pk")[:4]
    )
    people = elders + younger
    random.Random(3).shuffle(people)
    return people


def _free_between(item: AidItem, loans: list[Loan], first, last) -> bool:
    return not any(
        loan.item is item and loan.lent_at < last and (loan.returned_at is None or loan.returned_at > first)
        for loan in loans
    )


def load() -> int:
    """Kinds, items, loans and holds at 公交新村; 0 once it has kinds of aid."""
    committee = Area.objects.get(code=GONGJIAO)
    if AidKind.objects.filter(area=committee).exists():
        return 0
    hu = User.objects.filter(phone=HU).first()
    ma = User.objects.filter(phone=MA).first() or hu
    rng = random.Random(3)
    store = Site.objects.create(
        area=committee,
        name=STORE,
        kind=SiteKind.OFFICE,
        address="公交新村居委会一楼",
        hours_note="周一至周五 9:00–11:30、13:30–16:30",
        about="康复辅具租借：带上身份证和押金来领，行动不便的可以请家人代领。",
        map_x=Decimal(45),
        map_y=Decimal(50),
    )
    today, now = timezone.localdate(), timezone.now()
    kinds = {
        spec.name: AidKind(
            area=committee,
            name=spec.name,
            category=spec.category,
            about=spec.about,
            loan_days=spec.loan_days,
            renewals=spec.renewals,
            renewal_days=30,
            deposit=Decimal(spec.deposit),
            min_age=60,
            tags="disabled",
            needs_approval=spec.needs_approval,
            hold_days=3,
            created_at=at(date(2023, 3, 1), 10),
        )
        for spec in KINDS
    }
    AidKind.objects.bulk_create(list(kinds.values()))
    items: dict[tuple[str, int], AidItem] = {}
    for spec in KINDS:
        for i, condition in enumerate(spec.conditions):
            items[(spec.name, i)] = AidItem(
                kind=kinds[spec.name],
                site=store,
                code=f"{spec.code}-{i + 1:02d}",
                condition=condition,
                notes=NOTES.get((spec.code, condition), ""),
                added_at=at(today - timedelta(days=120), 10)
                if condition == N
                else at(date(2023, 3, 1) + timedelta(days=20 * i), 10),
            )
    AidItem.objects.bulk_create(list(items.values()))
    borrowers = iter(_borrowers(committee))
    loans: list[Loan] = []
    holds: list[Hold] = []
    out_now = {(kind, i): days for kind, i, days in OUT}
    for key, item in items.items():
        kind = item.kind
        if item.condition in (R, X):
            continue
        lent = today - timedelta(days=out_now.get(key, 0))
        due = lent + timedelta(days=kind.loan_days)
        if key == OVERDUE:  # renewed once already, and five days late
            due = today - timedelta(days=5)
            lent = due - timedelta(days=kind.loan_days + kind.renewal_days)
        elif key == DUE_SOON:
            due = today + timedelta(days=2)
        # Returned loans, one after another, over the half year before the current one.
        day = max(today - timedelta(days=180 + rng.randint(0, 20)), item.added_at.date() + timedelta(days=1))
        end = lent - timedelta(days=2)
        while True:
            length = rng.randint(max(kind.loan_days // 3, 7), kind.loan_days + 10)
            back = day + timedelta(days=length)
            if back >= end:
                break
            person = next(borrowers)
            lent_at = at(day, 9, rng.randint(0, 59))
            worn = rng.random() < 0.2
            loans.append(
                Loan(
                    item=item,
                    resident=person,
                    lent_by=ma,
                    lent_at=lent_at,
                    due_on=day + timedelta(days=kind.loan_days),
                    deposit=kind.deposit,
                    condition_out=G,
                    returned_at=at(back, 14, rng.randint(0, 59)),
                    returned_to=ma,
                    condition_back=F if worn else G,
                    notes_back="扶手有划痕，不影响使用" if worn else "",
                    deposit_returned=kind.deposit,
                    renewals=1 if length > kind.loan_days else 0,
                )
            )
            if length > kind.loan_days:
                loans[-1].due_on += timedelta(days=kind.renewal_days)
            day = back + timedelta(days=rng.randint(2, 12))
        if key not in out_now:
            continue
        person = next(borrowers)
        loan = Loan(
            item=item,
            resident=person,
            lent_by=ma,
            lent_at=at(lent, 10, 15),
            due_on=due,
            deposit=kind.deposit,
            condition_out=item.condition,
            notes_out="配送上门安装" if kind.category == AidCategory.HOSPITAL_BED else "",
            renewals=1 if key == OVERDUE else 0,
        )
        if kind.needs_approval:  # the bed came through an approved hold
            hold = Hold(
                kind=kind,
                resident=person,
                asked_by=person.user or ma,
                asked_at=loan.lent_at - timedelta(days=4),
                status=HoldStatus.COLLECTED,
                note="老伴出院后卧床，需要护理床",
                decided_by=hu,
                decided_at=loan.lent_at - timedelta(days=3),
                item=item,
                ready_at=loan.lent_at - timedelta(days=2),
                expires_at=loan.lent_at + timedelta(days=1),
                ended_at=loan.lent_at,
            )
            holds.append(hold)
            loan.hold = hold
        loans.append(loan)
    # A walker set aside to collect, a resident queueing for the bed, an expired hold.
    ready_item = items[READY]
    set_aside = now - timedelta(days=69), now - timedelta(days=66)
    lapsed_item = next(
        (
            item
            for (name, _i), item in items.items()
            if name == "轮椅" and item.condition in (N, G, F) and _free_between(item, loans, *set_aside)
        ),
        None,
    )
    waiting, ready, lapsed = next(borrowers), next(borrowers), next(borrowers)
    holds += [
        Hold(
            kind=ready_item.kind,
            resident=ready,
            asked_by=ready.user or ma,
            asked_at=now - timedelta(days=2, hours=3),
            status=HoldStatus.READY,
            note="腿脚不便，出门需要助行器",
            item=ready_item,
            ready_at=now - timedelta(days=1),
            expires_at=now + timedelta(days=2),
        ),
        Hold(
            kind=kinds["护理床"],
            resident=waiting,
            asked_by=waiting.user or ma,
            asked_at=now - timedelta(days=6),
            status=HoldStatus.WAITING,
            note="中风后在家康复，家属申请",
            decided_by=hu,
            decided_at=now - timedelta(days=5),
        ),
        Hold(
            kind=kinds["轮椅"],
            resident=lapsed,
            asked_by=lapsed.user or ma,
            asked_at=now - timedelta(days=70),
            status=HoldStatus.EXPIRED,
            item=lapsed_item,
            ready_at=set_aside[0],
            expires_at=set_aside[1],
            ended_at=set_aside[1],
            reason="三天内没有来领，已顺延给下一位",
        ),
    ]
    Hold.objects.bulk_create(holds)
    Loan.objects.bulk_create(loans)
    return len(items)
