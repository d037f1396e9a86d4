app_name = "hardship"

urlpatterns: list = []
