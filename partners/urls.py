from django.urls import path

from partners.views import mine, staff

app_name = "partners"

urlpatterns = [
    path("", staff.index, name="index"),
    path("new/", staff.new, name="new"),
    path("figures/", staff.figures, name="figures"),
    path("figures.csv", staff.figures_csv, name="figures_csv"),
    path("figures.xlsx", staff.figures_xlsx, name="figures_xlsx"),
    path("mine/", mine.mine, name="mine"),
    path("mine/<int:unit_id>/", mine.mine_unit, name="mine_unit"),
    path("<int:unit_id>/", staff.unit, name="unit"),
    path("<int:unit_id>/edit/", staff.edit, name="edit"),
]
