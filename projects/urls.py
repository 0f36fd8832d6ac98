"""Pages of projects."""

app_name = "projects"

urlpatterns: list = []
