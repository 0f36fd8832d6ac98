"""Staff pages: the committee's topics, posting and editing one, moving it through its
phases, its poll, moderation (the queue of held posts, hiding with a reason, the held
words), and the meetings with their participants, minutes and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, id_in, ids_in, posted, show_errors
from common.scope import Capability, staff_scope
from deliberation import meetings, polls, selectors, services
from deliberation.forms import (
    DecisionForm,
    HideForm,
    MeetingForm,
    MinutesForm,
    ParticipantForm,
    PhaseForm,
    PollForm,
    TopicForm,
    TrackForm,
    WordsForm,
)
from deliberation.models import Decision, DecisionStatus, Meeting, Opinion, Participant, Phase, Topic

PER_PAGE = 25


def _scope(request):
    return staff_scope(request, Capability.MANAGE_DELIBERATION)


def _back(request, default):
    """Back to the page the form was on, if it is one of ours."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return redirect(wanted)
    return redirect(default)


def _own_topic(scope, topic_id: int) -> Topic:
    return scope.get(Topic.objects.select_related("committee").prefetch_related("areas__area"), pk=topic_id)


def _own_meeting(scope, meeting_id: int) -> Meeting:
    return scope.get(Meeting.objects.select_related("committee"), pk=meeting_id)


@login_required
def manage(request):
    scope = _scope(request)
    phase = request.GET.get("phase", "")
    if phase not in Phase.values:
        phase = ""
    page = Paginator(selectors.topics_in(scope, phase).order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deliberation/manage.html",
        {
            "page": page,
            "phase": phase,
            "phases": Phase.choices,
            "held": selectors.moderation_queue(scope).count(),
            "overdue": selectors.overdue(scope).count(),
            "coming": selectors.meetings_in(scope)
            .filter(starts_at__gte=timezone.now())
            .order_by("starts_at")[:3],
            "outcome_area": scope.area,
        },
    )


@login_required
def new(request):
    scope = _scope(request)
    form = TopicForm(posted(request), committee=scope.area)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.post_topic(request.user, scope, form.draft())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The topic is open for residents' opinions."))
            return redirect(topic)
    return render(request, "deliberation/edit.html", {"form": form, "topic": None})


@login_required
def edit(request, topic_id: int):
    scope = _scope(request)
    topic = _own_topic(scope, topic_id)
    form = TopicForm(posted(request), committee=topic.committee, topic=topic)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_topic(scope, topic, form.draft())
            services.write_outcome(scope, topic, form.cleaned_data["decision"], form.cleaned_data["outcome"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(topic)
    return render(request, "deliberation/edit.html", {"form": form, "topic": topic})


@require_POST
@login_required
def phase(request, topic_id: int):
    scope = _scope(request)
    topic = _own_topic(scope, topic_id)
    form = PhaseForm(request.POST, topic=topic)
    if not form.is_valid():
        messages.error(request, _("Choose the phase to move to."))
        return redirect(topic)
    try:
        moved = services.move(
            request.user, scope, topic, form.cleaned_data["phase"], form.cleaned_data["note"]
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Now: %(phase)s.") % {"phase": moved.get_phase_display()})
    return redirect(topic)


@login_required
def poll(request, topic_id: int):
    scope = _scope(request)
    topic = _own_topic(scope, topic_id)
    existing = getattr(topic, "poll", None)
    form = PollForm(posted(request), topic=topic, poll=existing)
    if request.method == "POST" and form.is_valid():
        try:
            polls.set_poll(scope, topic, form.draft())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Poll saved. Move the topic to “Poll” when voting should be shown."))
            return redirect(f"{topic.get_absolute_url()}#poll")
    voted = existing.ballots.exists() if existing else False
    return render(request, "deliberation/poll.html", {"form": form, "topic": topic, "voted": voted})


@login_required
def moderation(request):
    scope = _scope(request)
    form = WordsForm(
        posted(request), initial={"words": "\n".join(services.held_words(scope.area))} if scope.area else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            words = services.set_held_words(scope, form.cleaned_data["words"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(n)d words now hold a post for review.") % {"n": len(words)})
            return redirect("deliberation:moderation")
    return render(
        request,
        "deliberation/moderation.html",
        {
            "queue": selectors.moderation_queue(scope),
            "hidden": selectors.recently_hidden(scope),
            "form": form,
            "hide_form": HideForm(),
            "can_set_words": scope.area is not None and scope.area.level == "committee",
        },
    )


def _own_opinion(scope, opinion_id: int) -> Opinion:
    return scope.get(Opinion.objects.select_related("topic__committee"), pk=opinion_id)


@require_POST
@login_required
def hide(request, opinion_id: int):
    scope = _scope(request)
    opinion = _own_opinion(scope, opinion_id)
    try:
        services.hide(request.user, scope, opinion, request.POST.get("reason", ""))
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Hidden; the author is told why."))
    return _back(request, opinion.topic.get_absolute_url())


@require_POST
@login_required
def release(request, opinion_id: int):
    scope = _scope(request)
    opinion = _own_opinion(scope, opinion_id)
    try:
        services.release(request.user, scope, opinion)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Shown to residents."))
    return redirect("deliberation:moderation")


# --- Meetings and decisions ------------------------------------------------------------------


@login_required
def meeting_list(request):
    scope = _scope(request)
    page = Paginator(selectors.meetings_in(scope), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "deliberation/meetings.html", {"page": page})


@login_required
def meeting_new(request):
    scope = _scope(request)
    form = MeetingForm(posted(request), committee=scope.area)
    if request.method == "POST" and form.is_valid():
        try:
            made = meetings.create_meeting(request.user, scope, form.draft())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Meeting saved: now invite the participants."))
            return redirect(made)
    return render(request, "deliberation/meeting_edit.html", {"form": form, "meeting": None})


@login_required
def meeting_edit(request, meeting_id: int):
    scope = _scope(request)
    meeting = _own_meeting(scope, meeting_id)
    form = MeetingForm(posted(request), committee=meeting.committee, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.update_meeting(scope, meeting, form.draft())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(meeting)
    return render(request, "deliberation/meeting_edit.html", {"form": form, "meeting": meeting})


def _meeting_page(request, meeting: Meeting, **forms):
    topics = list(meeting.topics.all())
    context = {
        "meeting": meeting,
        "topics": topics,
        "participants": list(meeting.participants.all()),
        "decisions": list(meeting.decisions.select_related("topic")),
        "participant_form": forms.get("participant_form") or ParticipantForm(),
        "minutes_form": forms.get("minutes_form") or MinutesForm(initial={"minutes": meeting.minutes}),
        "decision_form": forms.get("decision_form") or DecisionForm(topics=topics),
        "held": meeting.starts_at <= timezone.now(),
    }
    return render(request, "deliberation/meeting.html", context)


@login_required
def meeting(request, meeting_id: int):
    scope = _scope(request)
    return _meeting_page(request, _own_meeting(scope, meeting_id))


@require_POST
@login_required
def participants(request, meeting_id: int):
    scope = _scope(request)
    meeting = _own_meeting(scope, meeting_id)
    if request.POST.get("remove"):
        participant = get_object_or_404(Participant, pk=id_in(request.POST.get("remove")), meeting=meeting)
        meetings.remove_participant(scope, participant)
        messages.success(request, _("%(name)s removed.") % {"name": participant.name})
        return redirect(meeting)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        try:
            meetings.add_participant(
                scope,
                meeting,
                form.cleaned_data["side"],
                form.cleaned_data["name"],
                form.cleaned_data["organisation"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(name)s invited.") % {"name": form.cleaned_data["name"]})
            return redirect(meeting)
    return _meeting_page(request, meeting, participant_form=form)


@require_POST
@login_required
def minutes(request, meeting_id: int):
    scope = _scope(request)
    meeting = _own_meeting(scope, meeting_id)
    form = MinutesForm(request.POST)
    if form.is_valid():
        attended = set(ids_in(request.POST.getlist("attended")))
        try:
            meetings.record_minutes(scope, meeting, form.cleaned_data["minutes"], attended)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Minutes and attendance saved."))
            return redirect(meeting)
    return _meeting_page(request, meeting, minutes_form=form)


@require_POST
@login_required
def decide(request, meeting_id: int):
    scope = _scope(request)
    meeting = _own_meeting(scope, meeting_id)
    topics = list(meeting.topics.all())
    form = DecisionForm(request.POST, topics=topics)
    if form.is_valid():
        topic = next((t for t in topics if t.pk == form.cleaned_data.get("topic")), None)
        try:
            meetings.decide(
                scope,
                meeting,
                form.cleaned_data["text"],
                form.cleaned_data["owner"],
                form.cleaned_data["due_on"],
                topic,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Decision recorded; it is tracked until done."))
            return redirect(meeting)
    return _meeting_page(request, meeting, decision_form=form)


@login_required
def decisions(request):
    scope = _scope(request)
    status = request.GET.get("status", DecisionStatus.OPEN)
    if status not in DecisionStatus.values:
        status = ""
    page = Paginator(selectors.decisions_in(scope, status), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "deliberation/decisions.html",
        {"page": page, "status": status, "statuses": DecisionStatus.choices},
    )


@require_POST
@login_required
def track(request, decision_id: int):
    scope = _scope(request)
    decision = scope.get(Decision.objects.select_related("committee"), pk=decision_id)
    form = TrackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
    else:
        try:
            meetings.track(
                scope,
                decision,
                form.cleaned_data["status"],
                form.cleaned_data["progress"],
                form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Decision updated."))
    return _back(request, "deliberation:decisions")
