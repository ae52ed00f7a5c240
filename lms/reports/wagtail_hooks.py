"""Admin glue: the Reports menu (dashboard, targets, quality-report data) and target editing."""
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import views
from .models import PolicyTarget
from .scope import scope_for


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("reports/dashboard/", views.dashboard, name="reports_dashboard"),
        path("reports/dashboard/<str:table>.<str:fmt>", views.export_view, name="reports_export"),
        path("reports/targets/", views.targets, name="reports_targets"),
        path("reports/quality/", views.quality_report_index, name="reports_quality_index"),
        path("reports/quality/<int:institution_id>/<int:year>.<str:fmt>", views.quality_report_view,
             name="reports_quality"),
    ]


class ScopedMenuItem(MenuItem):
    def is_shown(self, request):
        return scope_for(request.user) is not None


@hooks.register("register_admin_menu_item")
def dashboard_menu_item():
    return ScopedMenuItem(_("Dashboard"), reverse("reports_dashboard"), icon_name="table", order=150)


@hooks.register("register_reports_menu_item")
def targets_menu_item():
    return ScopedMenuItem(_("Policy targets"), reverse("reports_targets"), icon_name="crosshairs", order=700)


@hooks.register("register_reports_menu_item")
def quality_menu_item():
    return ScopedMenuItem(_("Quality report data"), reverse("reports_quality_index"), icon_name="doc-full",
                          order=710)


class PolicyTargetViewSet(SnippetViewSet):
    model = PolicyTarget
    icon = "crosshairs"
    menu_label = _("Policy targets")
    add_to_admin_menu = False
    list_display = ["label", "cluster", "target", "content_kind", "deadline_year"]
    list_filter = ["cluster", "content_kind"]


register_snippet(PolicyTargetViewSet)
