from django.urls import path

from deliberation.views import residents, staff

app_name = "deliberation"

urlpatterns = [
    path("", residents.index, name="index"),
    path("propose/", residents.propose, name="propose"),
    path("outcomes/<str:code>/", residents.outcomes, name="outcomes"),
    path("<int:topic_id>/", residents.detail, name="detail"),
    path("<int:topic_id>/support/", residents.support, name="support"),
    path("<int:topic_id>/opinion/", residents.opinion, name="opinion"),
    path("<int:topic_id>/vote/", residents.vote, name="vote"),
    path("manage/", staff.manage, name="manage"),
    path("new/", staff.new, name="new"),
    path("<int:topic_id>/edit/", staff.edit, name="edit"),
    path("<int:topic_id>/phase/", staff.phase, name="phase"),
    path("<int:topic_id>/poll/", staff.poll, name="poll"),
    path("moderation/", staff.moderation, name="moderation"),
    path("opinions/<int:opinion_id>/hide/", staff.hide, name="hide"),
    path("opinions/<int:opinion_id>/release/", staff.release, name="release"),
    path("meetings/", staff.meeting_list, name="meetings"),
    path("meetings/new/", staff.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", staff.meeting, name="meeting"),
    path("meetings/<int:meeting_id>/edit/", staff.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/participants/", staff.participants, name="participants"),
    path("meetings/<int:meeting_id>/minutes/", staff.minutes, name="minutes"),
    path("meetings/<int:meeting_id>/decide/", staff.decide, name="decide"),
    path("decisions/", staff.decisions, name="decisions"),
    path("decisions/<int:decision_id>/track/", staff.track, name="track"),
]
