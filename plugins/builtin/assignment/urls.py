from django.urls import path

from . import views

app_name = "assignment"
urlpatterns = [
    path("review/", views.review, name="review"),
    path("submission/<int:submission_id>/file/", views.download, name="download"),
    path("submission/<int:submission_id>/score/", views.score, name="score"),
    path("<int:lesson_id>/<str:activity_id>/submit/", views.submit, name="submit"),
]
