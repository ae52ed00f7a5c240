from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("verify/<str:number>/", views.verify, name="verify"),
    path("<str:number>/pdf/", views.download, name="download"),
    path("<str:number>/revoke/", views.revoke, name="revoke"),
]
