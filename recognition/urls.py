"""Pages of recognition."""

app_name = "recognition"

urlpatterns: list = []
