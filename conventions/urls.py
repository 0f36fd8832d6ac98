from django.urls import path

from conventions.views import residents, staff

app_name = "conventions"

urlpatterns = [
    path("", residents.index, name="index"),
    path("<int:convention_id>/", residents.detail, name="detail"),
    path("<int:convention_id>/comment/", residents.comment, name="comment"),
    path("<int:convention_id>/sign/", residents.sign, name="sign"),
    path("signatures/<int:signature_id>/withdraw/", residents.withdraw, name="withdraw"),
    path("manage/", staff.manage, name="manage"),
    path("new/", staff.new, name="new"),
    path("<int:convention_id>/edit/", staff.edit, name="edit"),
    path("<int:convention_id>/action/", staff.action, name="action"),
    path("<int:convention_id>/comments/", staff.comments, name="comments"),
    path("<int:convention_id>/signatures/", staff.signatures, name="signatures"),
    path("<int:convention_id>/poster.pdf", staff.poster, name="poster"),
]
