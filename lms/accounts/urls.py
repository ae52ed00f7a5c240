from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path("signup/", views.sign_up, name="sign_up"),
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:profile")),
        name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.edit_profile, name="profile_edit"),
    path("institution/learners/", views.learners, name="learners"),
    path("institution/learners/<int:user_id>/password/", views.reset_password, name="reset_password"),
    path("institution/learners/import/", views.import_learners, name="import_learners"),
    path("institution/learners/template.xlsx", views.learners_template, name="learners_template"),
]
