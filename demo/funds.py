"""Demo community fund (社区基金, issue 21), from seed 000.

- 延长新村 (大宁路街道) keeps the 大宁社区基金, opened with the street's grant for the year.
- Its 爱心电梯 campaign paid for a lift for the elderly of 62号楼: a charity auction (慈善义拍)
  of residents' calligraphy and paintings, and 333 residents' donations over two months, some
  anonymous to the public (the committee knows who gave), one gift in kind (the lift's
  handrails, at their stated value).
- The lift's expense, to the installer, recorded by 王社工 with the invoice, approved by 李书记
  and then 陈街道 (two different people, neither the recorder): only then paid.
- One donation recorded twice by mistake, reversed with its reason: the ledger keeps both.

Through the services (``funds.services``, ``funds.gifts``, ``funds.expenses``,
``funds.ledger``), with the demo staff's scopes, so every rule holds; the ledger writes the
audit log as it goes. Idempotent: nothing is added once 延长新村 has its fund.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from accounts.scope import resolve_scope
from areas.models import Area
from funds import expenses, gifts, ledger, services
from funds.models import Fund, GiftKind
from registry.models import Resident

YANCHANG = "310106019001"
FUND = "大宁社区基金"
CAMPAIGN = "爱心电梯"
DONORS = 333
GOAL = Decimal("360000.00")
GRANT = Decimal("80000.00")
AUCTION = Decimal("126800.00")
LIFT = Decimal("342000.00")
WORKER, LEAD, STREET = "13800000001", "13800000002", "13800000006"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "建国秀英志强丽华桂兰明德文杰美玲国庆海燕小红金宝春梅玉珍德华淑珍振华凤英永康佩芳"


def _names(committee: Area, rng: random.Random) -> list[str]:
    """The donors: the committee's residents first, then neighbours' names made up."""
    names = list(
        Resident.objects.filter(household__building__path__startswith=committee.path)
        .order_by("pk")
        .values_list("name", flat=True)[:DONORS]
    )
    rng.shuffle(names)
    while len(names) < DONORS:
        given = GIVEN[rng.randrange(0, len(GIVEN) // 2) * 2 :][:2]
        names.append(rng.choice(SURNAMES) + given)
    return names


def load() -> int:
    """The fund, its campaign, gifts and the lift; the number of donations, 0 once loaded."""
    committee = Area.objects.filter(code=YANCHANG).first()
    worker = User.objects.filter(phone=WORKER).first()
    lead = User.objects.filter(phone=LEAD).first()
    street = User.objects.filter(phone=STREET).first()
    if committee is None or worker is None or lead is None or street is None:
        return 0
    if Fund.objects.filter(area=committee, name=FUND).exists():
        return 0
    rng = random.Random(21000)
    today = timezone.localdate()
    keep = resolve_scope(worker, {})
    fund = services.open_fund(
        committee,
        name=FUND,
        about="大宁路街道延长新村居民区的社区基金：取之于社区，用之于社区，每一笔收支都公开。",
        bank_account="上海农商银行 大宁支行 **** 6021",
        scope=keep,
    )
    lift = services.add_campaign(
        fund,
        name=CAMPAIGN,
        goal=GOAL,
        ends_on=today + timedelta(days=20),
        about="为62号楼加装电梯，让楼里的老人上下楼不再难。慈善义拍、社区基金和333位居民共同出资。",
        scope=keep,
    )
    start = today - timedelta(days=70)

    def gift(kind, amount, name, day, campaign=lift, anonymous=False, what="", phone=""):
        draft = gifts.GiftDraft(
            kind=kind,
            amount=amount,
            donor_name=name,
            received_on=day,
            campaign=campaign,
            anonymous=anonymous,
            what=what,
            donor_phone=phone,
        )
        return gifts.record(fund, draft, by=worker, scope=keep)

    gift(GiftKind.GRANT, GRANT, "大宁路街道办事处", start, campaign=None)
    days = sorted(start + timedelta(days=rng.randint(3, 65)) for _ in range(DONORS))
    amounts = [Decimal(rng.choice([50, 100, 100, 200, 200, 300, 500, 500, 800, 1000, 2000])) for _ in days]
    auction_day = start + timedelta(days=30)
    auctioned = False
    first = None
    for n, (day, amount, name) in enumerate(zip(days, amounts, _names(committee, rng), strict=True)):
        if not auctioned and day >= auction_day:
            gift(GiftKind.AUCTION, AUCTION, "慈善义拍：居民书画作品", auction_day)
            auctioned = True
        made = gift(GiftKind.DONATION, amount, name, day, anonymous=rng.random() < 0.15)
        first = first or made
        if n == 100:  # a donation entered twice by mistake, then reversed
            twice = gift(GiftKind.DONATION, amount, name, day)
            ledger.reverse(twice.entry, reason="同一笔捐款重复录入", by=worker, scope=keep)
    gift(
        GiftKind.IN_KIND,
        Decimal("6800.00"),
        "上海某五金公司",
        today - timedelta(days=5),
        what="电梯厅扶手与防滑地垫",
    )
    expense = expenses.record(
        fund,
        expenses.ExpenseDraft(
            payee="上海某电梯工程有限公司",
            purpose="62号楼加装电梯（设备与安装）",
            amount=LIFT,
            paid_on=today - timedelta(days=2),
            campaign=lift,
        ),
        by=worker,
        scope=keep,
    )
    expenses.approve(expense, by=lead, scope=resolve_scope(lead, {}))
    expenses.approve(expense, by=street, scope=resolve_scope(street, {}))
    return DONORS
