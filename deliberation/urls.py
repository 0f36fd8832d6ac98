from django.urls import path

from deliberation.views import running, taking_part

app_name = "deliberation"

urlpatterns = [
    path("", taking_part.index, name="index"),
    path("propose/", taking_part.propose, name="propose"),
    path("outcomes/<str:code>/", taking_part.outcomes, name="outcomes"),
    path("<int:topic_id>/", taking_part.detail, name="detail"),
    path("<int:topic_id>/support/", taking_part.support, name="support"),
    path("<int:topic_id>/opinion/", taking_part.opinion, name="opinion"),
    path("<int:topic_id>/vote/", taking_part.vote, name="vote"),
    path("manage/", running.manage, name="manage"),
    path("new/", running.new, name="new"),
    path("<int:topic_id>/edit/", running.edit, name="edit"),
    path("<int:topic_id>/phase/", running.phase, name="phase"),
    path("<int:topic_id>/poll/", running.poll, name="poll"),
    path("moderation/", running.moderation, name="moderation"),
    path("opinions/<int:opinion_id>/hide/", running.hide, name="hide"),
    path("opinions/<int:opinion_id>/release/", running.release, name="release"),
    path("meetings/", running.meeting_list, name="meetings"),
    path("meetings/new/", running.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", running.meeting, name="meeting"),
    path("meetings/<int:meeting_id>/edit/", running.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/participants/", running.participants, name="participants"),
    path("meetings/<int:meeting_id>/minutes/", running.minutes, name="minutes"),
    path("meetings/<int:meeting_id>/decide/", running.decide, name="decide"),
    path("decisions/", running.decisions, name="decisions"),
    path("decisions/<int:decision_id>/track/", running.track, name="track"),
]
