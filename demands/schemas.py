"""What the request endpoints of the API take and return."""

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import StrictBool, model_validator

from areas.schemas import AreaRef
from common.api import MAX_ID, Id
from common.schemas import Day, Text
from demands.models import Assignee, Demand, DemandEvent, DemandSource, DemandStatus, EventKind, ProjectStatus

TEXT = Field(..., min_length=1, max_length=2000)
ID = Field(..., ge=1, le=MAX_ID)


class DemandCategoryOut(Schema):
    id: int
    name: str
    hours: int = Field(description="The service level here: hours from assignment to resolution.")
    elderly: bool = Field(description="One of the services for the elderly (助洁 助餐 助急 助医 助行 助乐).")
    default: bool = Field(description="A city-wide default; otherwise the committee's own.")

    @staticmethod
    def resolve_hours(obj) -> int:
        return int(getattr(obj, "hours", None) or obj.service_hours)

    @staticmethod
    def resolve_default(obj) -> bool:
        return obj.committee_id is None


class DemandCategorySettingOut(Schema):
    id: int
    name: str
    hours: int = Field(description="The service level here: hours from assignment to resolution.")
    elderly: bool
    default: bool = Field(description="A city-wide default; otherwise the committee's own.")
    offered: bool = Field(description="Whether the committee offers it now.")


class DemandCategoryIn(Schema):
    name: Text = Field(..., min_length=1, max_length=40)
    service_hours: int = Field(..., ge=1, le=24 * 90)
    elderly: StrictBool = False


class DemandCategoryChangeIn(Schema):
    """Both parts optional; a JSON object all the same."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        body = getattr(data, "_obj", data)  # ninja hands the body over wrapped in a DjangoGetter
        if not isinstance(body, dict):
            raise ValueError("Send a JSON object.")
        return data

    service_hours: int | None = Field(None, ge=1, le=24 * 90)
    offered: StrictBool | None = Field(
        None, description="False retires the category here; true offers it again."
    )


class DemandEventOut(Schema):
    kind: EventKind
    label: str
    text: str
    internal: bool
    at: datetime
    by: str | None = Field(None, description="Staff only: who wrote or did it.")


class DemandOut(Schema):
    id: int
    committee: AreaRef
    resident: int = Field(description="The registry id of the resident it is for.")
    resident_name: str
    category: str
    category_id: int
    text: str
    source: DemandSource
    status: DemandStatus
    status_label: str
    where: str
    at_home: bool
    assignee_kind: Assignee | None
    assignee: str = Field(description="The social worker's name, or the outside body.")
    assignee_unit: int | None = Field(None, description="The partner unit's id (kind=partner).")
    due_at: datetime | None
    overdue: bool
    escalated_at: datetime | None
    resolution: str
    resolved_at: datetime | None
    declined_reason: str
    rating: int | None
    rating_comment: str
    project: str | None = Field(None, description="The service project it is part of.")
    photos: list[str] = Field(description="Addresses of its photos, served to those who may read it.")
    created_at: datetime
    url: str

    @staticmethod
    def resolve_resident(obj: Demand) -> int:
        return obj.resident_id

    @staticmethod
    def resolve_resident_name(obj: Demand) -> str:
        return obj.resident.name

    @staticmethod
    def resolve_category(obj: Demand) -> str:
        return obj.category.name

    @staticmethod
    def resolve_status_label(obj: Demand) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_at_home(obj: Demand) -> bool:
        return obj.household_id is not None

    @staticmethod
    def resolve_assignee_kind(obj: Demand):
        return obj.assignee_kind or None

    @staticmethod
    def resolve_assignee(obj: Demand) -> str:
        return obj.assignee_label

    @staticmethod
    def resolve_assignee_unit(obj: Demand) -> int | None:
        return obj.assignee_unit_id

    @staticmethod
    def resolve_overdue(obj: Demand) -> bool:
        return bool(getattr(obj, "is_overdue", obj.overdue_at()))

    @staticmethod
    def resolve_project(obj: Demand):
        return obj.project.title if obj.project else None

    @staticmethod
    def resolve_photos(obj: Demand) -> list[str]:
        return [p.get_absolute_url() for p in obj.photos.all()]

    @staticmethod
    def resolve_url(obj: Demand) -> str:
        return obj.resident_url()


class DemandDetailOut(Schema):
    demand: DemandOut
    timeline: list[DemandEventOut]


class DemandSubmitIn(Schema):
    resident: int = Field(..., ge=1, le=MAX_ID, description="Yourself, or someone you act for as family.")
    category: int = ID
    text: Text = TEXT
    place: Text = Field("", max_length=120, description="A public place; empty: at the resident's home.")
    building: Text | None = Field(None, description="Code of the building the place is at or near.")


class DemandLogIn(Schema):
    resident: int = Field(..., ge=1, le=MAX_ID, description="The registry id of the resident.")
    category: int = ID
    text: Text = TEXT
    source: DemandSource = DemandSource.PHONE
    place: Text = Field("", max_length=120)
    building: Text | None = None


class DemandTextIn(Schema):
    text: Text = TEXT


class DemandNoteIn(Schema):
    text: Text = TEXT
    internal: StrictBool = Field(False, description="An internal note, for staff only.")


class DemandReasonIn(Schema):
    reason: Text = Field("", max_length=2000)


class DemandResolveIn(Schema):
    resolution: Text = TEXT


class DemandRateIn(Schema):
    rating: int = Field(..., ge=1, le=5)
    comment: Text = Field("", max_length=2000)


class DemandAssignIn(Schema):
    kind: Assignee
    worker: int | None = Field(
        None, ge=1, le=MAX_ID, description="The social worker's user id (kind=worker)."
    )
    unit: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The partner unit's id (kind=partner): of the committee or its street.",
    )
    name: Text = Field("", max_length=120, description="The outside body's name (property, owners).")
    category: int | None = Field(None, ge=1, le=MAX_ID, description="Correct the category at triage.")
    note: Text = Field("", max_length=2000, description="An internal note.")


class DemandQueueQuery(Schema):
    status: Text = Field("open", description="A status, `open` (default) or empty for all.")
    category: int | None = Field(None, ge=1, le=MAX_ID)
    assignee: Text = Field("", max_length=12, description="`me`, `none`, `outside` or a user id.")
    overdue: bool = False
    source: DemandSource | None = None
    q: Text = Field("", max_length=50)


class ServiceProjectOut(Schema):
    id: int
    committee: AreaRef
    title: str
    description: str
    owner: str | None
    status: ProjectStatus
    started_at: datetime | None
    finished_at: datetime | None
    outcome: str
    demands: list[int]
    created_at: datetime

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.name if obj.owner_id else None

    @staticmethod
    def resolve_demands(obj) -> list[int]:
        return [r.pk for r in obj.demands.all()]


class ServiceProjectIn(Schema):
    title: Text = Field(..., min_length=1, max_length=120)
    description: Text = TEXT
    owner: int | None = Field(None, ge=1, le=MAX_ID)
    demands: list[Id] = Field(default_factory=list, max_length=200)


class ServiceProjectMoveIn(Schema):
    status: ProjectStatus
    outcome: Text = Field("", max_length=2000)


class ProjectGroupIn(Schema):
    demands: list[Id] = Field(..., min_length=1, max_length=200)


class DemandPeriodQuery(Schema):
    start: Day | None = None
    end: Day | None = None


class DemandFigureRowOut(Schema):
    label: str
    received: int
    resolved: int
    open: int
    overdue: int
    median_hours: float | None
    average_rating: float | None
    rated: int
    satisfied_share: float | None = Field(description="Share of ratings that are 4 or 5, 0–1.")


class DemandFiguresOut(Schema):
    start: date
    end: date
    by: str = Field(
        description="`worker` (a committee's scope), or the level of the rows compared: "
        "`district` (a city), `street` (a district), `committee` (a street)."
    )
    total: DemandFigureRowOut
    rows: list[DemandFigureRowOut]


def event_out(event: DemandEvent, staff: bool) -> dict:
    return {
        "kind": event.kind,
        "label": str(event.get_kind_display()),
        "text": event.text,
        "internal": event.internal,
        "at": event.at,
        "by": event.by.name if staff and event.by else None,
    }


class UnitDemandOut(Schema):
    """A request as the partner unit it is given to reads it: what is needed and where,
    never the resident's name or number (the unit answers on the request)."""

    id: int
    committee: AreaRef
    unit: int = Field(description="The partner unit it is given to.")
    category: str
    text: str
    status: DemandStatus
    status_label: str
    where: str
    due_at: datetime | None
    overdue: bool
    resolution: str
    resolved_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_unit(obj: Demand) -> int:
        return obj.assignee_unit_id or 0

    @staticmethod
    def resolve_category(obj: Demand) -> str:
        return obj.category.name

    @staticmethod
    def resolve_status_label(obj: Demand) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_overdue(obj: Demand) -> bool:
        return obj.overdue_at()


class UnitDemandDetailOut(Schema):
    demand: UnitDemandOut
    timeline: list[DemandEventOut]
