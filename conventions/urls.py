from django.urls import path

from conventions.views import organising, taking_part

app_name = "conventions"

urlpatterns = [
    path("", taking_part.index, name="index"),
    path("<int:convention_id>/", taking_part.detail, name="detail"),
    path("<int:convention_id>/comment/", taking_part.comment, name="comment"),
    path("<int:convention_id>/sign/", taking_part.sign, name="sign"),
    path("signatures/<int:signature_id>/withdraw/", taking_part.withdraw, name="withdraw"),
    path("manage/", organising.manage, name="manage"),
    path("new/", organising.new, name="new"),
    path("<int:convention_id>/edit/", organising.edit, name="edit"),
    path("<int:convention_id>/action/", organising.action, name="action"),
    path("<int:convention_id>/comments/", organising.comments, name="comments"),
    path("<int:convention_id>/signatures/", organising.signatures, name="signatures"),
    path("<int:convention_id>/poster.pdf", organising.poster, name="poster"),
]
