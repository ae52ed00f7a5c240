from django.urls import path

from . import views

app_name = "quiz"
urlpatterns = [
    path("<int:lesson_id>/<str:activity_id>/start/", views.start, name="start"),
    path("attempt/<int:attempt_id>/", views.attempt, name="attempt"),
]
