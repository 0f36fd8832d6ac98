"""Demo requests (诉求 / 急难愁盼) from seeds 000, 001, 003 and 004.

- 慧芝湖花园 (seed 000): the social workers collect residents' demands every day and turn
  them into service projects. 钱老伯 of 5号楼 (纯老, walks with difficulty) asked online for
  someone to go with him to hospital (助行: done, rated 5) and reported the stairwell lights
  (物业报修, with the property management now). Three residents asked for meals — by phone,
  on a visit and at the desk — and 孙社工 grouped them into a meal-delivery project (助餐送餐
  服务, in progress: the 20-yuan set meal of the elders' canteen, delivered by volunteers to
  those who cannot walk). Others: the bike shed full of abandoned bikes (resolved, rated 4),
  cars in the fire lane (new, awaiting triage), a question about the old-age allowance
  (answered, rated 5), a property transfer (declined: not the committee's to do), a
  cleaning request withdrawn when the daughter came home.
- 公交新村 (seed 003): a burst pipe at an elderly resident's home logged by phone (助急,
  with the property management, four hours' service level, not done: overdue and escalated
  to 胡主任); flying leads charging e-bikes in a stairwell (安全隐患, resolved, rated 5); the
  red-roof garden's blocked drain (resolved, rated 4); a family doctor's home visits asked of
  the community health centre (助医, a partner unit, in progress); a policy question, new.

Made through the services (timeline, notifications and audit as in real use), then dated
back. Idempotent: nothing is added once 慧芝湖花园 has requests.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from accounts.scope import resolve_scope
from areas.models import Area, AreaLevel
from audit.context import acting_as
from demands import escalation, projects, services
from demands.models import Assignee, Category, Demand, DemandEvent, DemandSource, ServiceProject
from demands.projects import ProjectDraft
from demo.registry import own_account
from partners import services as partner_services
from partners.models import PartnerUnit, UnitKind
from partners.services import UnitDraft
from registry.models import Resident

HUIZHIHU = "310106019016"
GONGJIAO = "310110009016"
SUN = "13800000011"  # 孙社工, 慧芝湖花园
LIN = "13800000015"  # 林社工, 慧芝湖花园
MA = "13800000014"  # 马社工, 公交新村
HU = "13800000012"  # 胡主任, 公交新村
QIAN = "13900000002"  # 钱老伯, 5号楼


def _at(days_ago: float, hour: int = 9, minute: int = 0) -> datetime:
    day = timezone.localdate() - timedelta(days=int(days_ago))
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute))


def _ago(hours: float) -> datetime:
    return timezone.now() - timedelta(hours=hours)


def _category(name: str) -> Category:
    return Category.objects.get(committee=None, name=name)


class Story:
    """One request told step by step, each step dated."""

    def __init__(self, demand: Demand):
        self.demand = demand

    def _stamp(self, since: datetime, when: datetime) -> None:
        DemandEvent.objects.filter(demand=self.demand, at__gte=since).update(at=when)

    def step(self, when: datetime, action) -> Story:
        since = timezone.now()
        action(self.demand)
        self._stamp(since, when)
        self.demand.refresh_from_db()
        return self

    def dated(self, **fields) -> Story:
        Demand.objects.filter(pk=self.demand.pk).update(**fields)
        self.demand.refresh_from_db()
        return self


def _asked(user: User, person: Resident, name: str, text: str, when: datetime, **where) -> Story:
    since = timezone.now()
    made = services.submit(actor=user, resident=person, category=_category(name), text=text, **where)
    story = Story(made)
    story._stamp(since, when)
    return story.dated(created_at=when)


def _logged(
    staff: User, person: Resident, name: str, text: str, source: str, when: datetime, **where
) -> Story:
    since = timezone.now()
    made = services.log_for_resident(
        actor=staff,
        scope=resolve_scope(staff, {}),
        resident=person,
        category=_category(name),
        text=text,
        source=source,
        **where,
    )
    story = Story(made)
    story._stamp(since, when)
    return story.dated(created_at=when)


def _assign(
    story: Story, staff: User, when: datetime, *, worker=None, kind=Assignee.WORKER, name="", unit=None
) -> Story:
    scope = resolve_scope(staff, {})
    return story.step(
        when,
        lambda r: services.assign(
            actor=staff, scope=scope, demand=r, kind=kind, worker=worker, name=name, unit=unit, now=when
        ),
    )


def _partner_unit(staff: User, name: str, kind: str) -> PartnerUnit:
    """The committee's partner unit of that name (a request is given to a unit, not a name)."""
    scope = resolve_scope(staff, {})
    found = PartnerUnit.objects.current().filter(area=scope.area, name=name).first()
    return found or partner_services.create_unit(scope, UnitDraft(name=name, kind=kind))


def _reply(story: Story, staff: User, when: datetime, text: str, internal: bool = False) -> Story:
    scope = resolve_scope(staff, {})
    return story.step(
        when, lambda r: services.reply(actor=staff, demand=r, text=text, scope=scope, internal=internal)
    )


def _resolve(story: Story, staff: User, when: datetime, text: str) -> Story:
    scope = resolve_scope(staff, {})
    return story.step(
        when, lambda r: services.resolve(actor=staff, scope=scope, demand=r, resolution=text, now=when)
    )


def _rate(story: Story, user: User, when: datetime, rating: int, comment: str = "") -> Story:
    story.step(when, lambda r: services.rate(actor=user, demand=r, rating=rating, comment=comment))
    return story.dated(rated_at=when)


def _neighbours(committee: Area, count: int, *, skip: set[int]) -> list[Resident]:
    """Residents with a verified account, elderly first, the same ones every time."""
    people = (
        Resident.objects.living()
        .filter(committee=committee, user__isnull=False)
        .exclude(pk__in=skip)
        .select_related("household__building", "user", "committee")
        .order_by("birth_date", "pk")[:count]
    )
    return list(people)


def _building(committee: Area, name: str) -> Area | None:
    return Area.objects.subtree(committee).filter(level=AreaLevel.BUILDING, name=name).first()


def _huizhihu(committee: Area, sun: User, lin: User) -> int:
    qian = Resident.objects.filter(committee=committee, user__phone=QIAN).select_related("user").first()
    others = _neighbours(committee, 9, skip={qian.pk} if qian else set())
    if len(others) < 9:
        return 0
    made = 0
    if qian is not None:
        walk = _asked(
            own_account(qian),
            qian,
            "助行",
            "下周三上午要去市一医院复诊，腿脚不便，老伴也走不动，想请志愿者陪同去医院。",
            _at(20, 8, 40),
        )
        _assign(walk, sun, _at(20, 9, 30), worker=lin)
        _reply(walk, lin, _at(20, 10), "钱老伯您好，已联系助老志愿者小陈，周三早上8点到楼下接您。")
        _resolve(walk, lin, _at(17, 15), "志愿者小陈全程陪同就诊、取药，已约好下次复诊同行。")
        _rate(walk, own_account(qian), _at(17, 19), 5, "小陈很耐心，谢谢居委会！")
        lights = _asked(
            own_account(qian),
            qian,
            "物业报修",
            "5号楼楼道声控灯坏了三盏，二楼到四楼晚上漆黑，老人上下楼很危险。",
            _ago(20),
        )
        _assign(lights, lin, _ago(15), kind=Assignee.PROPERTY, name="慧芝湖花园物业服务中心")
        _reply(lights, lin, _ago(14.8), "已转物业，物业电工今天上门更换灯具。")
        made += 2

    meal_phone = _logged(
        sun,
        others[0],
        "助餐",
        "独居，做饭不方便，想了解社区长者食堂能否送餐上门。",
        DemandSource.PHONE,
        _at(30, 10),
    )
    meal_visit = _logged(
        lin,
        others[1],
        "助餐",
        "入户走访时了解到：老两口行动不便，希望每天中午有人送饭。",
        DemandSource.VISIT,
        _at(26, 15),
    )
    meal_desk = _logged(
        sun,
        others[2],
        "助餐",
        "想订长者食堂20元套餐，周一到周五，自己来取。",
        DemandSource.WALK_IN,
        _at(24, 11),
    )
    for story in (meal_phone, meal_visit):
        _assign(story, sun, _at(23, 9), worker=sun)
    _assign(meal_desk, sun, _at(24, 11, 10), worker=sun)
    _resolve(meal_desk, sun, _at(24, 11, 30), "已登记长者食堂套餐，每天11点到乐龄空间取餐。")
    scope = resolve_scope(sun, {})
    project = projects.create_project(
        actor=sun,
        scope=scope,
        draft=ProjectDraft(
            title="慧芝湖花园助餐送餐服务",
            description=(
                "居民诉求中助餐最多：独居、纯老家庭做饭难。依托乐龄空间长者食堂的20元套餐，"
                "组织志愿者为行动不便的老人每天中午送餐上门，能走动的老人到食堂取餐。"
            ),
            owner=sun,
        ),
        demands=[meal_phone.demand, meal_visit.demand, meal_desk.demand],
    )
    projects.move_project(actor=sun, scope=scope, project=project, status="in_progress")
    ServiceProject.objects.filter(pk=project.pk).update(created_at=_at(22, 14), started_at=_at(15, 9))
    DemandEvent.objects.filter(demand__project=project, kind="project").update(at=_at(22, 14))
    for story in (meal_phone, meal_visit):
        _resolve(story, sun, _at(15, 10), "已纳入助餐送餐服务：每天11点半志愿者送餐到家，每月底结账。")
    _rate(meal_visit, own_account(others[1]), _at(14, 12), 5, "饭菜热乎，志愿者很准时。")
    made += 3

    bikes = _asked(
        own_account(others[3]),
        others[3],
        "环境卫生",
        "自行车棚里堆满了没人要的旧自行车，轮椅和推车都进不去。",
        _at(40, 20),
        place="12号楼后面的自行车棚",
        building=_building(committee, "12号楼"),
    )
    _assign(bikes, sun, _at(39, 9), kind=Assignee.PROPERTY, name="慧芝湖花园物业服务中心")
    _reply(bikes, sun, _at(39, 9, 30), "物业先张贴清理公告一周，无人认领的统一清运。")
    _resolve(bikes, sun, _at(33, 16), "公告期满，清运无主自行车27辆，车棚已重新划线。")
    _rate(bikes, own_account(others[3]), _at(32, 20), 4, "干净多了，希望以后定期清理。")

    _asked(
        own_account(others[4]),
        others[4],
        "停车管理",
        "每天晚上东门消防通道上都停着外来车辆，救护车进不来怎么办？",
        _ago(3),
        place="东门消防通道",
    )
    allowance = _asked(
        own_account(others[5]),
        others[5],
        "政策咨询",
        "家里老人今年满80岁了，高龄津贴怎么申请？要带什么材料？",
        _at(13, 16),
    )
    _assign(allowance, lin, _at(13, 16, 30), worker=lin)
    _resolve(
        allowance,
        lin,
        _at(12, 10),
        "已电话告知：带身份证、户口簿和银行卡到社区事务受理中心办理，可由家属代办。",
    )
    _rate(allowance, own_account(others[5]), _at(12, 12), 5)

    transfer = _asked(
        own_account(others[6]), others[6], "其他", "想请居委会帮忙办理房产过户给儿子。", _at(9, 14)
    )
    transfer.step(
        _at(9, 16),
        lambda r: services.decline(
            actor=lin,
            scope=resolve_scope(lin, {}),
            demand=r,
            reason="房产过户需到不动产登记中心办理，居委会不能代办；已告知地址和所需材料，需要陪同可再联系我们。",
        ),
    ).dated(closed_at=_at(9, 16))
    cleaning = _asked(own_account(others[7]), others[7], "助洁", "年底想请人帮忙擦窗、打扫厨房。", _at(6, 9))
    cleaning.step(
        _at(5, 18),
        lambda r: services.withdraw(
            actor=own_account(others[7]), demand=r, reason="女儿周末回来打扫好了，谢谢。"
        ),
    ).dated(closed_at=_at(5, 18))
    return made + 6


def _gongjiao(committee: Area, ma: User, hu: User) -> int:
    people = _neighbours(committee, 6, skip=set())
    if len(people) < 6:
        return 0
    pipe = _logged(
        ma,
        people[0],
        "助急",
        "独居老人家中水管爆裂，厨房地上全是水，老人关不掉总阀，请马上派人维修。",
        DemandSource.PHONE,
        _ago(7),
    )
    _assign(pipe, ma, _ago(6.9), kind=Assignee.PROPERTY, name="公交新村物业服务中心")
    _reply(
        pipe,
        ma,
        _ago(6.7),
        "物业说维修工在别的小区，下午才能来。",
        internal=True,
    )
    _reply(pipe, ma, _ago(6.5), "已通知物业，楼组长先上门帮您把总阀关上。")

    charging = _asked(
        own_account(people[1]),
        people[1],
        "安全隐患",
        "楼道里有人给电瓶车充电，从三楼窗口拉了飞线下来，很危险。",
        _at(35, 21),
        place="3号楼一楼楼道",
        building=_building(committee, "3号楼"),
    )
    _assign(charging, hu, _at(34, 8, 30), worker=ma)
    _reply(charging, ma, _at(34, 10), "已上门劝导，当天拆除飞线。")
    _resolve(charging, ma, _at(34, 17), "飞线已拆除，电瓶车移到小区集中充电棚；楼组长每周巡查一次。")
    _rate(charging, own_account(people[1]), _at(33, 9), 5, "处理很及时。")

    drain = _asked(
        own_account(people[2]),
        people[2],
        "物业报修",
        "红屋顶花园雨后积水，排水口被落叶堵住了。",
        _at(18, 17),
        place="红屋顶花园",
    )
    _assign(drain, ma, _at(17, 9), kind=Assignee.PROPERTY, name="公交新村物业服务中心")
    _resolve(drain, ma, _at(16, 15), "物业已疏通排水口并加装防落叶格栅，花园志愿者每周检查。")
    _rate(drain, own_account(people[2]), _at(16, 19), 4)

    doctor = _asked(
        own_account(people[3]),
        people[3],
        "助医",
        "老伴高血压，行动不便，希望家庭医生每月上门量一次血压。",
        _ago(20),
    )
    clinic = _partner_unit(ma, "殷行社区卫生服务中心", UnitKind.CLINIC)
    _assign(doctor, ma, _ago(18), kind=Assignee.PARTNER, unit=clinic)
    doctor.step(_ago(17), lambda r: services.start(actor=ma, scope=resolve_scope(ma, {}), demand=r))
    _reply(doctor, ma, _ago(16), "卫生服务中心已安排家庭医生，下周二上午第一次上门。")

    _asked(
        own_account(people[4]),
        people[4],
        "政策咨询",
        "加装电梯的补贴政策是怎样的？我们楼想申请。",
        _at(1, 20),
    )
    # The job's run now: the burst pipe is past its four hours and goes to 胡主任; requests
    # resolved more than the reopening window ago are closed.
    escalation.run(timezone.now())
    return 5


def load() -> int:
    """The demo requests; the number made."""
    huizhihu = Area.objects.filter(code=HUIZHIHU).first()
    gongjiao = Area.objects.filter(code=GONGJIAO).first()
    if huizhihu is None or gongjiao is None or Demand.objects.filter(committee=huizhihu).exists():
        return 0
    users = {u.phone: u for u in User.objects.filter(phone__in=[SUN, LIN, MA, HU])}
    made = 0
    if SUN in users and LIN in users:
        with acting_as(users[SUN], "social_worker"):
            made += _huizhihu(huizhihu, users[SUN], users[LIN])
    if MA in users and HU in users:
        with acting_as(users[MA], "social_worker"):
            made += _gongjiao(gongjiao, users[MA], users[HU])
    return made
