"""Admin UI glue only: the "Plugins" item in Wagtail's Settings menu and its URLs."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:site_id>/<str:plugin_id>/", views.edit, name="edit"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("plugins/", include((urlpatterns, "plugins_admin"), namespace="plugins_admin"))]


class PluginsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.PERMISSION)


@hooks.register("register_settings_menu_item")
def register_plugins_menu_item():
    return PluginsMenuItem(_("Plugins"), reverse("plugins_admin:index"), icon_name="cogs", order=900)
