"""What the partner-unit endpoints of the API take and return."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from areas.schemas import AreaRef
from common.api import MAX_ID
from common.schemas import Day, Text
from partners.models import Contribution, OfferKind, PartnerContact, PartnerUnit, UnitKind


class UnitOfferOut(Schema):
    id: int
    kind: OfferKind
    kind_label: str
    description: str
    amount: str
    withdrawn_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class AgreementOut(Schema):
    id: int
    title: str
    signed_on: date | None
    starts_on: date
    ends_on: date | None
    terms: str


class ContactOut(Schema):
    id: int
    user: int
    name: str
    since: date
    until: date | None

    @staticmethod
    def resolve_user(obj: PartnerContact) -> int:
        return obj.user_id

    @staticmethod
    def resolve_name(obj: PartnerContact) -> str:
        return obj.user.name


class ContributionOut(Schema):
    id: int
    on: date
    what: str
    offer: int | None
    people_served: int
    hours: Decimal
    amount_yuan: Decimal

    @staticmethod
    def resolve_offer(obj: Contribution) -> int | None:
        return obj.offer_id


class UnitOut(Schema):
    id: int
    area: AreaRef
    name: str
    kind: UnitKind
    kind_label: str
    address: str
    about: str
    contact_name: str
    contact_phone: str
    ended_at: datetime | None
    url: str

    @staticmethod
    def resolve_kind_label(obj: PartnerUnit) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_url(obj: PartnerUnit) -> str:
        return obj.get_absolute_url()


class UnitRowOut(UnitOut):
    offers_now: int = Field(description="Offers standing now.")
    contacts_now: int = Field(description="People acting for the unit now.")
    open_requests: int = Field(description="Residents' requests given to it, still open.")


class UnitShiftOut(Schema):
    id: int
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    places: int
    taken: int
    came: int = Field(description="Volunteers checked in.")


class UnitRequestOut(Schema):
    """A request given to the unit: what is needed and where, never who asked."""

    id: int
    category: str
    text: str
    status: str
    status_label: str
    where: str
    due_at: datetime | None

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class UnitDetailOut(Schema):
    unit: UnitOut
    may_change: bool = Field(description="Whether the caller keeps the unit (else read only).")
    offers: list[UnitOfferOut]
    agreements: list[AgreementOut]
    contacts: list[ContactOut] = Field(description="Staff only; empty for the unit's own people.")
    contributions: list[ContributionOut] = Field(description="Staff only; the latest 50.")
    requests: list[UnitRequestOut] = Field(description="Open ones and those of the past year, at most 50.")
    shifts: list[UnitShiftOut] = Field(description="Since last year, at most 50.")


class UnitIn(Schema):
    name: Text = Field(..., min_length=1, max_length=120)
    kind: UnitKind
    address: Text = Field("", max_length=200)
    about: Text = Field("", max_length=2000)
    contact_name: Text = Field("", max_length=60)
    contact_phone: Text = Field(
        "", max_length=30, description="A mobile number or a landline such as 021-56781234."
    )


class NewUnitIn(UnitIn):
    area: Text | None = Field(
        None, max_length=40, description="Code of the committee or street; empty: the role's own area."
    )


class EndIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=500)


class AgreementIn(Schema):
    title: Text = Field(..., min_length=1, max_length=120)
    starts_on: Day
    ends_on: Day | None = None
    signed_on: Day | None = None
    terms: Text = Field("", max_length=2000)


class OfferIn(Schema):
    kind: OfferKind
    description: Text = Field(..., min_length=1, max_length=200)
    amount: Text = Field("", max_length=100)


class ContributionIn(Schema):
    on: Day
    what: Text = Field(..., min_length=1, max_length=200)
    offer: int | None = Field(None, ge=1, le=MAX_ID, description="One of the unit's offers.")
    people_served: int = Field(0, ge=0, le=1_000_000)
    hours: Decimal = Field(Decimal(0), ge=0, le=10000, max_digits=7, decimal_places=2)
    amount_yuan: Decimal = Field(Decimal(0), ge=0, le=Decimal("9999999999"), max_digits=12, decimal_places=2)


class ContactIn(Schema):
    phone: Text = Field(..., min_length=1, max_length=20, description="A mainland mobile number.")
    name: Text = Field("", max_length=50, description="Needed when the number has no account yet.")


class LinkedOut(Schema):
    contact: ContactOut
    temporary_password: str = Field(description="Only for a new account: hand it over once, in person.")
    role_granted: bool
    role_note: str = Field(description="Why the partner-unit role still has to be granted, if it does.")


class UnitFiguresOut(Schema):
    unit: int
    name: str
    area: AreaRef
    requests_done: int
    shifts: int
    person_times: int
    people_served: int
    hours: Decimal
    funds: Decimal
