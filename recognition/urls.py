"""Pages of recognition."""

from django.urls import path

from recognition.views import awards, centres, public, residents, talent

app_name = "recognition"

urlpatterns = [
    path("centres/", centres.centre_list, name="centres"),
    path("centres/new/", centres.centre_new, name="centre_new"),
    path("centres/<int:centre_id>/", centres.centre, name="centre"),
    path("centres/<int:centre_id>/rate/", centres.rating_start, name="rating_start"),
    path("sheets/", centres.sheet_list, name="sheets"),
    path("sheets/new/", centres.sheet_new, name="sheet_new"),
    path("sheets/<int:rating_sheet_id>/", centres.sheet, name="sheet"),
    path("ratings/<int:centre_rating_id>/", centres.rating, name="rating"),
    path("ratings/<int:centre_rating_id>/score/", centres.rating_score, name="rating_score"),
    path("ratings/<int:centre_rating_id>/submit/", centres.rating_submit, name="rating_submit"),
    path("ratings/<int:centre_rating_id>/reopen/", centres.rating_reopen, name="rating_reopen"),
    path("ratings/<int:centre_rating_id>/finalise/", centres.rating_finalise, name="rating_finalise"),
    path("evidence/<int:evidence_id>/", centres.evidence, name="evidence"),
    path("figures/", centres.figures, name="figures"),
    path("talent/", talent.talent_list, name="talent"),
    path("talent/new/", talent.talent_new, name="talent_new"),
    path("talent/<int:talent_id>/confirm/", talent.talent_confirm, name="talent_confirm"),
    path("talent/<int:talent_id>/withdraw/", talent.talent_withdraw, name="talent_withdraw"),
    path("awards/", awards.award_list, name="awards"),
    path("awards/new/", awards.award_new, name="award_new"),
    path("awards/<int:award_id>/", awards.award, name="award"),
    path("awards/<int:award_id>/nominate/", awards.award_nominate, name="award_nominate"),
    path("awards/<int:award_id>/vote/", awards.award_open_vote, name="award_open_vote"),
    path("awards/<int:award_id>/decide/", awards.award_decide, name="award_decide"),
    path("mine/talent/", residents.offer, name="offer"),
    path("mine/awards/", residents.my_awards, name="my_awards"),
    path("mine/awards/<int:award_id>/nominate/", residents.nominate, name="nominate"),
    path("public/<str:code>/centres/", public.public_centres, name="public_centres"),
    path("public/<str:code>/talent/", public.public_talent, name="public_talent"),
    path("public/awards/<int:award_id>/", public.winners, name="winners"),
]
