from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("password/", views.change_password, name="change_password"),
    path("roles/", views.roles, name="roles"),
    path("role/", views.switch_role, name="switch_role"),
    path("people/", views.people, name="people"),
    path("people/<int:user_id>/reset-password/", views.reset_password, name="reset_password"),
    path("people/<int:user_id>/roles/", views.grant_role, name="grant_role"),
    path("people/<int:user_id>/unlock/", views.lift_lockout, name="lift_lockout"),
]
