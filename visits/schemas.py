"""What the visits endpoints of the API take and return."""

from datetime import date, datetime

from ninja import Field, Schema

from accounts.schemas import MAX_ID
from areas.schemas import AreaRef
from deliberation.schemas import Day
from visits.models import Way

ID = Field(ge=1, le=MAX_ID)


class WorkerRef(Schema):
    id: int
    name: str


class ShareOut(Schema):
    area: AreaRef = Field(description="A building group, or a building outside any building group.")
    worker: WorkerRef


class PlanOut(Schema):
    id: int
    title: str
    committee: AreaRef
    starts_on: date
    ends_on: date
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class PlanDetailOut(PlanOut):
    shares: list[ShareOut] = Field(description="Who visits which building group (those in your area).")

    @staticmethod
    def resolve_shares(obj):
        return obj.visible_shares


class PlanIn(Schema):
    title: str = Field(max_length=120, examples=["2026年第四季度四百走访"])
    starts_on: Day
    ends_on: Day
    workers: list[int] = Field(
        default_factory=list,
        max_length=200,
        description="User ids to share the building groups among (see GET /visits/workers).",
    )
    assignments: list["AssignmentIn"] | None = Field(
        None, max_length=2000, description="Instead of `workers`: a worker for every part, given by hand."
    )


class AssignmentIn(Schema):
    area: str = Field(
        max_length=64, description="A building group's code (or a building's, outside any group)."
    )
    worker: int = ID


class PlanChangeIn(Schema):
    title: str = Field(max_length=120)
    starts_on: Day
    ends_on: Day


class EligibleOut(Schema):
    id: int
    name: str
    roles: list[str]
    groups: list[AreaRef] = Field(description="The building groups a building leader leads (and may take).")


class TallyOut(Schema):
    visited: int
    total: int
    percent: float


class BuildingCoverageOut(Schema):
    building: AreaRef
    coverage: TallyOut


class UnitCoverageOut(Schema):
    area: AreaRef
    worker: WorkerRef | None = Field(description="Null: no worker yet (households added after the plan).")
    coverage: TallyOut
    buildings: list[BuildingCoverageOut]


class WorkerCoverageOut(Schema):
    worker: WorkerRef
    areas: list[str] = Field(description="Codes of their building groups.")
    coverage: TallyOut


class CoverageOut(Schema):
    plan: PlanOut
    coverage: TallyOut
    units: list[UnitCoverageOut]
    workers: list[WorkerCoverageOut]


class HouseholdRef(Schema):
    id: int
    address: str
    building: AreaRef


class NotVisitedOut(HouseholdRef):
    last_visit_on: date | None = Field(description="Null: never visited.")
    last_way: Way | None


class NeedIn(Schema):
    category: int = ID
    text: str = Field(max_length=2000)
    resident: int | None = Field(
        None, ge=1, le=MAX_ID, description="Who the request is for; empty: the first person living there."
    )


class VisitIn(Schema):
    household: int = ID
    visited_on: Day | None = Field(None, description="Empty: today. Not in the future.")
    way: Way = Way.DOOR
    seen: list[int] = Field(default_factory=list, max_length=50, description="Ids of residents living there.")
    others: str = Field("", max_length=200)
    findings: str = Field("", max_length=2000)
    needs: str = Field("", max_length=2000)
    request: NeedIn | None = Field(None, description="Raise a need as a request (诉求) in the same step.")


class PersonRef(Schema):
    id: int
    name: str


class RequestRef(Schema):
    id: int
    category: str
    status: str
    text: str


class VisitOut(Schema):
    id: int
    household: HouseholdRef
    visited_on: date
    way: Way
    seen: list[PersonRef]
    others: str
    findings: str
    needs: str
    recorded_by: str
    recorded_at: datetime
    requests: list[RequestRef]

    @staticmethod
    def resolve_seen(obj):
        return list(obj.seen.all())

    @staticmethod
    def resolve_recorded_by(obj) -> str:
        return obj.recorded_by.name if obj.recorded_by else ""

    @staticmethod
    def resolve_requests(obj):
        return [
            {
                "id": r.request.pk,
                "category": r.request.category.name,
                "status": r.request.status,
                "text": r.request.text,
            }
            for r in obj.raised.all()
        ]


class PlannedOut(Schema):
    plan: PlanOut | None
    total: int = Field(description="Households left in your shares of the plans running today.")
    households: list[HouseholdRef] = Field(description="The first ten of them.")


PlanIn.model_rebuild()
