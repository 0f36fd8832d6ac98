"""API endpoints of a person's messages."""

from datetime import datetime

from ninja import Path, Router, Schema
from ninja.pagination import paginate

from common.api import ERRORS, MAX_ID, Pages
from notifications.models import Notification, NotificationKind
from notifications.services import mark_read, unread_count

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class UnreadCountOut(Schema):
    unread: int


@router.get("", response={200: list[NotificationOut], **ERRORS}, summary="My messages")
@paginate(Pages)
def list_notifications(request):
    return Notification.objects.filter(user=request.user)


@router.get("/unread", response={200: UnreadCountOut, **ERRORS}, summary="How many are unread")
def unread(request):
    return {"unread": unread_count(request.user)}


@router.post("/{notification_id}/read", response={200: UnreadCountOut, **ERRORS}, summary="Mark one as read")
def read_one(request, notification_id: int = Path(..., ge=1, le=MAX_ID)):
    mark_read(request.user, [notification_id])
    return {"unread": unread_count(request.user)}


@router.post("/read", response={200: UnreadCountOut, **ERRORS}, summary="Mark all as read")
def read_all(request):
    mark_read(request.user)
    return {"unread": unread_count(request.user)}
