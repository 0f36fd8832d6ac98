"""What the notice endpoints of the API take and return."""

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from areas.schemas import AreaRef
from common.api import Id
from common.schemas import Text, When
from notices.models import Attachment, Notice, NoticeCategory, NoticeState
from registry.models import Resident, Tag


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    is_image: bool
    url: str

    @staticmethod
    def resolve_url(obj: Attachment) -> str:
        return obj.get_absolute_url()


class NoticeOut(Schema):
    id: int
    category: NoticeCategory
    category_label: str
    title: str
    area: AreaRef = Field(description="The committee or street that published it.")
    state: NoticeState
    publish_at: datetime | None
    pinned: bool
    url: str = Field(description="The notice on the website (its poster's QR code opens it too).")

    @staticmethod
    def resolve_category_label(obj: Notice) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_state(obj: Notice) -> str:
        return obj.state()

    @staticmethod
    def resolve_url(obj: Notice) -> str:
        return obj.get_absolute_url()


class FeedItemOut(NoticeOut):
    read: bool = Field(description="Whether you have opened it (or your family member has, for you).")


class NoticeDetailOut(NoticeOut):
    body: str
    tags: list[Tag] = Field(description="Only residents with any of these tags; empty: everyone targeted.")
    targets: list[AreaRef]
    send_sms: bool
    withdrawn_at: datetime | None
    withdrawn_reason: str
    delivered_at: datetime | None
    audience_size: int = Field(description="Residents it was for when it went out.")
    attachments: list[AttachmentOut]
    poster_url: str = Field(description="An A4 PDF of the notice for the lobby board.")

    @staticmethod
    def resolve_tags(obj: Notice) -> list[str]:
        return obj.tags

    @staticmethod
    def resolve_targets(obj: Notice):
        return [t.area for t in obj.targets.all()]

    @staticmethod
    def resolve_attachments(obj: Notice):
        return list(obj.attachments.all())

    @staticmethod
    def resolve_poster_url(obj: Notice) -> str:
        from django.urls import reverse

        return reverse("notices:poster", args=[obj.pk])


class StaffNoticeOut(NoticeOut):
    read_count: int = Field(description="Residents who have read it or been told.")
    audience_size: int


class NoticeIn(Schema):
    category: NoticeCategory
    title: Text = Field(min_length=1, max_length=120)
    body: Text = Field(min_length=1, max_length=20000)
    targets: list[Text] = Field(
        min_length=1,
        max_length=500,
        description="Area codes: your own area, or its parts (building groups…).",
    )
    tags: list[Tag] = Field(default_factory=list, description="Only residents with any of these tags.")
    pinned: bool = False
    send_sms: bool = Field(False, description="Also send every resident it is for an SMS.")


class PublishIn(Schema):
    at: When | None = Field(None, description="Schedule for this time; empty: publish now.")


class WithdrawIn(Schema):
    reason: Text = Field(min_length=1, max_length=200)


class PinIn(Schema):
    pinned: bool


class GroupReceiptOut(Schema):
    group: AreaRef | None
    total: int
    read: int
    unread: int


class UnreadOut(Schema):
    id: int
    name: str
    address: str
    phone: str = Field(description="To call them (staff of the area see residents' phones).")

    @staticmethod
    def resolve_address(obj: Resident) -> str:
        return obj.household.address


class ToldIn(Schema):
    residents: list[Id] = Field(min_length=1, max_length=1000)


class CountOut(Schema):
    count: int


class PlanMonthOut(Schema):
    month: date
    published: dict[str, int]
    wanted: dict[str, int]


class CadenceIn(Schema):
    per_month: dict[NoticeCategory, Annotated[int, Field(ge=0, le=31)]] = Field(
        description="Notices a month per category; 0 drops it from the plan."
    )
