"""Demo partner units (共建单位, issue 18) of 江秋新苑 (seed 004): 15 units in its "家的N次方"
party-building alliance, among them the town's community health centre (four doctors a
month at the four service points since 2017), the 佘山 fire brigade, 上海司法警官学校 and
佘山学校, which solved a grandchild's school-entry problem: the request, logged on a visit,
was given to the school and resolved. Each unit has its agreement, what it offers, a contact
and what it gave this year. 佘山学校's 周老师 logs in for her unit.

Idempotent: nothing is added once 江秋新苑 has units.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from accounts.models import User
from areas.models import Area
from demands.models import Assignee, DemandSource
from demo.demands import _assign, _at, _logged, _rate, _reply, _resolve
from demo.enrolment import at
from demo.registry import DEMO_TODAY
from partners.models import Agreement, Contribution, Offer, OfferKind, PartnerContact, PartnerUnit, UnitKind
from registry.models import Gender, Relation, Resident

JIANGQIU = "310117103004"
CHEN = "13800000018"  # 陈书记
ZHOU = "13800000019"  # 周老师, 佘山学校
DANING, DANING_LOGIN = "310106019", "13800000005"  # 大宁路街道 and its health centre's login
SCHOOL = "佘山学校"
OK = OfferKind

# (name, kind, address, contact, phone, about, offers [(kind, what, how much)], agreement from)
UNITS = [
    (
        "佘山镇社区卫生服务中心",
        UnitKind.CLINIC,
        "佘山镇佘北公路",
        "黄菊妹",
        "021-57651234",
        "与江秋新苑党建结对，每月派医生到4个党群服务点义务服务，2017年以来累计服务6400人次。",
        [(OK.DOCTORS, "每月4名医生到4个党群服务点：量血压、测血糖、体检报告咨询", "每月一次")],
        2017,
    ),
    (
        "佘山消防救援中队",
        UnitKind.FIRE_STATION,
        "佘山镇林荫新路",
        "沈指导员",
        "021-57652119",
        "",
        [(OK.TEACHING, "消防安全讲座和楼道逃生演练", "每季度一次")],
        2019,
    ),
    (
        "上海司法警官学校",
        UnitKind.SCHOOL,
        "佘山镇",
        "钱老师",
        "021-57653301",
        "",
        [
            (OK.VOLUNTEERS, "学生志愿者参加防诈骗宣传和小区巡逻", "每月两次"),
            (OK.LEGAL, "普法讲座", "每半年一次"),
        ],
        2019,
    ),
    (
        SCHOOL,
        UnitKind.SCHOOL,
        "佘山镇江秋路",
        "周老师",
        "021-57654410",
        "九年一贯制学校；为社区困难家庭孩子的入学、课后看护提供帮助。",
        [(OK.ROOM, "周末开放操场给居民锻炼", "每周六、周日"), (OK.TEACHING, "暑期青少年微课堂", "每年暑假")],
        2020,
    ),
    (
        "佘山镇中心幼儿园",
        UnitKind.SCHOOL,
        "佘山镇",
        "陆园长",
        "021-57655520",
        "",
        [(OK.TEACHING, "亲子阅读活动", "每月一次")],
        2021,
    ),
    (
        "佘山派出所",
        UnitKind.POLICE,
        "佘山镇",
        "江秋新苑社区民警",
        "021-57656110",
        "",
        [(OK.TEACHING, "防诈骗宣传进楼组", "每月一次")],
        2018,
    ),
    (
        "上海佘诚律师事务所",
        UnitKind.LAW_OFFICE,
        "松江区",
        "吴律师",
        "13916630001",
        "",
        [(OK.LEGAL, "律师驻点法律咨询（遗产、租赁、邻里纠纷）", "每月第二个周四下午")],
        2021,
    ),
    (
        "上海欢乐谷",
        UnitKind.FIRM,
        "佘山镇林湖路888号",
        "工会办公室",
        "021-33552222",
        "",
        [(OK.FUNDS, "重阳节敬老活动经费", "每年一次")],
        2022,
    ),
    (
        "农工商超市佘山店",
        UnitKind.FIRM,
        "佘山镇",
        "店长",
        "021-57657788",
        "",
        [(OK.OTHER, "暖冬集市的慰问品和便民服务日的饮用水", "每年两次")],
        2022,
    ),
    (
        "上海农商银行佘山支行",
        UnitKind.FIRM,
        "佘山镇",
        "营业部",
        "021-57658899",
        "",
        [(OK.TEACHING, "老年人防金融诈骗讲座", "每季度一次")],
        2020,
    ),
    (
        "上海辰山植物园",
        UnitKind.OTHER,
        "松江区辰花公路3888号",
        "科普部",
        "021-37792222",
        "",
        [(OK.TEACHING, "社区绿化和垃圾分类科普", "每年春秋两次")],
        2021,
    ),
    (
        "佘山镇文化体育服务中心",
        UnitKind.GOVERNMENT,
        "佘山镇",
        "文体干事",
        "021-57659900",
        "",
        [(OK.EQUIPMENT, "露天电影放映设备", "每月一次"), (OK.TEACHING, "舞蹈队、书画班的老师", "每周")],
        2018,
    ),
    (
        "松江区乐龄社会工作服务社",
        UnitKind.SOCIAL_ORG,
        "松江区",
        "项目社工",
        "13916630002",
        "",
        [(OK.VOLUNTEERS, "独居老人探访和心理关爱项目", "每周两次")],
        2022,
    ),
    (
        "佘山镇志愿者协会",
        UnitKind.SOCIAL_ORG,
        "佘山镇",
        "秘书处",
        "13916630003",
        "",
        [(OK.VOLUNTEERS, "便民服务日的理发、磨刀、缝补志愿者", "每月一次")],
        2019,
    ),
    (
        "江秋新苑物业服务中心",
        UnitKind.PROPERTY,
        "江秋新苑65幢旁",
        "物业经理",
        "021-57650001",
        "",
        [(OK.ROOM, "第二党群服务点的场地", "长期")],
        2017,
    ),
]


def _units(committee: Area, chen: User | None) -> dict[str, PartnerUnit]:
    today = timezone.localdate()
    units, agreements, offers, contributions = {}, [], [], []
    for name, kind, address, contact, phone, about, _gives, since in UNITS:
        units[name] = PartnerUnit(
            area=committee,
            name=name,
            kind=kind,
            address=address,
            about=about,
            contact_name=contact,
            contact_phone=phone,
            created_at=at(date(since, 1, 15), 10),
        )
    PartnerUnit.objects.bulk_create(list(units.values()))
    for name, _kind, _address, _contact, _phone, _about, gives, since in UNITS:
        unit = units[name]
        first_end = min(date(since + 2, 12, 31), date(2023, 12, 31))
        agreements.append(
            Agreement(
                unit=unit,
                title=f"“家的N次方”党建联盟共建协议（{since}—{first_end.year}）",
                signed_on=date(since, 1, 10),
                starts_on=date(since, 1, 1),
                ends_on=first_end,
                terms="双方结对共建，资源共享、活动共办、难题共解。",
            )
        )
        if first_end.year < 2024:
            agreements.append(
                Agreement(
                    unit=unit,
                    title="“家的N次方”党建联盟共建协议（2024—2026）",
                    signed_on=date(2024, 1, 10),
                    starts_on=date(2024, 1, 1),
                    ends_on=date(2026, 12, 31),
                    terms="续签：双方结对共建，资源共享、活动共办、难题共解。",
                )
            )
        made = [Offer(unit=unit, kind=k, description=what, amount=much) for k, what, much in gives]
        offers += made
        for month in range(1, today.month):
            if name == UNITS[0][0] or month % 4 == 2:
                contributions.append(
                    Contribution(
                        unit=unit,
                        offer=made[0],
                        on=date(today.year, month, 10),
                        what=made[0].description,
                        people_served=60 if name == UNITS[0][0] else 25 + month,
                        hours=8 if name == UNITS[0][0] else 2,
                        recorded_by=chen,
                    )
                )
    Agreement.objects.bulk_create(agreements)
    Offer.objects.bulk_create(offers)
    Contribution.objects.bulk_create(contributions)
    return units


def _grandmother(committee: Area) -> Resident | None:
    """An elderly woman living with a grandchild of school-entry age, with her own account."""
    young = (DEMO_TODAY.replace(year=DEMO_TODAY.year - 7), DEMO_TODAY.replace(year=DEMO_TODAY.year - 5))
    homes = (
        Resident.objects.living()
        .filter(committee=committee, relation=Relation.GRANDCHILD, birth_date__range=young)
        .values("household_id")
    )
    return (
        Resident.objects.living()
        .filter(household_id__in=homes, gender=Gender.FEMALE, user__isnull=False)
        .filter(birth_date__lte=DEMO_TODAY.replace(year=DEMO_TODAY.year - 55))
        .select_related("user", "household__building")
        .order_by("pk")
        .first()
    )


def _school_entry(committee: Area, chen: User, school: PartnerUnit) -> int:
    grandma = _grandmother(committee)
    if grandma is None:
        return 0
    story = _logged(
        chen,
        grandma,
        "其他",
        "孙女今年该上小学了，因为户籍和居住证明的原因报不上名，全家很着急。",
        DemandSource.VISIT,
        _at(150, 10),
    )
    _assign(story, chen, _at(149, 9), kind=Assignee.PARTNER, unit=school)
    _reply(story, chen, _at(149, 10), "已联系共建单位佘山学校，学校正在帮忙核实材料，请您放心。")
    _resolve(story, chen, _at(140, 16), "佘山学校核实情况后为孩子办好了入学手续，孩子9月已正常入学。")
    assert grandma.user is not None
    _rate(
        story,
        grandma.user,
        _at(139, 19),
        5,
        "要是没有社区、没有组织的关心，我们孙女就上不了学了，全家都非常感激。",
    )
    return 1


def load() -> int:
    """江秋新苑's 15 units and 大宁路街道's health centre; 0 once 江秋新苑 has units."""
    committee = Area.objects.get(code=JIANGQIU)
    if PartnerUnit.objects.filter(area=committee).exists():
        return 0
    chen = User.objects.filter(phone=CHEN).first()
    units = _units(committee, chen)
    zhou = User.objects.filter(phone=ZHOU).first()
    if zhou is not None:
        PartnerContact.objects.create(unit=units[SCHOOL], user=zhou, since=date(2025, 9, 1))
    if chen is not None:
        _school_entry(committee, chen, units[SCHOOL])
    return len(units) + _daning_clinic()


def _daning_clinic() -> int:
    """大宁路街道's community health centre, a unit of the whole street: the demo's first
    partner-unit login (13800000005) acts for it."""
    street = Area.objects.get(code=DANING)
    unit = PartnerUnit.objects.create(
        area=street,
        name="大宁路街道社区卫生服务中心",
        kind=UnitKind.CLINIC,
        address="共和新路2299号",
        about="家庭医生签约服务，上门巡诊；各居委会的健康讲座和义诊。",
        contact_name="家庭医生办公室",
        contact_phone="021-56650000",
    )
    Agreement.objects.create(
        unit=unit,
        title="大宁路街道区域化党建共建协议（2025—2027）",
        signed_on=date(2025, 3, 1),
        starts_on=date(2025, 3, 1),
        ends_on=date(2027, 2, 28),
    )
    Offer.objects.create(unit=unit, kind=OK.DOCTORS, description="家庭医生上门巡诊、健康讲座", amount="每月")
    user = User.objects.filter(phone=DANING_LOGIN).first()
    if user is not None:
        PartnerContact.objects.create(unit=unit, user=user, since=date(2025, 3, 1))
    return 1
