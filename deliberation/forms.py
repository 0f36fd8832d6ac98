"""Forms of the deliberation pages."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.forms import AreaChoices
from areas.models import Area
from common.forms import day_field, when_field
from deliberation.meetings import MeetingDraft
from deliberation.models import DecisionStatus, MeetingKind, Phase, Poll, Side, Topic
from deliberation.polls import PollDraft
from deliberation.services import MAX_OPINION, TopicDraft


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("What it is about"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What is proposed, why, and what residents are asked."),
    )
    collect_until = day_field(
        _("Opinions until"), required=False, help_text=_("Empty: two weeks from today.")
    )
    decide_by = day_field(_("Decision by"), required=False)
    implement_by = day_field(_("Carried out by"), required=False)
    decision = forms.CharField(
        label=_("What was decided"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    outcome = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, committee: Area, topic: Topic | None = None, **kwargs) -> None:
        if topic is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": topic.title,
                "body": topic.body,
                "collect_until": topic.collect_until,
                "decide_by": topic.decide_by,
                "implement_by": topic.implement_by,
                "decision": topic.decision,
                "outcome": topic.outcome,
                "areas": [a.area_id for a in topic.areas.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields["areas"] = AreaChoices(
            list(Area.objects.parts_of(committee)),
            committee,
            label=_("Put to the residents of"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_("Leave all unticked for the whole committee."),
        )
        self.order_fields(["title", "body", "areas", "collect_until", "decide_by", "implement_by"])
        if topic is None:
            del self.fields["decision"], self.fields["outcome"]

    def draft(self) -> TopicDraft:
        data = self.cleaned_data
        return TopicDraft(
            title=data["title"],
            body=data["body"],
            collect_until=data["collect_until"],
            decide_by=data["decide_by"],
            implement_by=data["implement_by"],
            areas=list(data["areas"]),
        )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Your topic, in a line"), max_length=120)
    body = forms.CharField(
        label=_("What should be discussed, and why"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_OPINION,
    )

    def __init__(self, *args, people=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = list(people)
        if len(people) > 1:
            self.fields["resident"] = forms.TypedChoiceField(
                label=_("Proposed by"), coerce=int, choices=[(p.pk, p.name) for p in people]
            )
            self.order_fields(["resident", "title", "body"])


class OpinionForm(forms.Form):
    body = forms.CharField(
        label=_("Your opinion"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_OPINION
    )


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Move to"), choices=[])
    note = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Residents read this on the topic's timeline."),
    )

    def __init__(self, *args, topic: Topic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        order = [Phase.COLLECTING, Phase.POLL, Phase.DECISION, Phase.IMPLEMENTATION, Phase.DONE]
        ahead = order[order.index(Phase(topic.phase)) + 1 :] if topic.phase in order else order
        cast(forms.ChoiceField, self.fields["phase"]).choices = [(p.value, p.label) for p in ahead] + [
            (Phase.CLOSED.value, Phase.CLOSED.label)
        ]


class PollForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=200)
    options = forms.CharField(
        label=_("Choices"), widget=forms.Textarea(attrs={"rows": 5}), help_text=_("One choice per line.")
    )
    multiple = forms.BooleanField(label=_("Several choices allowed"), required=False)
    max_choices = forms.IntegerField(label=_("At most this many choices"), min_value=1, required=False)
    per_household = forms.BooleanField(
        label=_("One vote per household"), required=False, help_text=_("Otherwise one vote per resident.")
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        initial=True,
        help_text=_("Nobody, staff included, can see who chose what. Cannot change once voting starts."),
    )
    min_age = forms.IntegerField(label=_("Youngest voter"), min_value=0, max_value=120, required=False)
    opens_at = when_field(_("Voting opens"))
    closes_at = when_field(_("Voting closes"), help_text=_("Residents see the results after this."))

    def __init__(self, *args, topic: Topic, poll: Poll | None = None, **kwargs) -> None:
        if poll is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "question": poll.question,
                "options": "\n".join(o.label for o in poll.options.all()),
                "multiple": poll.multiple,
                "max_choices": poll.max_choices,
                "per_household": poll.per_household,
                "anonymous": poll.anonymous,
                "min_age": poll.min_age,
                "opens_at": poll.opens_at,
                "closes_at": poll.closes_at,
                "areas": [a.area_id for a in poll.areas.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields["areas"] = AreaChoices(
            list(Area.objects.parts_of(topic.committee)),
            topic.committee,
            label=_("Only residents of"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_("Leave all unticked for everyone the topic is put to."),
        )

    def draft(self) -> PollDraft:
        data = self.cleaned_data
        return PollDraft(
            question=data["question"],
            options=[line for line in data["options"].splitlines() if line.strip()],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            multiple=data["multiple"],
            max_choices=data["max_choices"],
            per_household=data["per_household"],
            anonymous=data["anonymous"],
            min_age=data["min_age"],
            areas=list(data["areas"]),
        )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Why it is hidden"), max_length=200, help_text=_("The author is told."))


class WordsForm(forms.Form):
    words = forms.CharField(
        label=_("Words that hold a post for review"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("One per line. A post containing any of them waits until a moderator shows it."),
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    starts_at = when_field(_("When"))
    place = forms.CharField(label=_("Place"), max_length=120)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args, committee: Area, meeting=None, **kwargs) -> None:
        if meeting is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": meeting.kind,
                "title": meeting.title,
                "starts_at": meeting.starts_at,
                "place": meeting.place,
                "agenda": meeting.agenda,
                "topics": [t.pk for t in meeting.topics.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields["topics"] = forms.ModelMultipleChoiceField(
            queryset=Topic.objects.filter(committee=committee).exclude(phase__in=[Phase.DONE, Phase.CLOSED]),
            label=_("Topics discussed"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )

    def draft(self) -> MeetingDraft:
        data = self.cleaned_data
        return MeetingDraft(
            kind=data["kind"],
            title=data["title"],
            starts_at=data["starts_at"],
            place=data["place"],
            agenda=data["agenda"],
            topics=list(data["topics"]),
        )


class ParticipantForm(forms.Form):
    side = forms.ChoiceField(label=_("For"), choices=Side.choices)
    name = forms.CharField(label=_("Name"), max_length=60)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=120,
        required=False,
        help_text=_("The property company, owners' committee or partner unit they represent."),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}))


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(
        label=_("Who carries it out"),
        max_length=120,
        help_text=_("A person, or a body such as the property company."),
    )
    due_on = day_field(_("Due"))

    def __init__(self, *args, topics=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        topics = list(topics)
        if topics:
            self.fields["topic"] = forms.TypedChoiceField(
                label=_("On the topic"),
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", "—")] + [(t.pk, t.title) for t in topics],
            )


class TrackForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DecisionStatus.choices)
    progress = forms.CharField(label=_("Progress"), max_length=500, required=False)
    due_on = day_field(_("New due date"), required=False)
