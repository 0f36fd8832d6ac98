"""What residents (and family members acting for them) do in the deliberation hall: read the
topics put to them, propose one, support a proposal, give opinions and replies, vote; and the
public outcome page of each committee."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Area
from areas.selectors import committee_of
from common.forms import form_errors, id_in, ids_in, posted, show_errors
from common.scope import Capability
from deliberation import polls, selectors, services
from deliberation.forms import OpinionForm, PhaseForm, ProposalForm
from deliberation.models import Opinion, Phase, Topic
from registry.selectors import people_of


def _topic(request, topic_id: int) -> Topic:
    """Staff of its committee see any topic; residents, those put to them; others, nothing."""
    return selectors.readable_topic(request.user, request.scope, topic_id)


def _person(request, people):
    """The resident the user speaks for, from the form's ``resident`` (default: the first)."""
    if not people:
        raise PermissionDenied(
            _("To take part, your account must be verified against the committee's registry.")
        )
    wanted = request.POST.get("resident")
    for person in people:
        if wanted in (None, "", str(person.pk)):
            return person
    raise PermissionDenied(_("You may speak only for yourself or someone you act for."))


@login_required
def index(request):
    topics = list(selectors.topics_for(request.user))
    committees = {t.committee for t in topics}
    home = committee_of(request.user.home_area) if request.user.home_area_id else None
    return render(
        request,
        "deliberation/index.html",
        {
            "open": [t for t in topics if t.phase in selectors.OPEN_PHASES],
            "active": [t for t in topics if t.phase in selectors.ACTIVE_PHASES],
            "finished": [t for t in topics if t.phase in selectors.FINISHED_PHASES],
            "committees": sorted(committees | ({home} if home else set()), key=lambda a: a.path),
            "people": people_of(request.user),
        },
    )


@login_required
def detail(request, topic_id: int):
    topic = _topic(request, topic_id)
    staff = request.scope.covers(topic.committee) and request.scope.can(Capability.MANAGE_DELIBERATION)
    people = selectors.people_asked(request.user, topic)
    own = {p.pk for p in people}
    poll = getattr(topic, "poll", None)
    now = timezone.now()
    voting = []
    if poll is not None:
        ballots = selectors.ballots_of(poll, people)
        voting = [
            {"person": p, "ballot": ballots.get(p.pk), "problem": polls.vote_problem(poll, p, now)}
            for p in people
        ]
    shown_results = poll is not None and (poll.is_closed(now) or staff)
    events = list(topic.events.all())
    return render(
        request,
        "deliberation/detail.html",
        {
            "topic": topic,
            "areas": [a.area for a in topic.areas.all()],
            "events": events,
            "steps": selectors.phase_steps(topic, events),
            "decisions": list(topic.decisions.all()),
            "threads": selectors.discussion(topic, staff=staff, own=own),
            "people": people,
            "supported": set(topic.supports.filter(resident__in=own).values_list("resident_id", flat=True)),
            "supporters": topic.supports.count(),
            "poll": poll,
            "voting": voting,
            "results": selectors.results(poll, names=staff) if poll is not None and shown_results else None,
            "staff": staff,
            "form": OpinionForm(),
            "phase_form": PhaseForm(topic=topic) if staff else None,
            "can_speak": bool(people) and topic.is_open_for_opinions,
        },
    )


@login_required
def propose(request):
    people = people_of(request.user)
    form = ProposalForm(posted(request), people=people)
    if request.method == "POST" and form.is_valid():
        person = next(
            (p for p in people if p.pk == form.cleaned_data.get("resident")), people[0] if people else None
        )
        if person is None:
            raise PermissionDenied(
                _("To take part, your account must be verified against the committee's registry.")
            )
        try:
            topic = services.propose_topic(
                request.user, person, form.cleaned_data["title"], form.cleaned_data["body"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Proposed. It opens for opinions once %(n)d neighbours support it, "
                    "or the committee approves it."
                )
                % {"n": topic.supporters_needed},
            )
            return redirect(topic)
    return render(request, "deliberation/propose.html", {"form": form, "people": people})


@require_POST
@login_required
def support(request, topic_id: int):
    topic = _topic(request, topic_id)
    person = _person(request, selectors.people_asked(request.user, topic))
    try:
        services.support(request.user, person, topic)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Thank you: %(name)s supports this proposal.") % {"name": person.name})
    return redirect(topic)


@require_POST
@login_required
def opinion(request, topic_id: int):
    """A resident's opinion or reply; staff of the committee reply as the committee."""
    topic = _topic(request, topic_id)
    parent = None
    if request.POST.get("parent"):
        parent = get_object_or_404(Opinion, pk=id_in(request.POST.get("parent")), topic=topic)
    body = request.POST.get("body", "")
    try:
        if request.POST.get("as_committee"):
            services.give_opinion(request.user, topic, body, parent=parent, scope=request.scope)
            made = None
        else:
            person = _person(request, selectors.people_asked(request.user, topic))
            made = services.give_opinion(
                request.user, topic, body, resident=person, parent=parent, scope=request.scope
            )
    except ValidationError as error:
        show_errors(request, error)
    else:
        if made is not None and made.status == "held":
            messages.warning(request, _("Thank you. Your post waits for a moderator before others see it."))
        else:
            messages.success(request, _("Thank you: your post is shown."))
    return redirect(f"{topic.get_absolute_url()}#discussion")


@require_POST
@login_required
def vote(request, topic_id: int):
    topic = _topic(request, topic_id)
    poll = getattr(topic, "poll", None)
    if poll is None:
        raise Http404
    person = _person(request, selectors.people_asked(request.user, topic))
    values = request.POST.getlist("option")
    # A value that is no id stays in as -1, which is no option: the service refuses it, saying why.
    choices = ids_in(values) if len(ids_in(values)) == len(values) else [-1]
    try:
        polls.vote(request.user, person, poll, choices)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request,
            _("%(name)s's vote is counted. The results are shown when voting closes.")
            % {"name": person.name},
        )
    return redirect(f"{topic.get_absolute_url()}#poll")


def outcomes(request, code: str):
    """A committee's deliberation in the open: what residents said (no names), what was
    decided, and what was done. Public, like the lobby board."""
    area = get_object_or_404(Area, code=code)
    committee = committee_of(area)
    if committee is None:
        raise Http404
    rows = selectors.outcomes(committee)
    return render(
        request,
        "deliberation/outcomes.html",
        {
            "committee": committee,
            "rows": rows,
            "phases": Phase,
        },
    )
