"""The demo: the seed neighbourhoods on their real codes, one user per role, idempotent."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from accounts.models import RoleGrant, User
from accounts.roles import Role
from areas.models import Area, AreaLevel
from audit.models import AuditEntry
from audit.rules import covered
from demo.data import DEMO_PASSWORD
from tests.demo.conftest import WRITES

# The demo is loaded once for the package (demo_output, conftest.py): its tests stay on one xdist worker
# (make test runs pytest with --dist loadgroup), or each worker would load it again.
pytestmark = pytest.mark.xdist_group("load_demo")


def _committee(code):
    return Area.objects.get(code=code, level=AreaLevel.COMMITTEE)


@pytest.mark.django_db
def test_every_kind_of_write_the_demos_services_make_is_in_the_audit_log(demo_output):
    """The demo builds its neighbourhoods through every app's services: each table of a
    logged model that an INSERT, UPDATE or DELETE reached (outside the demo's suspended bulk
    loads; an UPDATE of only counters the log leaves out aside) has entries of that action
    for its model."""
    models = {m._meta.db_table: m for m in apps.get_models() if covered(m)}
    assert WRITES.seen["create"] and WRITES.seen["update"], "the writes were not captured"
    missing = []
    for action, tables in WRITES.seen.items():
        for table in sorted(tables & set(models)):
            kind = ContentType.objects.get_for_model(models[table])
            if not AuditEntry.objects.filter(content_type=kind, action=action).exists():
                missing.append(f"{action} {models[table]._meta.label}")
    assert missing == []


def test_seed_committees_have_their_local_units(demo_output):
    huizhihu = _committee("310106019016")
    assert huizhihu.name == "慧芝湖花园居委会"
    groups = Area.objects.subtree(huizhihu).filter(level=AreaLevel.BUILDING_GROUP)
    assert groups.count() == 37
    yanchang = _committee("310106019001")
    group62 = Area.objects.subtree(yanchang).get(name="62号楼组")
    assert Area.objects.subtree(group62).filter(level=AreaLevel.BUILDING, name="62号楼").exists()
    for code in ("310105005024", "310110009016", "310110001015", "310110021040", "310117103004"):
        committee = _committee(code)
        levels = set(Area.objects.subtree(committee).values_list("level", flat=True))
        assert {AreaLevel.GRID, AreaLevel.BUILDING_GROUP, AreaLevel.BUILDING} <= levels, committee.name
    huaihai = Area.objects.filter(parent__code="310101022", level=AreaLevel.COMMITTEE)
    assert huaihai.count() > 5
    assert all(Area.objects.subtree(c).filter(level=AreaLevel.BUILDING).exists() for c in huaihai)


@pytest.mark.django_db
def test_a_demo_user_for_every_role_is_printed(demo_output):
    for role in Role.values:
        assert RoleGrant.objects.filter(role=role).exists(), role
    assert DEMO_PASSWORD in demo_output
    # Every login with a role, and the named residents, are printed; the thousands of made-up
    # residents' accounts (for the on-cloud rate) are not.
    printed = User.objects.filter(Q(role_grants__isnull=False) | Q(phone__startswith="139")).distinct()
    assert printed.count() >= len(Role.values) + 2
    for user in printed:
        assert user.phone in demo_output
        assert user.check_password(DEMO_PASSWORD)
    assert "TOTP" in demo_output


@pytest.mark.django_db
def test_loading_twice_changes_nothing(demo_output):
    from activities.models import Activity, Signup
    from notices.models import Notice, NoticeRead

    def counts():
        return (
            Activity.objects.count(),
            Signup.objects.count(),
            Area.objects.count(),
            User.objects.count(),
            RoleGrant.objects.count(),
            Notice.objects.count(),
            NoticeRead.objects.count(),
        )

    before = counts()
    call_command("load_demo", "--skip-divisions", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert counts() == before


@pytest.mark.django_db
def test_demo_otp_prints_the_code_the_device_accepts(demo_output):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    out = StringIO()
    call_command("demo_otp", "13800000001", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6
    device = TOTPDevice.objects.get(user__phone="13800000001")
    assert device.verify_token(code)


@pytest.mark.django_db
def test_the_seed_figures_show_on_the_registry_pages(demo_output, client, settings):
    """慧芝湖花园: 37 building groups, 3,429 households, about 10,000 residents (seed 000);
    公交新村: an on-cloud rate of 84.25%, first in the city (seed 003)."""
    from django.urls import reverse

    from tests.factories import login_verified

    assert "3,429" in demo_output and "84.25%" in demo_output
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login_verified(client, User.objects.get(phone="13800000008"))  # the city admin sees both
    huizhihu = client.get(reverse("registry:area", args=["310106019016"])).content.decode()
    assert ">3429</span> households" in huizhihu
    residents = int(huizhihu.split("</span> residents living here")[0].rsplit(">", 1)[1])
    assert 9_500 <= residents <= 10_500
    assert huizhihu.count('href="/registry/area/310106019016.') >= 37  # the 37 building groups
    gongjiao = client.get(reverse("registry:area", args=["310110009016"])).content.decode()
    assert "84.25%" in gongjiao
    street = client.get(reverse("registry:area", args=["310110009"])).content.decode()
    assert "公交新村居委会" in street and "84.25%" in street


@pytest.mark.django_db
def test_residents_find_the_seed_notices_and_staff_the_plan(demo_output, client, settings):
    """延长新村: health publicity twice a month on the Community Cloud (seed 000)."""
    from django.urls import reverse

    from notices.models import Notice
    from tests.factories import login_verified

    assert Notice.objects.filter(area__code="310106019001", category="health").count() >= 8
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(User.objects.get(phone="13900000001"))  # 刘阿姨 of 62号楼
    home = client.get(reverse("home")).content.decode()
    assert "62号楼二次供水水箱清洗停水通知" in home and "大宁路街道“暖冬集市”邀您来逛" in home
    client.logout()
    login_verified(client, User.objects.get(phone="13800000001"))  # 王社工
    plan = client.get(reverse("notices:plan")).content.decode()
    assert "2 / 2" in plan
    listing = client.get(reverse("notices:manage")).content.decode()
    assert "元旦迎新书法展" in listing  # the scheduled one, first in the list


@pytest.mark.django_db
def test_the_seed_activities_and_their_beneficiaries(demo_output, client, settings):
    """延长新村: lectures, sachets, tie-dye, the winter market and the calligraphy class four
    times a month (seeds 000, 001), with beneficiaries counted from check-ins."""
    from django.urls import reverse

    from activities.models import Activity
    from tests.factories import login_verified

    assert Activity.objects.filter(committee__code="310106019001", title="书法班").count() == 12
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(User.objects.get(phone="13900000001"))  # 刘阿姨
    page = client.get(reverse("activities:index")).content.decode()
    assert "书法班" in page and "刘阿姨" in page
    client.logout()
    login_verified(client, User.objects.get(phone="13800000001"))
    # The figures page shows this year: past activities of the demo may fall in last year.
    years = {(timezone.now() - timedelta(days=45)).year, timezone.now().year}
    figures = "".join(
        client.get(reverse("activities:figures"), {"year": year}).content.decode() for year in years
    )
    for title in ("暖冬集市", "端午香囊制作", "扎染体验课", "冬季养生健康讲座"):
        assert title in figures
    assert "人次" in figures  # the staff user reads Chinese


@pytest.mark.django_db
def test_the_red_roof_garden_and_building_62s_topic(demo_output, client, settings):
    """公交新村's red-roof garden (seed 003) from opinions to the open-air film, in public;
    刘阿姨 of 62号楼 votes on the handrails."""
    from django.urls import reverse

    from deliberation.models import Ballot, Topic
    from recognition.models import Award

    # Besides the deliberation demo's four, 江秋新苑's 最美江秋人 is voted on a topic (issue 21).
    assert Topic.objects.exclude(pk__in=Award.objects.values("topic")).count() == 4
    garden = Topic.objects.get(title__startswith="如何设计一个更让人满意的红屋顶花园")
    assert garden.phase == "done" and garden.poll.ballots.count() > 100
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("deliberation:outcomes", args=["310110009016"])).content.decode()
    assert "红屋顶花园" in page and "露天电影" in page and "Done" in page
    liu = User.objects.get(phone="13900000001")
    client.force_login(liu)
    topic = Topic.objects.get(title__startswith="62号楼扶手")
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Vote for 刘阿姨" in page
    choice = topic.poll.options.first()
    assert choice is not None
    client.post(reverse("deliberation:vote", args=[topic.pk]), {"option": choice.pk})
    assert Ballot.objects.filter(poll=topic.poll, resident__user=liu).exists()


@pytest.mark.django_db
def test_building_62s_health_convention_and_its_signatures(demo_output, client, settings):
    """延长新村 62号楼 (seed 000): the health convention consulted on, signed at the ceremony
    (online, or on paper ticked by 张楼组长) and on the wall, under its five themes; the
    pet-keeping convention of the committee in consultation now."""
    from django.urls import reverse

    from conventions import figures, selectors
    from conventions.models import Convention, Signature
    from demo import conventions as demo_conventions
    from tests.factories import login_verified

    health = Convention.objects.get(title="62号楼楼组健康公约")
    version = health.versions.get()
    assert (health.area.name, health.per_household, version.state) == ("62号楼组", True, "published")
    themes = [t.name for t in selectors.by_theme(selectors.clauses_of(version))]
    assert themes == ["居民凝聚类", "环境美化类", "社区议事类", "社区健康类", "邻里互助类"]
    total = figures.report(version).total
    assert total.rate is not None
    assert total.online > total.paper > 0 and 0.7 < total.rate < 1
    assert Signature.objects.filter(version=version, resident__user__phone="13900000001").exists()
    paper = Signature.objects.filter(version=version, via="paper")
    assert set(paper.values_list("recorded_by__phone", flat=True)) == {"13800000003"}
    assert Convention.objects.get(title="延长新村文明养宠公约").versions.get().state == "consultation"
    assert demo_conventions.load() == 0  # loading again adds nothing

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(User.objects.get(phone="13900000001"))  # 刘阿姨
    listing = client.get(reverse("conventions:index")).content.decode()
    assert "62号楼楼组健康公约" in listing and "文明养宠公约" in listing and "刘阿姨 has signed" in listing
    page = client.get(health.get_absolute_url()).content.decode()
    assert "每月参加一次健康讲座或健康宣传活动。" in page and "households have signed" in page
    client.logout()  # which empties the cookie jar: English again
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login_verified(client, User.objects.get(phone="13800000003"))  # 张楼组长
    signatures = client.get(reverse("conventions:signatures", args=[health.pk])).content.decode()
    assert "62号楼" in signatures and "刘阿姨" in signatures and "On paper" in signatures
    poster = client.get(reverse("conventions:poster", args=[health.pk]))
    assert poster["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_this_quarters_visit_plans_and_visits(demo_output, client, settings):
    """四百走访 (seed 003): this quarter's plans cover every household of 慧芝湖花园 (孙社工,
    林社工, and 周楼组长 for her 5号楼组) and of 公交新村 (马社工, 胡主任), part visited."""
    from django.urls import reverse

    from accounts.scope import resolve_scope
    from demo import visits as demo_visits
    from tests.factories import login_verified
    from visits import selectors
    from visits.models import Visit, VisitPlan

    huizhihu = VisitPlan.objects.get(committee__code="310106019016")
    shares = {s.area.name: s.worker.phone for s in huizhihu.shares.select_related("area", "worker")}
    assert len(shares) == 37 and shares["5号楼组"] == "13800000016"
    assert {"13800000011", "13800000015"} <= set(shares.values())
    worker = User.objects.get(phone="13800000011")
    covered = selectors.coverage(huizhihu, resolve_scope(worker, {}))
    assert covered.total.total == 3429 and not covered.unassigned
    assert 0.2 < covered.total.visited / covered.total.total < 0.6
    gongjiao = VisitPlan.objects.get(committee__code="310110009016")
    assert {s.worker.phone for s in gongjiao.shares.select_related("worker")} == {
        "13800000014",
        "13800000012",
    }
    assert set(Visit.objects.values_list("way", flat=True)) == {"door", "phone", "outside"}
    assert demo_visits.load() == 0  # loading again adds nothing

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login_verified(client, worker)
    page = client.get(reverse("visits:plan", args=[huizhihu.pk])).content.decode()
    assert "households visited" in page and "孙社工" in page and "周楼组长" in page


@pytest.mark.django_db
def test_the_elderly_watch_of_62(demo_output, client, settings):
    """日看窗帘夜看灯 (seeds 001, 003): 62号楼组's elderly are watched by 张楼组长 and 赵志愿者;
    刘阿姨's curtains are unseen today and the alert has reached the social workers; an
    earlier alert of hers closed as fine."""
    from django.urls import reverse

    from accounts.scope import resolve_scope
    from demo import eldercare as demo_eldercare
    from eldercare import selectors
    from eldercare.models import Alert, Watch
    from tests.factories import login_verified

    liu = Watch.objects.get(resident__user__phone="13900000001")
    assert (
        liu.family_user is not None and liu.family_user.phone == "13900000003"
    )  # her daughter, the registered proxy
    assert {w.user.phone for w in liu.watchers.all()} == {"13800000003", "13800000004"}
    assert liu.checks.count() >= 20
    alert = demo_eldercare.liu_alert()
    assert alert is not None
    assert alert.level == 2 and alert.workers_told_at is not None and alert.acknowledged_at is None
    closed = Alert.objects.get(watch=liu, closed_at__isnull=False)
    assert closed.outcome == "fine" and closed.resolved_by_check is not None
    worker = User.objects.get(phone="13800000001")
    found = selectors.attention(resolve_scope(worker, {}), now=timezone.now())
    assert alert in found.alerts
    assert demo_eldercare.load() == 0  # loading again adds nothing

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login_verified(client, worker)
    page = client.get(reverse("eldercare:watch", args=[liu.pk])).content.decode()
    assert "刘阿姨" in page and "张楼组长" in page and "Social workers told" in page
    login_verified(client, User.objects.get(phone="13800000003"))
    assert "刘阿姨" in client.get(reverse("eldercare:mine")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("clock", ["00:40", "03:00", "07:30", "12:00", "18:30", "21:45"])
def test_the_watch_story_holds_whenever_the_demo_loads(demo_output, clock):
    """Loaded at any hour, 刘阿姨's open alert is for a slot whose cutoff had passed, nobody saw
    her in it, the social workers were told before the moment of loading, and she is the only
    one late today."""
    from datetime import datetime, time

    from accounts.scope import resolve_scope
    from demo import eldercare as demo_eldercare
    from eldercare import rules, selectors
    from eldercare.models import Check, Watch

    Watch.objects.all().delete()  # the module's demo watch list; this test's transaction restores it
    hour, minute = map(int, clock.split(":"))
    moment = timezone.make_aware(datetime.combine(timezone.localdate(), time(hour, minute)))
    assert demo_eldercare.load(now=moment) == demo_eldercare.WATCHED

    alert = demo_eldercare.liu_alert()
    assert alert is not None
    liu = alert.watch
    cutoff = rules.at(alert.day, rules.rules_for(liu).cutoff(alert.slot))
    assert cutoff <= alert.raised_at and timezone.localdate(alert.raised_at) == alert.day
    told, family_due = alert.workers_told_at, alert.family_due_at
    assert (
        told is not None and family_due is not None and alert.raised_at <= told <= moment < family_due
    ) or (clock == "03:00")
    assert not Check.objects.filter(watch=liu, day=alert.day, slot=alert.slot).exists()
    worker = User.objects.get(phone="13800000001")
    found = selectors.attention(resolve_scope(worker, {}), now=moment)
    assert found.alerts == [alert]
    assert {w.pk for w in found.overdue} <= {liu.pk}
    for watch in Watch.objects.exclude(pk=liu.pk):  # the others were seen in every past slot
        assert watch.checks.filter(day__lt=alert.day).count() == 2 * (alert.day - watch.checks_from).days


@pytest.mark.django_db
def test_the_requests_of_huizhihu_and_gongjiao(demo_output, client, settings):
    from accounts.scope import resolve_scope
    from demands import selectors
    from demands.models import Demand, ServiceProject
    from demo import demands as demo_demands
    from notifications.models import Notification
    from tests.factories import login_verified

    settings.LANGUAGE_CODE = "en"
    assert any("residents' requests" in line or "居民诉求" in line for line in demo_output.splitlines())
    huizhihu, gongjiao = _committee("310106019016"), _committee("310110009016")
    statuses = set(Demand.objects.filter(committee=huizhihu).values_list("status", flat=True))
    assert {"new", "assigned", "resolved", "closed", "declined", "withdrawn"} <= statuses
    project = ServiceProject.objects.get(committee=huizhihu)
    assert project.status == "in_progress" and project.demands.count() == 3
    assert {r.category.name for r in project.demands.all()} == {"助餐"}
    rated = Demand.objects.filter(committee=huizhihu, rating__isnull=False)
    assert rated.count() >= 3 and rated.filter(resident__user__phone="13900000002").exists()
    overdue = Demand.objects.filter(committee=gongjiao).overdue(timezone.now())
    assert overdue.count() == 1 and overdue.get().escalated_at is not None
    hu = User.objects.get(phone="13800000012")
    assert Notification.objects.filter(user=hu, kind="demand", title__contains="助急").count() == 1
    assert Demand.objects.overdue(timezone.now()).count() == 1  # nothing else is late
    assert demo_demands.load() == 0  # loading again adds nothing

    ma = User.objects.get(phone="13800000014")
    due = selectors.due_for(ma, resolve_scope(ma, {}), now=timezone.now())
    assert due[0].is_overdue and due[0].category.name == "助急"  # type: ignore[attr-defined]
    login_verified(client, ma)
    page = client.get("/demands/queue/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "水管爆裂" in page
    qian = User.objects.get(phone="13900000002")
    client.force_login(qian)
    mine = client.get("/demands/").content.decode()
    assert "市一医院" in mine and "声控灯" in mine


@pytest.mark.django_db
def test_every_pending_registration_and_a_new_sign_up_can_be_verified(demo_output):
    """The demo's waiting sign-ups point at records no account holds, so a worker trying the
    demo can verify each one; a new user signing up with a resident's name can be verified too."""
    from registry import verification
    from registry.models import Registration, RegistrationStatus, Resident
    from tests.factories import scope_of

    pending = list(Registration.objects.filter(status=RegistrationStatus.PENDING).select_related("committee"))
    assert len(pending) >= 3
    workers = {
        "310106019001": User.objects.get(phone="13800000001"),  # 王社工, 延长新村
        "310106019016": User.objects.get(phone="13800000011"),  # 孙社工, 慧芝湖花园
    }
    for registration in pending:
        worker = workers[registration.committee.code]
        found = verification.candidates(registration)
        assert found, f"nobody to verify {registration.name} against"
        assert found[0].household.room == registration.room
        verification.verify(worker, scope_of(worker), registration, found[0])
        assert Resident.objects.get(pk=found[0].pk).user_id == registration.user_id

    yanchang = _committee("310106019001")
    person = (
        Resident.objects.living()
        .filter(committee=yanchang, user__isnull=True)
        .select_related("household__building")
        .order_by("pk")
        .first()
    )
    assert person is not None, "the demo has residents with no account to verify against"
    home = person.household
    signed_up = verification.register(
        phone="13912340001",
        name=person.name,
        password="a long demo password 77",
        committee=yanchang,
        building=home.building,
        unit=home.unit,
        room=home.room,
    )
    worker = workers["310106019001"]
    assert person in verification.candidates(signed_up)
    verification.verify(worker, scope_of(worker), signed_up, person)
    signed_up.refresh_from_db()
    assert signed_up.status == RegistrationStatus.VERIFIED and signed_up.resident == person
