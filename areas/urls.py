from django.urls import path

from areas import views

app_name = "areas"
urlpatterns = [
    # Before "<code>/": "search" is not an area code.
    path("search/", views.search, name="search"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/new/", views.create_child, name="create_child"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/retire/", views.retire, name="retire"),
    path("<str:code>/restore/", views.restore, name="restore"),
]
