"""Neighbourhood deliberation (邻里议事厅): topics put to residents, their opinions, polls,
the meetings of the deliberation council (议事会) and the joint meeting (联席会议) with
property management and the owners' committee, and the decisions tracked to done.

A topic is posted by staff, or proposed by a resident and opened once enough neighbours
support it (or staff approve it). It moves through dated phases: collecting opinions →
an optional poll → decision → implementation → done; each step is a ``TopicEvent``, which
is the timeline residents read. One vote per resident (or per household) is enforced by a
unique constraint on the ballot, so no race can cast two.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import ChosenArea
from audit.models import AuditedModel


class Phase(models.TextChoices):
    PROPOSED = "proposed", _("Proposed: gathering support")
    COLLECTING = "collecting", _("Collecting opinions")
    POLL = "poll", _("Poll")
    DECISION = "decision", _("Deciding")
    IMPLEMENTATION = "implementation", _("Being carried out")
    DONE = "done", _("Done")
    CLOSED = "closed", _("Not taken up")


# The order a topic moves in; a proposal enters at COLLECTING, CLOSED ends one early.
FORWARD = [Phase.PROPOSED, Phase.COLLECTING, Phase.POLL, Phase.DECISION, Phase.IMPLEMENTATION, Phase.DONE]


class Topic(AuditedModel):
    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("what it is about"))
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.COLLECTING)
    # A resident's proposal: who proposed it, and how many supporters open it without staff.
    proposed_by = models.ForeignKey(
        "registry.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    supporters_needed = models.PositiveSmallIntegerField(_("supporters needed"), default=0)
    collect_until = models.DateField(_("opinions until"), null=True, blank=True)
    decide_by = models.DateField(_("decision by"), null=True, blank=True)
    implement_by = models.DateField(_("carried out by"), null=True, blank=True)
    # What residents read on the outcome page: what was decided, and what was done.
    decision = models.TextField(_("what was decided"), blank=True)
    outcome = models.TextField(_("what was done"), blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["committee", "phase"], name="topic_by_phase")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:detail", args=[self.pk])

    @property
    def is_open_for_opinions(self) -> bool:
        return self.phase in (Phase.COLLECTING, Phase.POLL)

    @property
    def is_gathering_support(self) -> bool:
        """A resident's proposal waiting for supporters (or for staff to approve it)."""
        return self.phase == Phase.PROPOSED

    @property
    def is_collecting(self) -> bool:
        return self.phase == Phase.COLLECTING

    @property
    def is_closed(self) -> bool:
        """Closed early: not taken up."""
        return self.phase == Phase.CLOSED

    @property
    def is_finished(self) -> bool:
        """Done or not taken up: it moves no further and its text is fixed."""
        return self.phase in (Phase.DONE, Phase.CLOSED)

    @property
    def is_open_to_the_committee(self) -> bool:
        """The committee may reply once the topic is put to residents, until it is closed early."""
        return self.phase not in (Phase.PROPOSED, Phase.CLOSED)

    @property
    def phase_tone(self) -> str:
        """The badge's colour: done, not taken up, or under way."""
        return {Phase.DONE: "ok", Phase.CLOSED: "derived"}.get(Phase(self.phase), "tag")


class TopicArea(ChosenArea):
    """The topic is put to residents under these areas; none: the whole committee."""

    topic = models.ForeignKey(Topic, models.CASCADE, related_name="areas", verbose_name=_("topic"))

    owner = "topic"
    scope_path = "topic__committee__path"

    class Meta:
        verbose_name = _("topic area")
        verbose_name_plural = _("topic areas")
        constraints = [models.UniqueConstraint(fields=["topic", "area"], name="one_topic_area")]

    def __str__(self) -> str:
        return f"{self.topic} · {self.area}"


class TopicEvent(AuditedModel):
    """One step of a topic's timeline: the phase it entered and what happened."""

    topic = models.ForeignKey(Topic, models.CASCADE, related_name="events", verbose_name=_("topic"))
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    note = models.TextField(_("what happened"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )

    scope_path = "topic__committee__path"

    class Meta:
        verbose_name = _("topic event")
        verbose_name_plural = _("topic events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.topic} · {self.get_phase_display()}"


class Support(AuditedModel):
    """A neighbour backing a proposal; one per resident."""

    topic = models.ForeignKey(Topic, models.CASCADE, related_name="supports", verbose_name=_("topic"))
    resident = models.ForeignKey(
        "registry.Resident", models.CASCADE, related_name="+", verbose_name=_("resident")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    scope_path = "topic__committee__path"
    audit_skip = "counted on the topic's page; the timeline records the opening"

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["topic", "resident"], name="one_support_per_resident")]

    def __str__(self) -> str:
        return f"{self.resident} · {self.topic}"


class OpinionStatus(models.TextChoices):
    VISIBLE = "visible", _("Shown")
    HELD = "held", _("Held for review")
    HIDDEN = "hidden", _("Hidden")


class Opinion(AuditedModel):
    """An opinion on a topic, or a reply to one. Staff reply as the committee."""

    topic = models.ForeignKey(Topic, models.CASCADE, related_name="opinions", verbose_name=_("topic"))
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    # The resident it speaks for (themself, or someone a family member writes for); empty
    # for a reply from the committee's staff.
    resident = models.ForeignKey(
        "registry.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("written by")
    )
    body = models.TextField(_("opinion"))
    status = models.CharField(
        _("status"), max_length=10, choices=OpinionStatus.choices, default=OpinionStatus.VISIBLE
    )
    held_for = models.CharField(_("held for the words"), max_length=200, blank=True)
    hidden_reason = models.CharField(_("why hidden"), max_length=200, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    scope_path = "topic__committee__path"

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["topic", "status"], name="opinion_by_status")]

    def __str__(self) -> str:
        return f"{self.topic} · {self.body[:30]}"

    @property
    def from_staff(self) -> bool:
        return self.resident_id is None

    @property
    def is_visible(self) -> bool:
        """Shown to residents; only a shown opinion can be replied to."""
        return self.status == OpinionStatus.VISIBLE

    @property
    def is_held(self) -> bool:
        return self.status == OpinionStatus.HELD

    @property
    def is_hidden(self) -> bool:
        return self.status == OpinionStatus.HIDDEN


class HeldWord(AuditedModel):
    """A word or phrase that holds a post for a moderator before anyone else sees it."""

    committee = models.ForeignKey("areas.Area", models.CASCADE, related_name="+", verbose_name=_("committee"))
    word = models.CharField(_("word"), max_length=40)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("word held for review")
        verbose_name_plural = _("words held for review")
        ordering = ["word"]
        constraints = [models.UniqueConstraint(fields=["committee", "word"], name="one_held_word")]

    def __str__(self) -> str:
        return self.word


class Poll(AuditedModel):
    topic = models.OneToOneField(Topic, models.CASCADE, related_name="poll", verbose_name=_("topic"))
    question = models.CharField(_("question"), max_length=200)
    multiple = models.BooleanField(_("several choices allowed"), default=False)
    max_choices = models.PositiveSmallIntegerField(
        _("at most this many choices"), null=True, blank=True, help_text=_("Empty: any number.")
    )
    per_household = models.BooleanField(
        _("one vote per household"), default=False, help_text=_("Otherwise one vote per resident.")
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Anonymous: nobody, staff included, can see who chose what."),
    )
    min_age = models.PositiveSmallIntegerField(_("youngest voter"), null=True, blank=True)
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))

    scope_path = "topic__committee__path"

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="poll_closes_after_open"
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class PollArea(ChosenArea):
    """Only residents under these areas may vote; none: everyone the topic is put to."""

    poll = models.ForeignKey(Poll, models.CASCADE, related_name="areas", verbose_name=_("poll"))

    owner = "poll"
    scope_path = "poll__topic__committee__path"

    class Meta:
        verbose_name = _("voting area")
        verbose_name_plural = _("voting areas")
        constraints = [models.UniqueConstraint(fields=["poll", "area"], name="one_poll_area")]

    def __str__(self) -> str:
        return f"{self.poll} · {self.area}"


class PollOption(AuditedModel):
    poll = models.ForeignKey(Poll, models.CASCADE, related_name="options", verbose_name=_("poll"))
    label = models.CharField(_("choice"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Changed only inside services.vote, with F(): the count of an anonymous poll lives only here.
    votes = models.PositiveIntegerField(_("votes"), default=0, editable=False)

    scope_path = "poll__topic__committee__path"
    audit_skip = "each vote moves a counter; the ballot is the record"

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class Ballot(AuditedModel):
    """That a resident (or household) has voted: the database refuses a second one.

    For an anonymous poll the ballot does not say what was chosen; only the options'
    counters moved. A named poll keeps the choices in ``Vote``."""

    poll = models.ForeignKey(Poll, models.CASCADE, related_name="ballots", verbose_name=_("poll"))
    # "r:<resident id>" or "h:<household id>", as the poll counts.
    key = models.CharField(_("voter"), max_length=24)
    resident = models.ForeignKey(
        "registry.Resident", models.CASCADE, related_name="+", verbose_name=_("resident")
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("cast by")
    )
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)

    scope_path = "poll__topic__committee__path"
    audit_skip = "the log's time and actor next to an anonymous poll's counters would tell who chose what"

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["poll", "key"], name="one_ballot_per_voter")]

    def __str__(self) -> str:
        return f"{self.poll} · {self.key}"


class Vote(AuditedModel):
    """A named poll's choice on a ballot."""

    ballot = models.ForeignKey(Ballot, models.CASCADE, related_name="votes", verbose_name=_("ballot"))
    option = models.ForeignKey(PollOption, models.CASCADE, related_name="+", verbose_name=_("choice"))

    scope_path = "ballot__poll__topic__committee__path"
    audit_skip = "a ballot's choices: logged with their time and actor they would tell who chose what"

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["ballot", "option"], name="one_vote_per_choice")]

    def __str__(self) -> str:
        return f"{self.ballot} · {self.option}"


class MeetingKind(models.TextChoices):
    COUNCIL = "council", _("Deliberation council (议事会)")
    JOINT = "joint", _("Joint meeting (联席会议)")
    HEARING = "hearing", _("Hearing with residents")


class Meeting(AuditedModel):
    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.COUNCIL
    )
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("when"))
    place = models.CharField(_("place"), max_length=120)
    agenda = models.TextField(_("agenda"), blank=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="meetings", verbose_name=_("topics discussed")
    )
    minutes = models.TextField(_("minutes"), blank=True)
    held_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:meeting", args=[self.pk])

    @property
    def minutes_missing(self) -> bool:
        """It has started and nobody has recorded its minutes yet."""
        return self.held_at is None and self.starts_at < timezone.now()


class Side(models.TextChoices):
    """Whom a participant speaks for: the "three carriages" (三驾马车) and the rest."""

    COMMITTEE = "committee", _("Residents' committee")
    RESIDENT = "resident", _("Resident representative")
    PROPERTY = "property", _("Property management")
    OWNERS = "owners", _("Owners' committee")
    PARTNER = "partner", _("Partner unit")
    OTHER = "other", _("Other")


class Participant(AuditedModel):
    """Someone invited to a meeting; outside representatives need no account."""

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    side = models.CharField(_("for"), max_length=10, choices=Side.choices)
    name = models.CharField(_("name"), max_length=60)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    resident = models.ForeignKey(
        "registry.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    scope_path = "meeting__committee__path"

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["side", "pk"]

    def __str__(self) -> str:
        return self.name


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Decision(AuditedModel):
    """Something a meeting decided, who carries it out and by when, tracked to done."""

    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    meeting = models.ForeignKey(
        Meeting, models.SET_NULL, null=True, blank=True, related_name="decisions", verbose_name=_("meeting")
    )
    topic = models.ForeignKey(
        Topic, models.SET_NULL, null=True, blank=True, related_name="decisions", verbose_name=_("topic")
    )
    text = models.TextField(_("decision"))
    owner = models.CharField(_("who carries it out"), max_length=120)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    progress = models.TextField(_("progress"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_path = "committee__path"

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["committee", "status", "due_on"], name="decision_due")]

    def __str__(self) -> str:
        return self.text[:60]

    def is_overdue(self, today=None) -> bool:
        return self.status == DecisionStatus.OPEN and self.due_on < (today or timezone.localdate())

    @property
    def is_done(self) -> bool:
        return self.status == DecisionStatus.DONE

    @property
    def is_dropped(self) -> bool:
        return self.status == DecisionStatus.DROPPED

    @property
    def status_tone(self) -> str:
        """The badge's colour by status alone; pages that date it show ``is_overdue`` as an error."""
        return {DecisionStatus.DONE: "ok", DecisionStatus.DROPPED: "derived"}.get(
            DecisionStatus(self.status), "tag"
        )
