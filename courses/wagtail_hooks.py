"""Admin UI glue only: the taxonomy snippets and the course revision report.

Who may do what is not decided here: snippets use Django model permissions (only superusers and the
provincial staff group hold them, see ``courses.authoring``) and the report uses page permissions.
"""
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import page_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.institutions.api import Institution, Region

from .models import Industry, SkillCertificate, Specialty, TrainingProgram
from .reports import AUTHORING_ACTIONS, RevisionReportView


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["name", "code", "level", "parent", "cluster"]
    list_filter = ["level", "cluster"]
    search_fields = ["name", "code"]
    ordering = ["code"]
    list_per_page = 50

    def get_queryset(self, request):
        return Region.objects.select_related("parent")


class InstitutionViewSet(SnippetViewSet):
    model = Institution
    icon = "group"
    list_display = ["name", "short_name", "code", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name", "code"]
    ordering = ["code"]
    list_per_page = 50

    def get_queryset(self, request):
        return Institution.objects.select_related("region")


class IndustryViewSet(SnippetViewSet):
    model = Industry
    icon = "tag"
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


class TrainingProgramViewSet(SnippetViewSet):
    model = TrainingProgram
    icon = "list-ul"
    list_display = ["name", "code"]
    search_fields = ["name", "code", "description"]


class SkillCertificateViewSet(SnippetViewSet):
    model = SkillCertificate
    icon = "clipboard-list"
    list_display = ["field_name", "level", "code", "issuer"]
    list_filter = ["level"]
    search_fields = ["field_name", "code", "issuer"]


class SpecialtyViewSet(SnippetViewSet):
    model = Specialty
    icon = "doc-full"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomy")
    menu_icon = "folder-open-inverse"
    menu_name = "taxonomy"
    menu_order = 250
    items = (
        RegionViewSet, InstitutionViewSet, IndustryViewSet, TrainingProgramViewSet,
        SkillCertificateViewSet, SpecialtyViewSet,
    )


register_snippet(TaxonomyViewSetGroup)


@hooks.register("register_admin_urls")
def register_revision_report_urls():
    return [
        path("courses/revision-report/", RevisionReportView.as_view(), name="courses_revision_report"),
        path(
            "courses/revision-report/results/", RevisionReportView.as_view(results_only=True),
            name="courses_revision_report_results",
        ),
    ]


class RevisionReportMenuItem(MenuItem):
    def is_shown(self, request):
        return page_permission_policy.user_has_any_permission(request.user, AUTHORING_ACTIONS)


@hooks.register("register_reports_menu_item")
def register_revision_report_menu_item():
    return RevisionReportMenuItem(
        _("Course revisions due"), reverse("courses_revision_report"),
        name="course-revisions", icon_name="date", order=750,
    )
