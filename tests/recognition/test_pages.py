"""Recognition's pages: raters score with evidence and make a rating final; the public list of
rated centres and of talent shows no phone or address; residents offer a skill and nominate;
the award's page shows the vote beside the decision. List pages run a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from deliberation import polls
from partners.models import PartnerUnit, UnitKind
from recognition import awards, centres, ratings, talent
from recognition.models import Award, Centre, Nomination, Rating, Score, Talent
from tests.factories import login, scope_of
from tests.recognition.conftest import FULL

pytestmark = pytest.mark.django_db


def test_a_rater_scores_with_a_photo_submits_and_makes_final(client, world, street_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, street_admin)
    page = client.get(reverse("recognition:centre", args=[world.centre.pk]))
    assert page.status_code == 200 and "延长新村睦邻中心" in page.content.decode()
    started = client.post(
        reverse("recognition:rating_start", args=[world.centre.pk]), {"sheet": world.sheet.pk}
    )
    rating = Rating.objects.get()
    assert started.url == rating.get_absolute_url()
    pdf = SimpleUploadedFile("照片.pdf", b"%PDF-1.4 x")
    for criterion in world.sheet.criteria.all():
        data = {"criterion": criterion.pk, "points": str(FULL[criterion.title]), "note": "现场"}
        if criterion.title == "场地设施":
            data["file"] = pdf
        client.post(reverse("recognition:rating_score", args=[rating.pk]), data)
    assert Score.objects.count() == 3
    over = client.post(
        reverse("recognition:rating_score", args=[rating.pk]),
        {"criterion": world.sheet.criteria.first().pk, "points": "99", "note": "x"},
        follow=True,
    )
    assert "30" in over.content.decode() and Score.objects.filter(points=99).count() == 0
    evidence = Score.objects.exclude(file="").get()
    assert client.get(reverse("recognition:evidence", args=[evidence.pk])).status_code == 200
    client.post(reverse("recognition:rating_submit", args=[rating.pk]))
    client.post(reverse("recognition:rating_finalise", args=[rating.pk]))
    rating.refresh_from_db()
    assert rating.is_final and rating.stars == 5


def test_committee_staff_may_not_open_the_raters_pages(client, world, owner):
    login(client, owner)
    assert client.get(reverse("recognition:centres")).status_code == 403
    assert client.get(reverse("recognition:figures")).status_code == 200


def test_a_sheet_with_a_gap_is_refused_on_the_page(client, tree, street_admin):
    login(client, street_admin)
    answer = client.post(
        reverse("recognition:sheet_new"),
        {
            "title": "t",
            "year": 2032,
            "total_points": 100,
            "criteria": "a | 100",
            "bands": "5 | 90 | 100\n4 | 70 | 80",
        },
    )
    assert answer.status_code == 200 and not centres.RatingSheet.objects.filter(year=2032).exists()


def _rate(world, user, centre, points=FULL):
    scope = scope_of(user)
    rating = ratings.start_rating(user, centre, world.sheet, scope=scope)
    for criterion in world.sheet.criteria.all():
        ratings.score(rating, criterion, points[criterion.title], "note", scope=scope)
    return ratings.finalise(user, ratings.submit(rating, scope=scope), scope=scope)


def test_the_public_list_of_rated_centres_in_fixed_queries(
    client, world, street_admin, tree, django_assert_num_queries
):
    _rate(world, street_admin, world.centre)
    url = reverse("recognition:public_centres", args=[tree.street.code])
    with django_assert_num_queries(4):
        first = client.get(url)
    assert "延长新村睦邻中心" in first.content.decode() and "★★★★★" in first.content.decode()
    for n in range(4):
        centre = Centre.objects.create(area=tree.committee, name=f"党群服务站{n}", operator=world.org)
        _rate(world, street_admin, centre)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


def test_the_public_talent_list_shows_the_chosen_name_only(client, people, owner, tree):
    people.wang.phone = "13911112222"
    people.wang.save()
    talent.add_talent(
        owner,
        people.wang,
        talent.TalentDraft(shown_as="王老师", skills="修自行车", tags=["repair"]),
        scope=scope_of(owner),
    )
    body = client.get(
        reverse("recognition:public_talent", args=[tree.committee.code]), {"skill": "自行车"}
    ).content.decode()
    assert "王老师" in body and "修自行车" in body
    assert "王建国" not in body and "13911112222" not in body and "62号楼" not in body


def test_a_resident_offers_a_skill_and_nominates(client, people, owner):
    login(client, people.li_user)
    client.post(
        reverse("recognition:offer"),
        {"shown_as": "李阿姨", "skills": "编织毛衣", "tags": ["craft"], "teaches": "on"},
    )
    assert Talent.objects.get().is_offered
    award = awards.create_award(
        owner,
        awards.AwardDraft(
            title="最美江秋人", year=2026, nominations_until=timezone.localdate() + timedelta(days=3)
        ),
        scope=scope_of(owner),
    )
    found = client.get(reverse("recognition:nominate", args=[award.pk]), {"q": "孙"})
    assert "孙阿姨" in found.content.decode()
    client.post(
        reverse("recognition:nominate", args=[award.pk]), {"nominee": people.sun.pk, "reason": "热心肠"}
    )
    assert Nomination.objects.get().nominated_by == people.li


def test_the_award_pages_show_the_vote_beside_the_decision(client, people, owner):
    scope = scope_of(owner)
    award = awards.create_award(
        owner,
        awards.AwardDraft(title="最美江秋人", year=2026, nominations_until=timezone.localdate(), places=1),
        scope=scope,
    )
    a = awards.nominate_as_staff(owner, award, people.sun, "照顾独居老人", scope=scope)
    b = awards.nominate_as_staff(owner, award, people.zhao, "楼道整洁", scope=scope)
    now = timezone.now()
    awards.open_vote(owner, award, now - timedelta(hours=1), now + timedelta(hours=1), scope=scope)
    award.refresh_from_db()
    a.refresh_from_db()
    assert award.topic is not None and a.option_id is not None
    poll = award.topic.poll
    polls.vote(people.wang_user, people.wang, poll, [a.option_id])
    poll.closes_at = now
    poll.save()
    login(client, owner)
    client.post(
        reverse("recognition:award_decide", args=[award.pk]), {"winners": [b.pk], "decision": "综合考虑"}
    )
    award = Award.objects.get()
    assert award.is_decided
    client.logout()
    body = client.get(reverse("recognition:winners", args=[award.pk])).content.decode()
    assert "赵老伯" in body and "综合考虑" in body and "1" in body


def test_staff_lists_run_fixed_queries(
    client, people, owner, world, street_admin, django_assert_max_num_queries
):
    talent.add_talent(
        owner, people.sun, talent.TalentDraft(shown_as="孙阿姨", skills="做菜"), scope=scope_of(owner)
    )
    talent.add_talent(
        owner, people.wang, talent.TalentDraft(shown_as="王老师", skills="修车"), scope=scope_of(owner)
    )
    login(client, owner)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("recognition:talent")).status_code == 200
    other = PartnerUnit.objects.create(area=world.centre.area, name="另一社会组织", kind=UnitKind.SOCIAL_ORG)
    for n in range(3):
        Centre.objects.create(area=world.centre.area, name=f"站{n}", operator=other)
    login(client, street_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("recognition:centres")).status_code == 200
