"""What the activity endpoints of the API take and return."""

from datetime import date, datetime

from ninja import Field, Schema

from activities.models import Activity, Signup, SignupStatus, SignupVia
from activities.signups import waiting_position
from areas.schemas import AreaRef
from common.api import MAX_ID, Id
from common.schemas import Text, When
from registry.models import Tag


class ActivityOut(Schema):
    id: int
    title: str
    description: str
    place: str
    committee: AreaRef
    starts_at: datetime
    ends_at: datetime
    capacity: int | None = Field(description="Places; null: no limit.")
    places_left: int | None
    opens_at: datetime | None
    closes_at: datetime | None
    min_age: int | None
    max_age: int | None
    tags: list[Tag] = Field(description="Only residents with any of these tags; empty: anyone eligible.")
    areas: list[AreaRef] = Field(description="Only residents of these areas; empty: the whole committee.")
    series: int | None = Field(description="The series (a recurring class) this session belongs to.")
    team: int | None = Field(description="The team that organises it (GET /volunteers/teams/{id}).")
    published: bool
    cancelled: bool
    url: str

    @staticmethod
    def resolve_tags(obj: Activity) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_areas(obj: Activity):
        return [a.area for a in obj.areas.all()]

    @staticmethod
    def resolve_team(obj: Activity) -> int | None:
        return obj.team_id

    @staticmethod
    def resolve_series(obj: Activity) -> int | None:
        return obj.series_id

    @staticmethod
    def resolve_published(obj: Activity) -> bool:
        return obj.published_at is not None

    @staticmethod
    def resolve_cancelled(obj: Activity) -> bool:
        return obj.cancelled_at is not None

    @staticmethod
    def resolve_url(obj: Activity) -> str:
        return obj.get_absolute_url()


class SignupOut(Schema):
    id: int
    activity: int
    resident: int
    resident_name: str
    status: SignupStatus
    waiting_position: int | None = Field(description="1 for the first on the waiting list.")
    via: SignupVia
    created_at: datetime
    checked_in_at: datetime | None
    rating: int | None

    @staticmethod
    def resolve_activity(obj: Signup) -> int:
        return obj.activity_id

    @staticmethod
    def resolve_resident(obj: Signup) -> int:
        return obj.resident_id

    @staticmethod
    def resolve_resident_name(obj: Signup) -> str:
        return obj.resident.name

    @staticmethod
    def resolve_waiting_position(obj: Signup) -> int | None:

        return waiting_position(obj)


class ChoiceOut(Schema):
    resident: int
    name: str
    signup: SignupOut | None
    problem: str = Field(description="Why this person may not sign up now; empty if they may.")


class OfferOut(Schema):
    activity: ActivityOut
    people: list[ChoiceOut] = Field(description="You and those you act for, in this activity's committee.")


class StaffActivityOut(ActivityOut):
    confirmed: int = Field(description="Signed up with a place; the waiting list is not counted here.")
    waiting: int = Field(description="On the waiting list, counted apart from the places.")
    came: int = Field(description="Checked in (受益人次).")


class ActivityIn(Schema):
    title: Text = Field(min_length=1, max_length=120)
    description: Text = Field("", max_length=5000)
    place: Text = Field(min_length=1, max_length=120)
    starts_at: When
    ends_at: When
    capacity: int | None = Field(None, ge=1, le=100000)
    opens_at: When | None = None
    closes_at: When | None = None
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    areas: list[Text] = Field(
        default_factory=list, max_length=200, description="Area codes inside the committee."
    )
    tags: list[Tag] = Field(default_factory=list)
    team: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The team that organises it: a current team of the committee or its street.",
    )


class NewActivityIn(ActivityIn):
    weeks: int = Field(1, ge=1, le=26, description="Sessions, one a week at the same time.")


class SignupIn(Schema):
    resident: int = Field(
        ge=1, le=MAX_ID, description="Yourself, someone you act for, or (staff) any resident."
    )
    series: bool = Field(False, description="Every session of the series still open.")


class RatingIn(Schema):
    rating: int = Field(ge=1, le=5)
    comment: Text = Field("", max_length=300)


class CancelIn(Schema):
    reason: Text = Field(min_length=1, max_length=200)


class CapacityIn(Schema):
    capacity: int | None = Field(None, ge=1, le=100000)


class CheckInIn(Schema):
    signup: int = Field(ge=1, le=MAX_ID)


class PaperSheetIn(Schema):
    signups: list[Id] = Field(
        min_length=1, max_length=1000, description="The sign-ups ticked on the paper sheet."
    )
    reason: Text = Field(
        min_length=1, max_length=200, description="Why entered afterwards; kept in the audit log."
    )


class WalkInIn(Schema):
    resident: int = Field(ge=1, le=MAX_ID)


class ScanIn(Schema):
    activity: int = Field(ge=1, le=MAX_ID)


class PassOut(Schema):
    resident: int
    name: str
    token: str
    url: str = Field(description="What the QR code holds; staff open it to check the resident in.")


class ReviewIn(Schema):
    summary: Text = Field(min_length=1, max_length=5000)


class BeneficiariesOut(Schema):
    activities: int
    person_times: int = Field(description="受益人次: every check-in counts once.")
    people: int = Field(description="Different residents who came.")


class MonthBeneficiariesOut(BeneficiariesOut):
    month: date
