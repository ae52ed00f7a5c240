from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [path("<int:lesson_id>/<str:activity_id>/sign-off/", views.sign_off, name="sign_off")]
