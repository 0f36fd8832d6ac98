"""Demo governance projects and 杨浦's competition (issue 21), from seed 003.

- 杨浦's 睦邻 centres produced nearly 50 original governance projects (三微项目: 微心愿,
  微更新, 微治理, and 自治项目), of which the ten best were chosen. Here: 50 projects of the
  district's committees (公交新村 among them), proposed by their volunteer teams, the social
  organisations working there, residents or the staff; each with its budget lines and
  milestones, running or finished (those finished with their end report).
- 杨浦区 (310110) sets the year's round: a call of a month, a rubric of five criteria (需求导向
  25, 居民参与 25, 创新性 20, 可持续性 15, 预算合理 15, each out of 10), seven judges (the
  committees' staff and residents with verified accounts: an expert may be a resident).
- Two entries are not eligible (with their reasons); the committee lead of 公交新村 declares a
  conflict with 公交新村's entries and does not score them. Every other judge scores every
  eligible entry, blind; the result is the trimmed mean (``projects.ranking``), the 公示 ran
  seven days, two residents objected and were answered, and the results are published: the
  ten best chosen.

The ORM in bulk, keeping what the services keep: weighted totals worked out by
``projects.judging.weighted``, one current score per judge and entry, no score from a judge
with a conflict, results and ranks frozen from ``projects.ranking.rank``. Idempotent: nothing
is added once the round exists.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from areas.models import Area, AreaLevel
from demo.enrolment import at
from partners.models import PartnerUnit, UnitKind
from projects import judging, ranking
from projects.models import (
    BudgetLine,
    Conflict,
    Criterion,
    CriterionScore,
    Eligibility,
    Entry,
    GovernanceStatus,
    Judge,
    Milestone,
    Objection,
    Project,
    ProposerKind,
    Round,
    RoundPhase,
    Score,
)
from registry.models import Resident
from volunteers.models import Team

YANGPU = "310110"
GONGJIAO = "310110009016"  # 公交新村
ROUND_TITLE = "杨浦区睦邻中心原创治理项目评选"
RUBRIC = [("需求导向", 25), ("居民参与", 25), ("创新性", 20), ("可持续性", 15), ("预算合理", 15)]
STAFF_JUDGES = ["13800000012", "13800000013", "13800000014"]  # 胡主任 (公交新村), 杨书记, 马社工

# (kind, title, summary)
IDEAS = [
    ("renewal", "楼道微更新", "清理楼道堆物，刷新墙面，加装扶手和感应灯。"),
    ("renewal", "口袋花园", "把闲置边角地改成居民共建共管的小花园。"),
    ("renewal", "睦邻客厅改造", "把睦邻中心一楼改成老人白天可坐可聊的客厅。"),
    ("renewal", "非机动车棚充电改造", "车棚加装智能充电桩，消除飞线充电隐患。"),
    ("renewal", "加装休憩座椅", "在小区主路旁加装带靠背的座椅，方便老人歇脚。"),
    ("renewal", "垃圾厢房微改造", "厢房加装洗手池和除臭设施，改善投放环境。"),
    ("renewal", "无障碍坡道", "为楼门口台阶加装坡道，方便轮椅和推车进出。"),
    ("renewal", "晾晒架共享", "在空地设置共享晾晒架，解决高层居民晾被难。"),
    ("wish", "独居老人微心愿", "收集独居老人的小心愿，由志愿者认领实现。"),
    ("wish", "困境儿童书包计划", "为困境家庭儿童送上新学期书包和文具。"),
    ("wish", "老人助浴服务", "为失能老人上门助浴，每月一次。"),
    ("wish", "一键呼叫器", "为高龄独居老人安装一键呼叫器，连通志愿者。"),
    ("wish", "助听器验配", "为听力下降的老人免费验配助听器。"),
    ("wish", "暖心年夜饭", "春节为独居老人送上年夜饭。"),
    ("governance", "楼组议事会", "每个楼组定期议事，居民自己商量楼里的事。"),
    ("governance", "停车自治公约", "居民共同制定停车公约，划线、错峰、互相监督。"),
    ("governance", "宠物文明养护", "组建养宠居民自治小组，推行牵绳和拾便。"),
    ("governance", "垃圾分类积分", "居民分类投放积分，兑换生活用品。"),
    ("governance", "邻里纠纷调解室", "由退休法官和志愿者组成调解小组，化解邻里矛盾。"),
    ("governance", "小区安全巡逻", "志愿者夜间巡逻，排查消防隐患。"),
    ("governance", "高空抛物治理", "宣传加监控点位，居民共同守护头顶安全。"),
    ("governance", "加装电梯议事", "协助楼组居民协商加装电梯的意见和分摊。"),
    ("self_governance", "漂流空间", "志愿者管理的共享阅览室，书籍居民自愿捐赠、自由借阅。"),
    ("self_governance", "共享工具屋", "居民捐出闲置工具，登记借用，志愿者维护。"),
    ("self_governance", "睦邻厨房", "居民轮流掌勺，为独居老人做午餐。"),
    ("self_governance", "银发课堂", "退休教师为老人开设智能手机课。"),
    ("self_governance", "四点半课堂", "放学后为双职工家庭的孩子提供看护和作业辅导。"),
    ("self_governance", "社区合唱团", "居民自发组织合唱团，每周排练，节日演出。"),
    ("self_governance", "邻里市集", "每月一次邻里市集，闲置交换、手作义卖。"),
    ("self_governance", "楼道图书角", "每栋楼设一个图书角，楼组长管理。"),
    ("self_governance", "居民修理铺", "退休师傅义务修理小家电、雨伞和自行车。"),
    ("self_governance", "社区菜园", "屋顶菜园由居民认领种植，收获分享给老人。"),
    ("governance", "噪音公约", "装修和广场舞噪音由居民协商时段。"),
    ("renewal", "老旧信箱更换", "更换锈蚀信箱，统一编号。"),
    ("wish", "为老理发", "志愿理发师每月上门为行动不便的老人理发。"),
    ("self_governance", "睦邻茶话会", "每周茶话会，新老居民互相认识。"),
    ("governance", "群租整治议事", "居民、物业、房东三方议事，规范出租。"),
    ("renewal", "健身步道", "沿小区围墙铺设健身步道，标注距离。"),
    ("self_governance", "家门口的党课", "在职党员回社区讲党课、办实事。"),
    ("wish", "残障人士就业帮扶", "链接企业岗位，帮助残障居民就近就业。"),
    ("self_governance", "青年志愿者联盟", "组织社区青年参与周末志愿服务。"),
    ("governance", "物业服务评议", "居民每季度为物业服务打分，结果公开。"),
    ("renewal", "小区导视系统", "重做楼号和路牌，方便老人和快递找路。"),
    ("self_governance", "编织社", "阿姨们编织围巾帽子，义卖所得捐给困难家庭。"),
    ("wish", "老人生日会", "每月为当月生日的老人过集体生日。"),
    ("self_governance", "护河志愿队", "居民巡河护河，记录水质。"),
    ("governance", "电动车进楼劝导", "志愿者劝导电动车不进楼，宣传消防安全。"),
    ("renewal", "雨棚修缮", "修缮楼门口破损雨棚。"),
    ("self_governance", "社区摄影队", "记录社区变化，办年度影展。"),
    ("wish", "困难家庭助学", "为困难家庭大学生提供学费资助。"),
]
NOT_ELIGIBLE = {
    7: "预算超出本次评选每项5万元的上限。",
    33: "非原创项目：已获往年评选资助。",
}
OBJECTIONS = [
    (0, "项目预算中的扶手费用偏高，请核实。", "已核实：扶手为不锈钢防滑款，报价经三家比价，予以维持。"),
    (3, "该项目去年已在另一个小区实施过，是否算原创？", "经核实，该项目为本居委会首创并自行实施，予以维持。"),
]


def _quality(rng: random.Random, n: int) -> float:
    """How good an idea is, 4.5 to 9.3 out of 10: a spread the judges roughly agree on."""
    return 4.5 + 4.8 * rng.random() if n % 7 else 7.5 + 1.5 * rng.random()


def load() -> int:
    """The district's round, its projects, entries and scores; the number of projects made."""
    district = Area.objects.filter(code=YANGPU).first()
    if district is None or Round.objects.filter(area=district, title=ROUND_TITLE).exists():
        return 0
    committees = list(
        Area.objects.filter(path__startswith=district.path, level=AreaLevel.COMMITTEE).order_by("path")
    )
    gongjiao = next((c for c in committees if c.code == GONGJIAO), None)
    if not committees:
        return 0
    rng = random.Random(3)
    today = timezone.localdate()
    staff = User.objects.filter(phone="13800000014").first()
    teams = {
        t.area_id: t
        for t in Team.objects.current().filter(area__path__startswith=district.path).order_by("pk")
    }
    orgs = list(
        PartnerUnit.objects.current()
        .filter(kind=UnitKind.SOCIAL_ORG)
        .filter(Q(area__path__startswith=district.path) | Q(area__in=district.ancestors()))
        .order_by("pk")
    )
    residents = list(
        Resident.objects.filter(
            household__building__path__startswith=district.path, user__isnull=True
        ).order_by("pk")[:20]
    )

    projects = []
    for n, (kind, title, summary) in enumerate(IDEAS):
        # 公交新村 proposed one project in ten; the others come from the district's committees.
        committee = gongjiao if gongjiao is not None and n % 10 == 0 else committees[n % len(committees)]
        project = Project(
            area=committee,
            title=title,
            kind=kind,
            summary=summary,
            status=GovernanceStatus.FINISHED if n % 3 else GovernanceStatus.RUNNING,
            starts_on=today - timedelta(days=300 - n),
            created_by=staff,
            created_at=at(today - timedelta(days=320 - n)),
        )
        team = teams.get(committee.pk)
        if n % 4 == 0 and team is not None:
            project.proposer_kind, project.team = ProposerKind.TEAM, team
        elif n % 4 == 1 and orgs:
            project.proposer_kind, project.partner = ProposerKind.SOCIAL_ORG, orgs[n % len(orgs)]
        elif n % 4 == 2 and residents:
            project.proposer_kind, project.resident = ProposerKind.RESIDENT, residents[n % len(residents)]
        else:
            project.proposer_kind = ProposerKind.STAFF
        if project.status == GovernanceStatus.FINISHED:
            project.ends_on = today - timedelta(days=70 - n % 20)
            project.report = f"{title}已完成：{summary}居民参与{20 + n * 3}人次，满意度{88 + n % 10}%。"
            project.reported_at = at(project.ends_on)
        projects.append(project)
    Project.objects.bulk_create(projects)

    lines, milestones = [], []
    for n, project in enumerate(projects):
        amount = Decimal(2000 + (n * 1370) % 40000)
        lines.append(BudgetLine(project=project, item="材料和设备", amount=amount))
        lines.append(BudgetLine(project=project, item="活动和宣传", amount=Decimal(500 + (n * 290) % 3000)))
        if n in NOT_ELIGIBLE and n == 7:
            lines.append(BudgetLine(project=project, item="工程施工", amount=Decimal("48000")))
        assert project.starts_on is not None
        milestones.append(
            Milestone(
                project=project,
                title="居民议事通过方案",
                due=project.starts_on + timedelta(days=30),
                done_on=project.starts_on + timedelta(days=28),
                note="楼组议事会通过",
            )
        )
        done = project.status == GovernanceStatus.FINISHED
        milestones.append(
            Milestone(
                project=project,
                title="完成实施",
                due=project.starts_on + timedelta(days=200),
                done_on=project.ends_on if done else None,
                note="结项验收" if done else "",
            )
        )
    BudgetLine.objects.bulk_create(lines)
    Milestone.objects.bulk_create(milestones)

    call_closes = today - timedelta(days=40)
    round_ = Round.objects.create(
        area=district,
        title=ROUND_TITLE,
        year=today.year,
        about="面向全区睦邻中心征集原创社区治理项目，评出十佳。",
        call_opens=call_closes - timedelta(days=30),
        call_closes=call_closes,
        pick=10,
        phase=RoundPhase.RESULTS,
        notice_from=today - timedelta(days=20),
        notice_until=today - timedelta(days=14),
        results_at=at(today - timedelta(days=12)),
        created_at=at(call_closes - timedelta(days=35)),
    )
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(round=round_, name=name, weight=weight, max_points=10, position=n)
            for n, (name, weight) in enumerate(RUBRIC)
        ]
    )
    judge_users = list(User.objects.filter(phone__in=STAFF_JUDGES).order_by("phone"))
    judge_users += list(
        User.objects.filter(
            resident__verified_at__isnull=False, resident__household__building__path__startswith=district.path
        ).order_by("pk")[: 7 - len(judge_users)]
    )
    judges = Judge.objects.bulk_create(
        [Judge(round=round_, user=u, added_at=at(call_closes - timedelta(days=20))) for u in judge_users]
    )

    entries = Entry.objects.bulk_create(
        [
            Entry(
                round=round_,
                project=project,
                area=project.area,
                entered_at=at(round_.call_opens + timedelta(days=n % 28), 9, n % 60),
                eligibility=Eligibility.INELIGIBLE if n in NOT_ELIGIBLE else Eligibility.ELIGIBLE,
                eligibility_reason=NOT_ELIGIBLE.get(n, ""),
            )
            for n, project in enumerate(projects)
        ]
    )
    lead = next((j for j in judges if j.user.phone == STAFF_JUDGES[0]), None)
    conflicts = [
        Conflict(
            judge=lead,
            entry=e,
            reason="本人所在居委会的项目",
            declared_at=at(call_closes + timedelta(days=1)),
        )
        for e in entries
        if lead is not None and e.area.code == GONGJIAO and e.is_eligible
    ]
    Conflict.objects.bulk_create(conflicts)
    conflicted = {(c.judge.pk, c.entry.pk) for c in conflicts}

    scores, marks = [], []
    for n, entry in enumerate(entries):
        if not entry.is_eligible:
            continue
        quality = _quality(rng, n)
        for j, judge in enumerate(judges):
            if (judge.pk, entry.pk) in conflicted:
                continue
            given = [
                (c, Decimal(str(round(min(10.0, max(0.0, quality + rng.uniform(-1.5, 1.5))), 1))))
                for c in criteria
            ]
            score = Score(
                judge=judge,
                entry=entry,
                total=judging.weighted(given),
                submitted_at=at(call_closes + timedelta(days=2 + j), 10 + j % 8, n % 60),
            )
            scores.append(score)
            marks.append((score, given))
    Score.objects.bulk_create(scores)
    CriterionScore.objects.bulk_create(
        [CriterionScore(score=score, criterion=c, points=p) for score, given in marks for c, p in given]
    )

    rows = ranking.rank(round_)
    for row in rows:
        row.entry.result, row.entry.rank, row.entry.chosen = row.result, row.rank, row.chosen
    Entry.objects.bulk_update([row.entry for row in rows], ["result", "rank", "chosen"])

    objectors = list(
        User.objects.filter(resident__household__building__path__startswith=district.path)
        .exclude(pk__in=[u.pk for u in judge_users])
        .order_by("pk")[:2]
    ) or list(judge_users[:1])
    answerer = staff
    Objection.objects.bulk_create(
        [
            Objection(
                entry=entries[index],
                filed_by=objectors[k % len(objectors)],
                reason=reason,
                filed_at=at(today - timedelta(days=18 - k)),
                answer=reply,
                answered_by=answerer,
                answered_at=at(today - timedelta(days=16 - k)),
            )
            for k, (index, reason, reply) in enumerate(OBJECTIONS)
        ]
    )
    return len(projects)
