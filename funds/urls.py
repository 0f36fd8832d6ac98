"""Pages of funds."""


app_name = "funds"

urlpatterns: list = []
