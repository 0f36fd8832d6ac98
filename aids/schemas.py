"""What the care aids' endpoints take and return. Names carry the app (``AidKindOut``…): schema
names are unique across the whole API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from aids.inventory import MAX_AGE, MAX_DAYS, MAX_DEPOSIT, MAX_HOLD_DAYS, MAX_RENEWALS
from aids.models import AidCategory, AidItem, AidKind, Condition, Hold, HoldStatus, Loan
from areas.schemas import AreaRef
from common.api import Id
from common.schemas import Text


class AidKindOut(Schema):
    id: int
    area: AreaRef
    name: str
    category: AidCategory
    about: str
    loan_days: int
    renewals: int
    renewal_days: int
    deposit: Decimal
    min_age: int | None
    tags: list[str] = Field(
        description="Registry tags that make a resident eligible (either these or the age)."
    )
    needs_approval: bool
    hold_days: int
    archived: bool
    url: str

    @staticmethod
    def resolve_tags(obj: AidKind) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_archived(obj: AidKind) -> bool:
        return obj.archived_at is not None

    @staticmethod
    def resolve_url(obj: AidKind) -> str:
        return obj.get_absolute_url()


class AidAvailabilityOut(AidKindOut):
    in_service: int = Field(description="Items neither retired nor waiting for repair.")
    lent: int
    set_aside: int = Field(description="Items set aside for the first in the queue, to collect.")
    free: int = Field(description="Items that may be asked for and lent now.")
    waiting: int = Field(description="People in the queue.")
    to_approve: int = Field(description="Requests waiting for staff.")


class AidKindIn(Schema):
    name: Text = Field(..., min_length=1, max_length=60)
    category: AidCategory
    about: Text = Field("", max_length=2000)
    loan_days: int = Field(30, ge=1, le=MAX_DAYS)
    renewals: int = Field(1, ge=0, le=MAX_RENEWALS)
    renewal_days: int = Field(30, ge=1, le=MAX_DAYS)
    deposit: Decimal = Field(Decimal("0"), ge=0, le=MAX_DEPOSIT, decimal_places=2)
    min_age: int | None = Field(None, ge=0, le=MAX_AGE)
    tags: list[Text] = Field(default_factory=list, max_length=20)
    needs_approval: bool = False
    hold_days: int = Field(3, ge=1, le=MAX_HOLD_DAYS)


class AidItemOut(Schema):
    id: int
    kind: int
    kind_name: str
    code: str
    site: int | None
    site_name: str
    condition: Condition
    in_service: bool
    notes: str
    url: str

    @staticmethod
    def resolve_kind(obj: AidItem) -> int:
        return obj.kind_id

    @staticmethod
    def resolve_kind_name(obj: AidItem) -> str:
        return obj.kind.name

    @staticmethod
    def resolve_site(obj: AidItem) -> int | None:
        return obj.site_id

    @staticmethod
    def resolve_site_name(obj: AidItem) -> str:
        return obj.site.name if obj.site else ""

    @staticmethod
    def resolve_in_service(obj: AidItem) -> bool:
        return obj.is_in_service

    @staticmethod
    def resolve_url(obj: AidItem) -> str:
        return obj.get_absolute_url()


class AidItemIn(Schema):
    code: Text = Field(..., min_length=1, max_length=30)
    site: Id | None = None
    condition: Condition = Condition.GOOD
    notes: Text = Field("", max_length=200)


class AidItemChangeIn(Schema):
    code: Text = Field(..., min_length=1, max_length=30)
    site: Id | None = None
    notes: Text = Field("", max_length=200)


class AidConditionIn(Schema):
    condition: Condition
    note: Text = Field("", max_length=200)


class AidHoldOut(Schema):
    id: int
    kind: int
    kind_name: str
    resident: int
    resident_name: str
    status: HoldStatus
    asked_at: datetime
    note: str
    item: int | None = Field(description="The item set aside, once ready.")
    item_code: str
    expires_at: datetime | None = Field(description="Collect by then, once ready.")
    reason: str

    @staticmethod
    def resolve_kind(obj: Hold) -> int:
        return obj.kind_id

    @staticmethod
    def resolve_kind_name(obj: Hold) -> str:
        return obj.kind.name

    @staticmethod
    def resolve_resident(obj: Hold) -> int:
        return obj.resident_id

    @staticmethod
    def resolve_resident_name(obj: Hold) -> str:
        return obj.resident.display_name

    @staticmethod
    def resolve_item(obj: Hold) -> int | None:
        return obj.item_id

    @staticmethod
    def resolve_item_code(obj: Hold) -> str:
        return obj.item.code if obj.item_id and obj.item else ""


class AidMyHoldOut(AidHoldOut):
    ahead: int = Field(description="People before this one in the queue.")

    @staticmethod
    def resolve_ahead(obj: Hold) -> int:
        return getattr(obj, "ahead", 0)


class AidAskIn(Schema):
    resident: Id = Field(
        ..., description="The resident: yourself, someone you act for, or (staff) anyone of your area."
    )
    note: Text = Field("", max_length=200)


class AidDeclineIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=200)


class AidLoanOut(Schema):
    id: int
    item: int
    item_name: str
    resident: int
    resident_name: str
    lent_at: datetime
    due_on: date
    renewals: int
    deposit: Decimal
    condition_out: Condition
    notes_out: str
    returned_at: datetime | None
    condition_back: str
    notes_back: str
    deposit_returned: Decimal | None
    overdue: bool
    url: str

    @staticmethod
    def resolve_item(obj: Loan) -> int:
        return obj.item_id

    @staticmethod
    def resolve_item_name(obj: Loan) -> str:
        return str(obj.item)

    @staticmethod
    def resolve_resident(obj: Loan) -> int:
        return obj.resident_id

    @staticmethod
    def resolve_resident_name(obj: Loan) -> str:
        return obj.resident.display_name

    @staticmethod
    def resolve_overdue(obj: Loan) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_url(obj: Loan) -> str:
        return obj.get_absolute_url()


class AidLendIn(Schema):
    resident: Id
    deposit: Decimal | None = Field(
        None, ge=0, le=MAX_DEPOSIT, decimal_places=2, description="Default: the kind's."
    )
    notes: Text = Field("", max_length=200)


class AidReturnIn(Schema):
    condition: Condition
    notes: Text = Field("", max_length=200)
    deposit_returned: Decimal | None = Field(
        None, ge=0, le=MAX_DEPOSIT, decimal_places=2, description="Default: all of the deposit."
    )


class AidOverdueOut(Schema):
    loan: AidLoanOut
    days_overdue: int
    call: str = Field(description="Whom to call: self, family, leader, or nobody (visit).")
    call_name: str
    call_phone: str = Field(description="Masked unless your role sees residents' personal data.")


class AidMineOut(Schema):
    holds: list[AidMyHoldOut]
    loans: list[AidLoanOut]
    returned: list[AidLoanOut]


class AidDueOut(Schema):
    due_soon: int = Field(description="Loans due back within MULIN_AID_REMIND_DAYS.")
    overdue: int
    first: list[AidLoanOut]
