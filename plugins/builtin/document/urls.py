from django.urls import path

from . import views

app_name = "document"
urlpatterns = [
    path("<int:lesson_id>/<str:activity_id>/open/", views.open_document, name="open"),
    path("<int:lesson_id>/<str:activity_id>/read/", views.mark_read, name="read"),
]
