"""What the visits endpoints of the API take and return."""

from datetime import date, datetime

from ninja import Field, Schema

from areas.schemas import AreaRef
from common.api import MAX_ID, Id
from common.schemas import Day, Text
from visits.models import Way

ID = Field(ge=1, le=MAX_ID)


class VisitWorkerRef(Schema):
    id: int
    name: str


class VisitShareOut(Schema):
    area: AreaRef = Field(description="A building group, or a building outside any building group.")
    worker: VisitWorkerRef


class VisitPlanOut(Schema):
    id: int
    title: str
    committee: AreaRef
    starts_on: date
    ends_on: date
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class VisitPlanDetailOut(VisitPlanOut):
    shares: list[VisitShareOut] = Field(description="Who visits which building group (those in your area).")

    @staticmethod
    def resolve_shares(obj):
        return obj.visible_shares


class VisitPlanIn(Schema):
    title: Text = Field(max_length=120, examples=["2026年第四季度四百走访"])
    starts_on: Day
    ends_on: Day
    workers: list[Id] = Field(
        default_factory=list,
        max_length=200,
        description="User ids to share the building groups among (see GET /visits/workers).",
    )
    assignments: list["VisitAssignmentIn"] | None = Field(
        None, max_length=2000, description="Instead of `workers`: a worker for every part, given by hand."
    )


class VisitAssignmentIn(Schema):
    area: Text = Field(
        max_length=64, description="A building group's code (or a building's, outside any group)."
    )
    worker: int = ID


class VisitPlanChangeIn(Schema):
    title: Text = Field(max_length=120)
    starts_on: Day
    ends_on: Day


class VisitEligibleOut(Schema):
    id: int
    name: str
    roles: list[str]
    groups: list[AreaRef] = Field(description="The building groups a building leader leads (and may take).")


class VisitTallyOut(Schema):
    visited: int
    total: int
    percent: float


class VisitBuildingOut(Schema):
    building: AreaRef
    coverage: VisitTallyOut


class VisitUnitOut(Schema):
    area: AreaRef
    worker: VisitWorkerRef | None = Field(
        description="Null: no worker yet (households added after the plan)."
    )
    coverage: VisitTallyOut
    buildings: list[VisitBuildingOut]


class VisitWorkerOut(Schema):
    worker: VisitWorkerRef
    areas: list[str] = Field(description="Codes of their building groups.")
    coverage: VisitTallyOut


class VisitCoverageOut(Schema):
    plan: VisitPlanOut
    coverage: VisitTallyOut
    units: list[VisitUnitOut]
    workers: list[VisitWorkerOut]


class VisitHouseholdRef(Schema):
    id: int
    address: str
    building: AreaRef


class VisitNotVisitedOut(VisitHouseholdRef):
    last_visit_on: date | None = Field(description="Null: never visited.")
    last_way: Way | None


class VisitNeedIn(Schema):
    category: int = ID
    text: Text = Field(max_length=2000)
    resident: int | None = Field(
        None, ge=1, le=MAX_ID, description="Who the request is for; empty: the first person living there."
    )


class VisitIn(Schema):
    household: int = ID
    visited_on: Day | None = Field(None, description="Empty: today. Not in the future.")
    way: Way = Way.DOOR
    seen: list[Id] = Field(default_factory=list, max_length=50, description="Ids of residents living there.")
    others: Text = Field("", max_length=200)
    findings: Text = Field("", max_length=2000)
    needs: Text = Field("", max_length=2000)
    demand: VisitNeedIn | None = Field(None, description="Raise a need as a request (诉求) in the same step.")


class VisitChangeIn(Schema):
    visited_on: Day = Field(description="Not in the future.")
    way: Way
    seen: list[Id] = Field(default_factory=list, max_length=50, description="Ids of residents living there.")
    others: Text = Field("", max_length=200)
    findings: Text = Field("", max_length=2000)
    needs: Text = Field("", max_length=2000)


class VisitSeenRef(Schema):
    id: int
    name: str


class VisitDemandRef(Schema):
    id: int
    category: str
    status: str
    text: str


class VisitOut(Schema):
    id: int
    household: VisitHouseholdRef
    visited_on: date
    way: Way
    seen: list[VisitSeenRef]
    others: str
    findings: str
    needs: str
    recorded_by: str
    recorded_at: datetime
    corrected_at: datetime | None = Field(description="When whoever recorded it last corrected it.")
    demands: list[VisitDemandRef]

    @staticmethod
    def resolve_seen(obj):
        return list(obj.seen.all())

    @staticmethod
    def resolve_recorded_by(obj) -> str:
        return obj.recorded_by.name if obj.recorded_by else ""

    @staticmethod
    def resolve_demands(obj):
        return [
            {
                "id": r.demand.pk,
                "category": r.demand.category.name,
                "status": r.demand.status,
                "text": r.demand.text,
            }
            for r in obj.raised.all()
        ]


class VisitPlannedOut(Schema):
    plan: VisitPlanOut | None
    total: int = Field(description="Households left in your shares of the plans running today.")
    households: list[VisitHouseholdRef] = Field(description="The first ten of them.")


VisitPlanIn.model_rebuild()
