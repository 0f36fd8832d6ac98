from django.urls import path

from notices.views import residents, staff

app_name = "notices"

urlpatterns = [
    path("", residents.feed, name="feed"),
    path("<int:notice_id>/", residents.detail, name="detail"),
    path("<int:notice_id>/files/<int:attachment_id>", residents.attachment, name="attachment"),
    path("<int:notice_id>/poster.pdf", residents.poster, name="poster"),
    path("manage/", staff.manage, name="manage"),
    path("new/", staff.new, name="new"),
    path("<int:notice_id>/edit/", staff.edit, name="edit"),
    path("<int:notice_id>/action/", staff.action, name="action"),
    path("<int:notice_id>/receipts/", staff.receipts, name="receipts"),
    path("<int:notice_id>/receipts/<str:code>/", staff.follow_up, name="follow_up"),
    path("plan/", staff.plan, name="plan"),
]
