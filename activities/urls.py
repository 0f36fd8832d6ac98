from django.urls import path

from activities.views import residents, staff

app_name = "activities"

urlpatterns = [
    path("", residents.index, name="index"),
    path("pass/", residents.pass_card, name="pass"),
    path("<int:activity_id>/", residents.detail, name="detail"),
    path("<int:activity_id>/signup/", residents.signup, name="signup"),
    path("signups/<int:signup_id>/cancel/", residents.cancel, name="cancel"),
    path("signups/<int:signup_id>/rate/", residents.rate, name="rate"),
    path("manage/", staff.manage, name="manage"),
    path("new/", staff.new, name="new"),
    path("calendar/", staff.calendar, name="calendar"),
    path("figures/", staff.figures, name="figures"),
    path("check-in/<str:token>/", staff.scan, name="scan"),
    path("<int:activity_id>/edit/", staff.edit, name="edit"),
    path("<int:activity_id>/action/", staff.action, name="action"),
    path("<int:activity_id>/door/", staff.door, name="door"),
    path("<int:activity_id>/sign-in-sheet.pdf", staff.sheet, name="sheet"),
    path("<int:activity_id>/review/", staff.review, name="review"),
]
