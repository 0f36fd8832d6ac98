"""The shift pages as volunteers, team leaders and staff use them on a phone: the open list
with "I'll do it" (big in elderly mode), one shift, my shifts, posting a shift, the roster at
the stall; who may open what; a fixed number of queries on every list."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import login_verified
from tests.volunteers import shift_fixtures
from tests.volunteers.shift_fixtures import backdate, claim_as, post, tomorrow_at
from volunteers.models import ClaimStatus, HoursEntry, Shift, ShiftClaim

english = shift_fixtures.english
immediate_tasks = shift_fixtures.immediate_tasks
world = shift_fixtures.world


def as_(client, person):
    login_verified(client, person.user if hasattr(person, "user") else person)
    return client


def test_a_volunteer_claims_from_the_list(client, world):
    shift = post(world.owner, starts_at=tomorrow_at(9))
    as_(client, world.ming)
    page = client.get(reverse("volunteers:shifts"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "理发摊" in text and "I'll do it" in text and "3 places left" in text
    response = client.post(reverse("volunteers:shift_claim", args=[shift.pk]), follow=True)
    assert "Thank you, 小明: you are on 理发摊." in response.content.decode()
    assert ShiftClaim.objects.get(shift=shift).volunteer == world.ming
    assert "You are on it" in client.get(reverse("volunteers:shifts")).content.decode()
    mine = client.get(reverse("volunteers:my_shifts")).content.decode()
    assert "理发摊" in mine


def test_elderly_mode_shows_the_big_button(client, world):
    post(world.owner, starts_at=tomorrow_at(9))
    world.ming.user.elderly_mode = True
    world.ming.user.save(update_fields=["elderly_mode"])
    as_(client, world.ming)
    text = client.get(reverse("volunteers:shifts")).content.decode()
    assert 'class="elderly"' in text
    assert 'class="btn-primary claim-button"' in text


def test_a_refused_claim_says_why(client, world):
    shift = post(world.owner, team=world.team)
    as_(client, world.loner)
    detail = client.get(reverse("volunteers:shift", args=[shift.pk]))
    # The team's shift is not offered to someone outside the team.
    assert detail.status_code == 404
    open_shift = post(world.owner, places=1, starts_at=tomorrow_at(9, days=4))
    claim_as(world.hong, open_shift)
    text = client.get(reverse("volunteers:shift", args=[open_shift.pk])).content.decode()
    assert "Every place is taken." in text
    response = client.post(reverse("volunteers:shift_claim", args=[open_shift.pk]), follow=True)
    assert "All 1 places of this shift are taken." in response.content.decode()


def test_withdraw_and_hand_over_from_the_shift_page(client, world):
    shift = post(world.owner, team=world.team)
    claim = claim_as(world.ming, shift)
    as_(client, world.ming)
    text = client.get(reverse("volunteers:shift", args=[shift.pk])).content.decode()
    assert "I cannot come: withdraw" in text and "小红" in text  # a member to hand it to
    response = client.post(
        reverse("volunteers:shift_swap", args=[claim.pk]), {"to": world.hong.pk}, follow=True
    )
    assert "Handed to 小红; both of you are told." in response.content.decode()
    new = ShiftClaim.objects.get(shift=shift, status=ClaimStatus.CLAIMED)
    assert new.volunteer == world.hong
    # 小明's claim is no longer live: withdrawing it is refused with why.
    response = client.post(reverse("volunteers:shift_withdraw", args=[claim.pk]), follow=True)
    assert "This claim is no longer live (Handed to another member)." in response.content.decode()
    # Someone else's claim cannot be touched.
    assert client.post(reverse("volunteers:shift_withdraw", args=[new.pk])).status_code == 404


def test_after_the_deadline_the_page_says_whom_to_ask(client, world):
    shift = backdate(post(world.owner), starts=timedelta(hours=5))
    claim_as(world.ming, shift)
    as_(client, world.ming)
    text = client.get(reverse("volunteers:shift", args=[shift.pk])).content.decode()
    assert "If you cannot come, tell the team leader or the committee." in text
    assert "I cannot come: withdraw" not in text


def test_staff_post_a_shift_with_iso_dates(client, world):
    as_(client, world.owner)
    form = client.get(reverse("volunteers:shift_new")).content.decode()
    assert 'type="datetime-local"' in form
    day = (timezone.localdate() + timedelta(days=8)).isoformat()
    response = client.post(
        reverse("volunteers:shift_new"),
        {
            "title": "理发摊",
            "place": "小区广场",
            "starts_at": f"{day}T09:00",
            "ends_at": f"{day}T11:00",
            "places": "3",
        },
    )
    shift = Shift.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "volunteers:shift_roster", args=[shift.pk]
    )
    assert timezone.localtime(shift.starts_at).hour == 9 and shift.places == 3
    bad = client.post(
        reverse("volunteers:shift_new"),
        {
            "title": "x",
            "place": "y",
            "starts_at": "2020-01-01T09:00",
            "ends_at": "2020-01-01T11:00",
            "places": "3",
        },
    )
    assert "This shift would already have ended" in bad.content.decode()
    assert Shift.objects.count() == 1


def test_lowering_places_below_the_claims_is_refused_on_the_page(client, world):
    shift = post(world.owner, places=2)
    claim_as(world.ming, shift)
    claim_as(world.hong, shift)
    as_(client, world.owner)
    local = timezone.localtime(shift.starts_at)
    response = client.post(
        reverse("volunteers:shift_edit", args=[shift.pk]),
        {
            "title": "理发摊",
            "place": "小区广场",
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(shift.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "places": "1",
        },
    )
    assert "2 people have already claimed it: it cannot need fewer." in response.content.decode()
    assert Shift.objects.get(pk=shift.pk).places == 2


def test_the_roster_at_the_stall(client, world):
    with shift_fixtures.in_the_daytime():
        shift = backdate(post(world.owner, team=world.team), starts=timedelta(minutes=-150), hours=3)
        ming, hong = claim_as(world.ming, shift), claim_as(world.hong, shift)
        as_(client, world.leader)  # a team leader without any staff role
        page = client.get(reverse("volunteers:shift_roster", args=[shift.pk])).content.decode()
        assert "Check in" in page and "Did not come" in page
        url = reverse("volunteers:shift_roster", args=[shift.pk])
        ShiftClaim.objects.filter(pk=ming.pk).update(checked_in_at=timezone.now() - timedelta(hours=2))
        response = client.post(url, {"claim": ming.pk, "action": "check_out"}, follow=True)
        assert "小明 is checked out; the hours are recorded." in response.content.decode()
        assert HoursEntry.objects.get(volunteer=world.ming).hours == 2
        response = client.post(url, {"claim": hong.pk, "action": "no_show"}, follow=True)
        assert "小红 is marked as not come." in response.content.decode()
        response = client.post(url, {"claim": hong.pk, "action": "no_show"}, follow=True)
        assert "小红 is already marked as not come." in response.content.decode()
        response = client.post(url, {"claim": hong.pk, "action": "explode"}, follow=True)
        assert "Choose a volunteer and what to do." in response.content.decode()


def test_members_and_other_committees_do_not_run_shifts(client, world, outsider):
    shift = post(world.owner, team=world.team)
    as_(client, world.ming)
    assert client.get(reverse("volunteers:shift", args=[shift.pk])).status_code == 200
    assert client.get(reverse("volunteers:shift_roster", args=[shift.pk])).status_code == 404
    assert client.get(reverse("volunteers:shift_edit", args=[shift.pk])).status_code == 404
    assert client.get(reverse("volunteers:shift_manage")).status_code == 403
    assert client.get(reverse("volunteers:shift_new")).status_code == 403
    client.logout()
    as_(client, outsider)
    assert client.get(reverse("volunteers:shift", args=[shift.pk])).status_code == 404
    assert (
        client.post(reverse("volunteers:shift_cancel", args=[shift.pk]), {"reason": "x"}).status_code == 404
    )
    client.logout()
    assert client.get(reverse("volunteers:shifts"))["Location"].startswith(reverse("accounts:login"))


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_read_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    made = iter(range(100))

    def add(n):
        for _n in range(n):
            i = next(made)
            shift = post(world.owner, title=f"岗位{i}", starts_at=tomorrow_at(8, days=1 + i))
            post(world.owner, title=f"下月{i}", starts_at=tomorrow_at(14, days=10 + i))
            claim_as(world.ming, shift)

    add(2)
    as_(client, world.ming)
    urls = [reverse("volunteers:shifts"), reverse("volunteers:my_shifts")]
    counts = [_count(client, url) for url in urls]
    add(6)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            client.get(url)
    client.logout()
    as_(client, world.owner)
    url = reverse("volunteers:shift_manage")
    count = _count(client, url)
    post(world.owner, title="又一个", starts_at=tomorrow_at(7, days=2))
    with django_assert_num_queries(count):
        client.get(url)
    shift = Shift.objects.first()
    assert shift is not None
    url = reverse("volunteers:shift_roster", args=[shift.pk])
    count = _count(client, url)
    claim_as(world.hong, Shift.objects.get(pk=shift.pk))
    claim_as(world.loner, Shift.objects.get(pk=shift.pk))
    with django_assert_num_queries(count):
        client.get(url)
