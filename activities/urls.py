from django.urls import path

from activities.views import organising, taking_part

app_name = "activities"

urlpatterns = [
    path("", taking_part.index, name="index"),
    path("pass/", taking_part.pass_card, name="pass"),
    path("<int:activity_id>/", taking_part.detail, name="detail"),
    path("<int:activity_id>/signup/", taking_part.signup, name="signup"),
    path("signups/<int:signup_id>/cancel/", taking_part.cancel, name="cancel"),
    path("signups/<int:signup_id>/rate/", taking_part.rate, name="rate"),
    path("manage/", organising.manage, name="manage"),
    path("new/", organising.new, name="new"),
    path("calendar/", organising.calendar, name="calendar"),
    path("figures/", organising.figures, name="figures"),
    path("check-in/<str:token>/", organising.scan, name="scan"),
    path("<int:activity_id>/edit/", organising.edit, name="edit"),
    path("<int:activity_id>/action/", organising.action, name="action"),
    path("<int:activity_id>/door/", organising.door, name="door"),
    path("<int:activity_id>/sign-in-sheet.pdf", organising.sheet, name="sheet"),
    path("<int:activity_id>/review/", organising.review, name="review"),
]
