from django.urls import path

from .rest_api.views import search_json
from .views import search_page

app_name = "search"

urlpatterns = [
    path("search/", search_page, name="page"),
    path("api/v1/search/", search_json, name="api"),
]
