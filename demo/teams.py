"""Demo teams beside 宁聚883 (issue 18):

- 延长新村 (seed 000): the 11-person 健康楼组邻里队 of 62号楼, led by its building leader 张美华.
- 慧芝湖花园 (seed 000): the teams 何静 founded (拳操队, 健身舞队, 沪剧队, 木兰拳队, 时装队), nearly
  200 people together, some in two teams.
- 江秋新苑 (seed 004): the four service teams of its 新时代文明实践站 (春风送暖, 春华秋实,
  绿色守望垃圾分类, 啄木鸟).
"""

from __future__ import annotations

import random
from datetime import date

from accounts.models import User
from areas.models import Area
from demo.enrolment import Enrolment, adults, residents_as, simple_team, tags_of, with_accounts_first
from volunteers.models import TeamKind

YANCHANG = "310106019001"  # 延长新村
HUIZHIHU = "310106019016"  # 慧芝湖花园
JIANGQIU = "310117103004"  # 江秋新苑
CHEN = "13800000018"  # 陈书记, 江秋新苑


def _yanchang() -> int:
    committee = Area.objects.get(code=YANCHANG)
    building = adults(committee, 30, 80, household__building__name="62号楼")
    # 张美华, the building's leader, leads it (demo.registry names her).
    building.sort(key=lambda p: p.name != "张美华")
    people = building[:11]
    spec = {
        "name": "健康楼组邻里队",
        "kind": TeamKind.BUILDING,
        "founded": date(2020, 5, 6),
        "about": (
            "62号楼的楼组长和楼组骨干：邻里互助、楼组重要事项推进、信息宣传、政策推广和活动通知；"
            "带着楼组居民给62号楼做了健康主题装饰，微更新扶手和坡道，征询并公布了楼组健康公约。"
        ),
        "meets": "每月第二个周三晚上楼组会议；“62号楼健康楼组群”里随时联系",
        "join": "62号楼的居民，找张美华或在本页申请",
    }
    simple_team(committee, spec, residents_as(people), Enrolment(committee, 62, None), None)
    return 1


HUIZHIHU_TEAMS = [
    ("拳操队", 48, "每天早上7点，小区中心花园", 2016),
    ("健身舞队", 58, "每天晚上7点，小区东门广场", 2016),
    ("沪剧队", 35, "每周二、周五下午，居委会三楼活动室", 2017),
    ("木兰拳队", 30, "每周一、三、五早上，小区中心花园", 2017),
    ("时装队", 25, "每周四下午，居委会三楼活动室", 2018),
]


def _huizhihu() -> int:
    """The teams 何静 set up (seed 000): nearly 200 people, some in two teams."""
    committee = Area.objects.get(code=HUIZHIHU)
    rng = random.Random(2016)
    pool = adults(committee, 50, 80, sample=170, seed=2016)
    enrol = Enrolment(committee, 16, None)
    for i, (name, size, meets, year) in enumerate(HUIZHIHU_TEAMS):
        members = with_accounts_first(rng.sample(pool, size))
        spec = {
            "name": name,
            "kind": TeamKind.SELF_GOVERNANCE,
            "founded": date(year, 3 + i, 1),
            "about": f"居民自发组织的{name}，定时定点活动，也参加街道和区里的展演。",
            "meets": meets,
        }
        simple_team(committee, spec, residents_as(members), enrol, None)
    return len(HUIZHIHU_TEAMS)


JIANGQIU_TEAMS = [
    ("春风送暖服务队", 28, "便民服务：每月在4个党群服务点理发、磨刀、缝补衣物、测血糖、量血压。"),
    ("春华秋实服务队", 32, "为老服务：探望独居和纯老家庭，陪同就医，帮忙代购。"),
    ("绿色守望垃圾分类服务队", 24, "环境卫生整治：垃圾分类定时定点值守，楼道堆物清理。"),
    ("啄木鸟服务队", 18, "小区治安和安全宣传：夜间巡逻，防诈骗、消防安全宣传。"),
]


def _jiangqiu() -> int:
    """The four service teams of 江秋新苑's 新时代文明实践站 (seed 004): 楼组长, young
    volunteers, registered party members and party members reporting to the community."""
    committee = Area.objects.get(code=JIANGQIU)
    chen = User.objects.filter(phone=CHEN).first()
    rng = random.Random(2017)
    pool = adults(committee, 20, 70, sample=sum(size for _n, size, _a in JIANGQIU_TEAMS), seed=2017)
    rng.shuffle(pool)
    tags = tags_of(pool)
    enrol = Enrolment(committee, 4, chen)
    start = 0
    for i, (name, size, about) in enumerate(JIANGQIU_TEAMS):
        spec = {
            "name": name,
            "kind": TeamKind.SERVICE,
            "founded": date(2019 + i // 2, 3 + 3 * i, 5),
            "about": about,
            "meets": "新时代文明实践站，每月第一个周六上午例会",
            "leaders": 2,
        }
        members = with_accounts_first(pool[start : start + size])
        simple_team(committee, spec, residents_as(members, tags), enrol, chen)
        start += size
    return len(JIANGQIU_TEAMS)


def load() -> int:
    return _yanchang() + _huizhihu() + _jiangqiu()
