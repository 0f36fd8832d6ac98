"""Polls: who may vote, one ballot per resident or household (enforced by the database, also
under concurrent requests), anonymous and named, results."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone, translation

from deliberation import polls, selectors, services
from deliberation.models import Ballot, Phase, PollOption, Vote
from tests.deliberation.conftest import make_poll, make_topic
from tests.factories import scope_of

pytestmark = pytest.mark.django_db


def _options(poll):
    return list(PollOption.objects.filter(poll=poll).order_by("order"))


def test_one_vote_per_resident(people, poll):
    seat, shelf, _cinema = _options(poll)
    polls.vote(people.wang_user, people.wang, poll, [seat.pk])
    with pytest.raises(ValidationError, match="王建国 has already voted"):
        polls.vote(people.wang_user, people.wang, poll, [shelf.pk])
    polls.vote(people.li_user, people.li, poll, [seat.pk])  # his wife votes for herself
    seat.refresh_from_db()
    assert seat.votes == 2 and Ballot.objects.filter(poll=poll).count() == 2


def test_the_database_refuses_a_second_ballot(people, poll):
    """Even past the service: the unique constraint is what guarantees it."""
    Ballot.objects.create(poll=poll, key=f"r:{people.wang.pk}", resident=people.wang)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(poll=poll, key=f"r:{people.wang.pk}", resident=people.wang)


def test_one_vote_per_household_names_who_voted(owner, people, topic):
    poll = make_poll(owner, topic, per_household=True)
    services.move(owner, scope_of(owner), topic, Phase.POLL)
    seat = _options(poll)[0]
    polls.vote(people.wang_user, people.wang, poll, [seat.pk])
    with pytest.raises(ValidationError, match="王建国 already voted for your household"):
        polls.vote(people.li_user, people.li, poll, [seat.pk])
    # 赵老伯's household (64号楼 502) votes through his daughter.
    polls.vote(people.daughter, people.zhao, poll, [seat.pk])
    assert selectors.eligible_count(poll) == 2  # two households


def test_an_anonymous_poll_keeps_no_choice_of_anyone(people, poll):
    assert poll.anonymous
    polls.vote(people.wang_user, people.wang, poll, [_options(poll)[1].pk])
    assert Vote.objects.count() == 0
    assert Ballot.objects.get().resident == people.wang  # that he voted, not what
    assert selectors.results(poll, names=True).options[1].voters == []


def test_a_named_poll_shows_staff_who_chose_what(owner, people, topic):
    poll = make_poll(owner, topic, anonymous=False)
    services.move(owner, scope_of(owner), topic, Phase.POLL)
    seat, shelf, _cinema = _options(poll)
    polls.vote(people.wang_user, people.wang, poll, [seat.pk])
    polls.vote(people.li_user, people.li, poll, [shelf.pk])
    results = selectors.results(poll, names=True)
    assert [r.voters for r in results.options] == [["王建国"], ["李秀英"], []]
    assert [r.votes for r in results.options] == [1, 1, 0]
    assert results.ballots == 2 and results.options[0].share == 50.0


def test_single_and_multiple_choice(owner, people, topic):
    poll = make_poll(owner, topic, multiple=True, max_choices=2)
    services.move(owner, scope_of(owner), topic, Phase.POLL)
    seat, shelf, cinema = _options(poll)
    with pytest.raises(ValidationError, match="at most 2"):
        polls.vote(people.wang_user, people.wang, poll, [seat.pk, shelf.pk, cinema.pk])
    with pytest.raises(ValidationError, match="Choose an answer"):
        polls.vote(people.wang_user, people.wang, poll, [])
    polls.vote(people.wang_user, people.wang, poll, [seat.pk, cinema.pk, cinema.pk])
    assert [o.votes for o in _options(poll)] == [1, 0, 1]


def test_single_choice_takes_one_answer_of_this_poll(people, poll, owner):
    other = make_topic(owner, title="另一个议题")
    foreign = make_poll(owner, other)
    seat, shelf, _cinema = _options(poll)
    with pytest.raises(ValidationError, match="one answer only"):
        polls.vote(people.wang_user, people.wang, poll, [seat.pk, shelf.pk])
    with pytest.raises(ValidationError, match="not one of this poll"):
        polls.vote(people.wang_user, people.wang, poll, [_options(foreign)[0].pk])
    assert not Ballot.objects.exists()


def test_voting_window(owner, people, topic):
    now = timezone.now()
    poll = make_poll(owner, topic, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=3))
    with pytest.raises(ValidationError, match="opens on"):
        polls.vote(people.wang_user, people.wang, poll, [_options(poll)[0].pk])
    with pytest.raises(ValidationError, match="closed on"):
        polls.vote(people.wang_user, people.wang, poll, [_options(poll)[0].pk], now=now + timedelta(days=4))


def test_eligibility_by_building_and_age(owner, people, topic, building2):
    poll = make_poll(owner, topic, areas=[building2], min_age=80)
    services.move(owner, scope_of(owner), topic, Phase.POLL)
    seat = _options(poll)[0]
    with pytest.raises(ValidationError, match="for residents of 64号楼"):
        polls.vote(people.wang_user, people.wang, poll, [seat.pk])
    polls.vote(people.daughter, people.zhao, poll, [seat.pk])  # born 1940
    assert polls.vote_problem(poll, people.sun).startswith("This poll is for residents aged 80")  # born 1950
    assert selectors.eligible_count(poll) == 1


def test_only_for_oneself_or_someone_one_acts_for(people, poll):
    with pytest.raises(PermissionDenied):
        polls.vote(people.wang_user, people.li, poll, [_options(poll)[0].pk])
    with pytest.raises(ValidationError, match="put to the residents of"):
        polls.vote(people.far_user, people.far, poll, [_options(poll)[0].pk])


def test_no_voting_once_the_topic_is_decided(owner, people, poll):
    services.move(owner, scope_of(owner), poll.topic, Phase.DECISION)
    poll.topic.refresh_from_db()
    with pytest.raises(ValidationError, match="Voting is over"):
        polls.vote(people.wang_user, people.wang, poll, [_options(poll)[0].pk])


def test_the_poll_checks_its_own_set_up(owner, topic, tree):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        make_poll(
            owner,
            topic,
            question="",
            options=["一样", "一样"],
            closes_at=now - timedelta(days=2),
            max_choices=2,
        )
    assert set(error.value.message_dict) == {"question", "options", "closes_at", "max_choices"}
    with pytest.raises(ValidationError, match="not part of"):
        make_poll(owner, topic, areas=[tree.neighbour_group])


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_for_one_household_leave_one_ballot(tree, owner, people):
    """Eight requests at once for 王建国 and his wife, one vote per household: exactly one
    ballot, one counted vote, and seven clear refusals."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: there is no race to lose")
    topic = make_topic(owner)
    poll = make_poll(owner, topic, per_household=True)
    services.move(owner, scope_of(owner), topic, Phase.POLL)
    seat = _options(poll)[0]
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def cast(n: int) -> None:
        user, person = (people.wang_user, people.wang) if n % 2 else (people.li_user, people.li)
        try:
            start.wait()
            with translation.override("en"):  # each thread starts in the default language
                polls.vote(user, person, poll, [seat.pk])
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append("refused" if "already voted" in error.messages[0] else error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["refused"] * 7
    assert Ballot.objects.filter(poll=poll).count() == 1
    seat.refresh_from_db()
    assert seat.votes == 1


def test_eligible_count_on_a_leap_day(owner, people, topic):
    poll = make_poll(owner, topic, min_age=60)
    poll.opens_at = timezone.make_aware(datetime(2028, 2, 29, 9))
    assert selectors.eligible_count(poll) >= 1
    assert date(1960, 3, 1) == people.wang.birth_date
