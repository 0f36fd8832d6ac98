"""What the elderly-watch endpoints of the API take and return."""

from datetime import date, datetime

from ninja import Field, Schema

from common.api import MAX_ID
from common.schemas import Clock, LocalTime, Text
from eldercare.models import CheckKind, Outcome, StopReason, WatcherKind


class PersonOut(Schema):
    id: int = Field(description="The resident's registry id.")
    name: str
    address: str
    phone: str


class WatcherOut(Schema):
    id: int
    user: int = Field(description="The watcher's account id.")
    name: str
    phone: str
    kind: WatcherKind
    added_at: datetime


class CheckOut(Schema):
    id: int
    day: date
    slot: str = Field(
        description="day or night; empty when made outside its slot's window (curtains before dawn, "
        "a light by day): kept, but proving neither check. A check before dawn is the night before's."
    )
    kind: CheckKind
    note: str
    at: datetime
    by: str = Field(description="Who recorded it.")


class SlotOut(Schema):
    slot: str
    cutoff: LocalTime
    state: str = Field(
        description="done, late (cutoff passed, nothing recorded), due, or off (nothing due today)."
    )
    checks: list[CheckOut]


class AlertOut(Schema):
    id: int
    watch: int
    resident: str
    address: str
    day: date
    slot: str
    cause: str
    level: int = Field(description="1 watchers told, 2 social workers told, 3 family told.")
    level_label: str
    raised_at: datetime
    workers_due_at: datetime
    family_due_at: datetime
    workers_told_at: datetime | None
    family_told_at: datetime | None
    family_reached: str
    acknowledged_at: datetime | None
    acknowledged_by: str
    closed_at: datetime | None
    outcome: str
    outcome_note: str


class WatchOut(Schema):
    id: int
    resident: PersonOut
    committee: str = Field(description="The committee's code.")
    status: str
    stop_reason: str
    checks_from: date
    day_cutoff: LocalTime = Field(
        description="The effective cutoff: this person's own, else the committee's."
    )
    night_cutoff: LocalTime
    own_day_cutoff: LocalTime | None
    own_night_cutoff: LocalTime | None
    family_name: str
    family_relation: str
    family_phone: str
    family_account: int | None
    note: str
    started_at: datetime


class WatchTodayOut(Schema):
    watch: WatchOut
    day: SlotOut
    night: SlotOut
    open_alerts: int


class WatchDetailOut(WatchTodayOut):
    watchers: list[WatcherOut]
    alerts: list[AlertOut]


class WatchCandidateOut(Schema):
    id: int
    name: str
    address: str
    age: int | None
    tags: list[str]


class WatchIn(Schema):
    resident: int = Field(..., ge=1, le=MAX_ID, description="The resident's registry id.")


class StatusIn(Schema):
    status: Text = Field(..., description="active (resume), paused or ended.")
    reason: StopReason | None = Field(None, description="Why it pauses or ends.")
    note: Text = Field("", max_length=200)


class FamilyIn(Schema):
    name: Text = Field("", max_length=50)
    relation: Text = Field("", max_length=30)
    phone: Text = Field("", max_length=20)
    account: int | None = Field(None, ge=1, le=MAX_ID, description="A registered family proxy's account id.")


class CutoffsIn(Schema):
    day_cutoff: Clock | None = None
    night_cutoff: Clock | None = None
    note: Text | None = Field(None, max_length=300)


class WatcherIn(Schema):
    phone: Text = Field(..., max_length=20, description="The watcher's account's mobile number.")
    kind: WatcherKind


class CheckIn(Schema):
    kind: CheckKind
    note: Text = Field("", max_length=300)


class CloseIn(Schema):
    outcome: Outcome
    note: Text = Field("", max_length=300)


class PolicyOut(Schema):
    committee: str
    day_cutoff: LocalTime
    night_cutoff: LocalTime
    night_from: LocalTime
    workers_after: int
    family_after: int


class PolicyIn(Schema):
    day_cutoff: Clock
    night_cutoff: Clock
    night_from: Clock
    workers_after: int = Field(..., ge=0, le=24 * 60)
    family_after: int = Field(..., ge=0, le=24 * 60)


class WatchListQuery(Schema):
    today: Text = Field(
        "", description="late, checked, alert, paused or ended; empty: all running or paused."
    )
    tag: Text = Field("", description="living_alone, elderly_only or aged_80.")
    building: Text = Field("", max_length=64, description="A building's area code.")


class AttentionOut(Schema):
    alerts: list[AlertOut]
    overdue: list[WatchOut]
    overdue_count: int
    due_soon: int
    open_alerts: int
