from django.urls import path

from . import views

app_name = "enrollment"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("enrol/", views.enrol, name="enrol"),
    path("cohorts/", views.cohort, name="cohort"),
]
