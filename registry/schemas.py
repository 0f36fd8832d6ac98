"""What the registry endpoints of the API take and return: explicit fields, masked by default."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Literal

from django.utils import timezone
from ninja import Field, Schema

from accounts.phone import mask_phone
from areas.schemas import AreaRef
from common.api import MAX_ID, Id
from common.schemas import Day, Text
from registry.models import (
    SETTABLE_TAGS,
    AccessLog,
    Gender,
    Household,
    ImportStatus,
    LeaderPosition,
    Registration,
    RegistrationStatus,
    Relation,
    Residence,
    ResidenceType,
    Resident,
    ResidentStatus,
    Tag,
)
from registry.rules import NAME_MAX_LENGTH, NOTES_MAX_LENGTH

if TYPE_CHECKING:
    SettableTag = str  # the Literal below is built at run time, which mypy cannot read
else:
    SettableTag = Literal[tuple(SETTABLE_TAGS)]


# --- Out ------------------------------------------------------------------------------------------


class TagOut(Schema):
    tag: Tag
    label: str
    derived: bool = Field(description="Worked out from the birth date (aged 80+, minor), not set by staff.")


def _tags(person: Resident) -> list[dict]:
    stored = [{"tag": t.tag, "label": str(t.get_tag_display()), "derived": False} for t in person.tags.all()]
    derived = [{"tag": t, "label": str(Tag(t).label), "derived": True} for t in person.derived_tags()]
    return stored + derived


class HouseholdRef(Schema):
    id: int
    address: str = Field(description="Building, unit and room, in the request's language.")
    building: AreaRef
    unit: str
    room: str


class ResidentBrief(Schema):
    id: int
    name: str
    relation: Relation
    age: int | None
    status: ResidentStatus
    tags: list[TagOut]

    @staticmethod
    def resolve_age(obj: Resident) -> int | None:
        return obj.age()

    @staticmethod
    def resolve_tags(obj: Resident) -> list[dict]:
        return _tags(obj)


class ResidentOut(ResidentBrief):
    gender: Gender | Literal[""]
    birth_date: date | None
    id_masked: str = Field(description="310***********1234; the full number only through /reveal.")
    phone: str
    residence_type: ResidenceType
    moved_in_on: date | None
    moved_out_on: date | None
    household: HouseholdRef
    verified_account: bool = Field(description="A verified resident account is linked (counts for 上云率).")
    has_health_notes: bool
    has_key_notes: bool
    consent_on: date | None

    @staticmethod
    def resolve_verified_account(obj: Resident) -> bool:
        return obj.user_id is not None

    @staticmethod
    def resolve_has_health_notes(obj: Resident) -> bool:
        return bool(obj.health_cipher)

    @staticmethod
    def resolve_has_key_notes(obj: Resident) -> bool:
        return bool(obj.key_note_cipher)


class StayOut(Schema):
    resident_id: int
    name: str = Field(description="Empty for an anonymised former resident.")
    relation: Relation
    moved_in_on: date | None
    moved_out_on: date | None
    end_reason: str = Field(description="Empty while they live here; else moved_within, moved_out, deceased.")

    @staticmethod
    def resolve_name(obj: Residence) -> str:
        return obj.resident.name


class HouseholdOut(HouseholdRef):
    phone: str
    note: str
    living: list[ResidentBrief] = Field(description="Who lives here now.")

    @staticmethod
    def resolve_living(obj: Household) -> list[Resident]:
        return getattr(obj, "living", [])


class HouseholdDetailOut(HouseholdOut):
    history: list[StayOut] = Field(description="Every stay, past and present, oldest first.")

    @staticmethod
    def resolve_history(obj: Household) -> list[Residence]:
        return getattr(obj, "history", [])


class FiguresOut(Schema):
    area: AreaRef
    households: int
    residents: int = Field(description="Living residents in the registry.")
    verified: int = Field(description="Of them, those with a linked, verified resident account.")
    on_cloud_rate: float | None = Field(description="verified ÷ residents (0–1); null with no residents.")


class TagCountOut(Schema):
    tag: Tag
    label: str
    count: int
    derived: bool


class SummaryOut(Schema):
    figures: FiguresOut
    parts: list[FiguresOut] = Field(description="The building groups of a committee, or the area's parts.")
    tags: list[TagCountOut]


class MapCellOut(Schema):
    building: AreaRef
    group: str
    value: float
    placed: bool = Field(description="Stands where someone placed it; otherwise lined up in a grid.")
    x: float = Field(description="Left edge on the plan (plan units).")
    y: float = Field(description="Top edge on the plan (plan units).")


class MapOut(Schema):
    metric: str
    metric_label: str
    percent: bool
    width: int
    height: int
    cells: list[MapCellOut]


class LeaderOut(Schema):
    id: int
    resident: ResidentBrief
    position: LeaderPosition
    since: date


class RevealOut(Schema):
    field: str
    value: str = Field(description="The full value; this answer is written to the access log.")


class AccessLogOut(Schema):
    at: datetime
    actor: str
    actor_role: str
    field: str
    resident_id: int | None
    resident: str
    reason: str
    count: int

    @staticmethod
    def resolve_actor(obj: AccessLog) -> str:
        return obj.actor.name if obj.actor else ""

    @staticmethod
    def resolve_resident(obj: AccessLog) -> str:
        return obj.resident.display_name if obj.resident else ""


class ImportOut(Schema):
    id: int
    committee: AreaRef
    file_name: str
    status: ImportStatus
    rows: int
    problem_count: int
    report: dict = Field(description="Counts, notes and the first 200 problems (row, column, value, reason).")
    created_at: datetime
    applied_at: datetime | None


class RegistrationOut(Schema):
    id: int
    name: str
    phone: str = Field(description="Masked.")
    committee: AreaRef
    area: AreaRef = Field(description="The building the resident named, or the committee.")
    unit: str
    room: str
    status: RegistrationStatus
    note: str
    created_at: datetime

    @staticmethod
    def resolve_phone(obj: Registration) -> str:
        return mask_phone(obj.user.phone)


class RecordCandidateOut(Schema):
    id: int
    name: str
    id_masked: str
    household: HouseholdRef


class ProxyOut(Schema):
    id: int
    name: str
    phone: str = Field(description="Masked.")
    relation: str
    since: datetime

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.name

    @staticmethod
    def resolve_phone(obj) -> str:
        return mask_phone(obj.user.phone)

    @staticmethod
    def resolve_since(obj) -> datetime:
        return obj.created_at


class AccountOut(Schema):
    phone: str
    temporary_password: str = Field(
        description="Shown only in this answer; the resident changes it at first login."
    )


class MyRegistryOut(Schema):
    record: ResidentOut | None = Field(description="Your record, once your account is verified.")
    registration: RegistrationOut | None = Field(
        description="Your registration waiting to be verified, if any."
    )
    acting_for: list[ResidentBrief] = Field(description="Elderly residents you act for as a family proxy.")


# --- In -------------------------------------------------------------------------------------------

Name = Field(min_length=1, max_length=NAME_MAX_LENGTH)
Notes = Field(
    None, max_length=NOTES_MAX_LENGTH, description="Stored encrypted. Omit to keep; empty to clear."
)


class PersonIn(Schema):
    name: Text = Name
    id_number: Text | None = Field(None, max_length=30, description="18 characters (GB 11643).")
    gender: Gender | Literal[""] = Field("", description="Read from the identity number when empty.")
    birth_date: Day | None = Field(None, description="Read from the identity number when empty.")
    phone: Text = Field("", max_length=30, description="Mobile or landline.")
    relation: Relation = Relation.HOUSEHOLDER
    residence_type: ResidenceType = ResidenceType.REGISTERED
    moved_in_on: Day | None = None
    health_notes: Text | None = Notes
    key_notes: Text | None = Notes
    tags: list[SettableTag] | None = Field(None, max_length=20, description="Staff-set tags; omit to keep.")


class HouseholdIn(Schema):
    building: Text = Field(max_length=64, description="The building's code.")
    unit: Text = Field("", max_length=12)
    room: Text = Field(min_length=1, max_length=22)
    phone: Text = Field("", max_length=30)
    note: Text = Field("", max_length=500)


class HouseholdPatch(Schema):
    unit: Text | None = Field(None, max_length=12)
    room: Text | None = Field(None, min_length=1, max_length=22)
    phone: Text | None = Field(None, max_length=30)
    note: Text | None = Field(None, max_length=500)


class MoveIn(Schema):
    building: Text = Field(max_length=64, description="The new door's building code (same committee).")
    unit: Text = Field("", max_length=12)
    room: Text = Field(min_length=1, max_length=22)
    relation: Relation
    on: Day | None = Field(None, description="Today when omitted.")


class MoveOutIn(Schema):
    on: Day | None = Field(None, description="Today when omitted.")
    deceased: bool = Field(False, strict=True, description="Died, rather than moved away.")


class TagsIn(Schema):
    tags: list[SettableTag] = Field(max_length=20)


class BulkTagIn(Schema):
    resident_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1, max_length=1000)
    tag: SettableTag
    add: bool = Field(True, strict=True, description="False removes the tag.")


class BulkTagOut(Schema):
    changed: int


class RevealIn(Schema):
    field: Literal["id_number", "health", "key_notes"]
    reason: Text = Field(min_length=4, max_length=200, description="Written to the access log.")


class LeaderIn(Schema):
    resident_id: Id
    position: LeaderPosition


class ConsentIn(Schema):
    on: Day = Field(default_factory=timezone.localdate)
    how: Text = Field(min_length=1, max_length=100)


class ExportIn(Schema):
    reason: Text = Field(min_length=4, max_length=200, description="Why the full values are needed; logged.")


class VerifyIn(Schema):
    resident_id: Id


class RejectIn(Schema):
    note: Text = Field(min_length=1, max_length=200)


class AccountIn(Schema):
    phone: Text = Field(max_length=20)


class ProxyIn(Schema):
    phone: Text = Field(max_length=20)
    relation: Text = Field(min_length=1, max_length=30)


class RegisterIn(Schema):
    phone: Text = Field(max_length=20)
    name: Text = Name
    password: Text = Field(min_length=1, max_length=128)
    committee: Text = Field(
        max_length=64, description="Your committee's code (search /areas/?level=committee)."
    )
    building: Text | None = Field(None, max_length=64, description="Your building's code, if you found it.")
    unit: Text = Field("", max_length=12)
    room: Text = Field("", max_length=22)


class SelfVerifyIn(Schema):
    id_number: Text = Field(min_length=1, max_length=30)
