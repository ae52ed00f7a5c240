from django.urls import path

from . import views

app_name = "video"
urlpatterns = [path("<int:lesson_id>/<str:activity_id>/report/", views.report, name="report")]
