"""Writing conventions and moving them through their phases: draft → consultation → final →
published, and amendments as new versions. Each phase change is checked and audited; signing,
withdrawing and comments are in ``signing``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel
from audit.services import record
from common.scope import Capability, Scope
from conventions.models import Clause, Convention, ConventionVersion, VersionState

MAX_CLAUSES = 60
MAX_CLAUSE_LENGTH = 500
MAX_THEME_LENGTH = 30
MAX_CONSULTATION_DAYS = 90
AREA_LEVELS = (AreaLevel.COMMITTEE, AreaLevel.GRID, AreaLevel.BUILDING_GROUP, AreaLevel.BUILDING)
# "社区健康类｜每月参加一次健康讲座": the theme, a bar (full-width or not), the clause.
_BAR = re.compile(r"\s*[｜|]\s*")


def require_manager(scope: Scope) -> None:
    if not scope.can(Capability.MANAGE_CONVENTIONS):
        raise PermissionDenied(_("Your active role may not draft or publish conventions."))


def require_own(scope: Scope, convention: Convention) -> None:
    require_manager(scope)
    if not scope.covers(convention.committee):
        raise PermissionDenied(_("This convention belongs to another committee."))


@dataclass
class ClauseDraft:
    theme: str
    text: str


@dataclass
class ConventionDraft:
    """What staff write. ``title``, ``area`` and ``per_household`` are settled once the first
    consultation opens (residents have seen whom it is for); the rest is per version."""

    title: str
    area: Area
    preamble: str = ""
    per_household: bool = False
    clauses: list[ClauseDraft] = field(default_factory=list)


def parse_clauses(text: str) -> list[ClauseDraft]:
    """One clause per line, "主题｜条款"; a line without a bar keeps the theme of the line
    before it (so a theme is typed once); blank lines are skipped."""
    clauses: list[ClauseDraft] = []
    theme = ""
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        parts = _BAR.split(line, maxsplit=1)
        if len(parts) == 2:
            theme, line = parts[0].strip(), parts[1].strip()
        clauses.append(ClauseDraft(theme=theme, text=line))
    return clauses


def clauses_as_text(version: ConventionVersion) -> str:
    """The clauses in the form ``parse_clauses`` reads, each line with its theme."""
    return "\n".join(f"{c.theme}｜{c.text}" if c.theme else c.text for c in version.clauses.all())


def _check(committee: Area, draft: ConventionDraft) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(name: str, text: str) -> None:
        problems.setdefault(name, []).append(text)

    if not draft.title.strip():
        add("title", _("Give the convention a title."))
    elif len(" ".join(draft.title.split())) > 120:
        add("title", _("Keep the title within 120 characters."))
    area = draft.area
    if area is None or not area.path.startswith(committee.path) or area.level not in AREA_LEVELS:
        add("area", _("Choose %(own)s or one of its parts.") % {"own": committee.name})
    elif area.is_retired:
        add("area", _("%(area)s is retired.") % {"area": area.name})
    if len(draft.clauses) > MAX_CLAUSES:
        add("clauses", _("At most %(n)d clauses.") % {"n": MAX_CLAUSES})
    for number, clause in enumerate(draft.clauses, start=1):
        if not clause.text.strip():
            add("clauses", _("Clause %(n)d has no text.") % {"n": number})
        elif len(clause.text.strip()) > MAX_CLAUSE_LENGTH:
            add(
                "clauses",
                _("Clause %(n)d is longer than %(max)d characters.")
                % {"n": number, "max": MAX_CLAUSE_LENGTH},
            )
        if len(clause.theme.strip()) > MAX_THEME_LENGTH:
            add(
                "clauses",
                _("The theme of clause %(n)d is longer than %(max)d characters.")
                % {"n": number, "max": MAX_THEME_LENGTH},
            )
    return problems


def _write_clauses(version: ConventionVersion, clauses: list[ClauseDraft]) -> None:
    """Rewrite the draft's clauses in place, position by position: unchanged ones are not
    saved again (so the audit log shows what changed), surplus ones are removed."""
    existing = list(version.clauses.order_by("order", "pk"))
    for order, wanted in enumerate(clauses, start=1):
        theme, text = " ".join(wanted.theme.split()), wanted.text.strip()
        if order <= len(existing):
            clause = existing[order - 1]
            if (clause.order, clause.theme, clause.text) != (order, theme, text):
                clause.order, clause.theme, clause.text = order, theme, text
                clause.save()
        else:
            Clause.objects.create(version=version, order=order, theme=theme, text=text)
    for clause in existing[len(clauses) :]:
        clause.delete()


def committee_of_scope(scope: Scope) -> Area:
    """Conventions are drafted in a committee's name."""
    return scope.committee(_("Conventions are drafted by a committee; act in a committee role."))


@transaction.atomic
def create_convention(actor: User, scope: Scope, draft: ConventionDraft) -> Convention:
    """A convention of the scope's committee with its first version, a draft."""
    require_manager(scope)
    committee = committee_of_scope(scope)
    problems = _check(committee, draft)
    if problems:
        raise ValidationError(problems)
    convention = Convention.objects.create(
        committee=committee,
        area=draft.area,
        title=" ".join(draft.title.split()),
        per_household=draft.per_household,
        created_by=actor,
    )
    version = ConventionVersion.objects.create(
        convention=convention, number=1, preamble=draft.preamble.strip()
    )
    _write_clauses(version, draft.clauses)
    return convention


def _locked(version: ConventionVersion) -> ConventionVersion:
    """The version re-read under its row lock, so two phase changes cannot cross."""
    return (
        ConventionVersion.objects.select_for_update()
        .select_related("convention__committee")
        .get(pk=version.pk)
    )


def _settled(convention: Convention) -> bool:
    """Whether residents have seen it: then whom it is for and how it is signed stay."""
    return convention.versions.exclude(state=VersionState.DRAFT).exists()


@transaction.atomic
def update_draft(scope: Scope, version: ConventionVersion, draft: ConventionDraft) -> ConventionVersion:
    """A draft's text is edited freely: clauses added, changed, reordered, removed."""
    require_own(scope, version.convention)
    version = _locked(version)
    convention = version.convention
    if not version.is_draft:
        raise ValidationError(
            _("Version %(n)d is %(state)s: its text can no longer be changed; amend it instead.")
            % {"n": version.number, "state": version.get_state_display()}
        )
    problems = _check(convention.committee, draft)
    settled = _settled(convention)
    moved = draft.area is None or draft.area.pk != convention.area_id
    if settled and (moved or draft.per_household != convention.per_household):
        problems.setdefault("area", []).append(
            _(
                "Residents have already seen this convention: whom it is for and how it is signed "
                "stay as they are."
            )
        )
    if problems:
        raise ValidationError(problems)
    if not settled:
        convention.area, convention.per_household = draft.area, draft.per_household
    convention.title = " ".join(draft.title.split())
    convention.save()
    version.preamble = draft.preamble.strip()
    version.save(update_fields=["preamble"])
    _write_clauses(version, draft.clauses)
    return version


def _when(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _phase(version: ConventionVersion, action: str) -> None:
    record(
        action, version, note=f"{version.convention.title} v{version.number}: {version.get_state_display()}"
    )


@transaction.atomic
def open_consultation(
    scope: Scope, version: ConventionVersion, closes_on: date, *, today: date | None = None
) -> ConventionVersion:
    """The draft goes out for comment: its clauses become read-only, and residents of the area
    comment on each clause until ``closes_on`` (inclusive)."""
    require_own(scope, version.convention)
    version = _locked(version)
    today = today or timezone.localdate()
    if not version.is_draft:
        raise ValidationError(
            _("Only a draft goes out for consultation; version %(n)d is %(state)s.")
            % {"n": version.number, "state": version.get_state_display()}
        )
    if not version.clauses.exists():
        raise ValidationError(_("Write at least one clause before asking residents."))
    if closes_on is None or closes_on < today:
        raise ValidationError({"closes_on": [_("The consultation must close today or later.")]})
    if closes_on > today + timedelta(days=MAX_CONSULTATION_DAYS):
        raise ValidationError(
            {"closes_on": [_("A consultation lasts at most %(n)d days.") % {"n": MAX_CONSULTATION_DAYS}]}
        )
    version.state, version.consultation_closes = VersionState.CONSULTATION, closes_on
    version.consultation_opened_at = timezone.now()
    version.save(update_fields=["state", "consultation_closes", "consultation_opened_at"])
    _phase(version, "consultation")
    return version


@transaction.atomic
def finalise(scope: Scope, version: ConventionVersion, *, today: date | None = None) -> ConventionVersion:
    """After the consultation has closed, the text is frozen as this version and signing opens
    (the signing ceremony)."""
    require_own(scope, version.convention)
    version = _locked(version)
    today = today or timezone.localdate()
    if version.is_draft:
        raise ValidationError(_("Ask residents first: open a consultation on the draft, then finalise it."))
    if not version.is_in_consultation:
        raise ValidationError(
            _("Version %(n)d is already %(state)s.")
            % {"n": version.number, "state": version.get_state_display()}
        )
    closes = version.consultation_closes
    if closes is not None and today <= closes:
        raise ValidationError(
            _("The consultation is open until %(date)s; finalise the text after it has closed.")
            % {"date": _when(closes)}
        )
    version.state, version.finalised_at = VersionState.FINAL, timezone.now()
    version.save(update_fields=["state", "finalised_at"])
    _phase(version, "finalise")
    return version


@transaction.atomic
def publish(scope: Scope, version: ConventionVersion) -> ConventionVersion:
    """The final text goes on the wall; a version published before it is superseded and keeps
    its signatures."""
    require_own(scope, version.convention)
    version = _locked(version)
    if version.state in (VersionState.DRAFT, VersionState.CONSULTATION):
        raise ValidationError(
            _("Only a final text is published; finalise version %(n)d first.") % {"n": version.number}
        )
    if not version.is_final:
        raise ValidationError(
            _("Version %(n)d is %(state)s.") % {"n": version.number, "state": version.get_state_display()}
        )
    now = timezone.now()
    for old in ConventionVersion.objects.select_for_update().filter(
        convention=version.convention_id, state=VersionState.PUBLISHED
    ):
        old.state, old.superseded_at = VersionState.SUPERSEDED, now
        old.save(update_fields=["state", "superseded_at"])
        _phase(old, "supersede")
    version.state, version.published_at = VersionState.PUBLISHED, now
    version.save(update_fields=["state", "published_at"])
    _phase(version, "publish")
    return version


@transaction.atomic
def amend(scope: Scope, convention: Convention) -> ConventionVersion:
    """A new version, a draft copied from the published text. The published one stays on the
    wall, and open for signing, until the new one is published."""
    require_own(scope, convention)
    versions = list(
        ConventionVersion.objects.select_for_update().filter(convention=convention).order_by("number")
    )
    current = next((v for v in versions if v.state == VersionState.PUBLISHED), None)
    pending = next(
        (
            v
            for v in versions
            if v.state in (VersionState.DRAFT, VersionState.CONSULTATION, VersionState.FINAL)
        ),
        None,
    )
    if pending is not None:
        raise ValidationError(
            _("Version %(n)d is still %(state)s: finish or discard it before starting another.")
            % {"n": pending.number, "state": pending.get_state_display()}
        )
    if current is None:
        raise ValidationError(_("Only a published convention is amended."))
    draft = ConventionVersion.objects.create(
        convention=convention, number=versions[-1].number + 1, preamble=current.preamble
    )
    Clause.objects.bulk_create(
        [Clause(version=draft, order=c.order, theme=c.theme, text=c.text) for c in current.clauses.all()]
    )
    record("amend", draft, note=f"{convention.title} v{draft.number}")
    return draft


@transaction.atomic
def discard_draft(scope: Scope, version: ConventionVersion) -> Convention | None:
    """A draft nobody has seen is deleted; the convention too when it was its only version.
    Returns the convention if it remains."""
    require_own(scope, version.convention)
    version = _locked(version)
    if not version.is_draft:
        raise ValidationError(_("Only a draft can be discarded; residents have seen this version."))
    convention = version.convention
    version.delete()
    if not convention.versions.exists():
        convention.delete()
        return None
    return convention
