"""Admin glue: credit officers edit the rules here; the feed's undelivered entries can be retried.

Rule forms run the model's ``clean()`` (``rules.validate_rule``), so an officer sees why a rule is
refused next to the field at fault. Access follows Django model permissions (give the "Credit
officers" group add/change/view on the rule models).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import feed
from .models import CertificateCreditRule, CourseCreditRule, ExemptionRule, MutualRecognitionRule

VALIDITY = ["valid_from", "valid_until"]


class CourseCreditRuleViewSet(ModelViewSet):
    name = "credits_course_rules"
    url_prefix = "credits/course-rules"
    model = CourseCreditRule
    icon = "list-ul"
    form_fields = ["institution", "course_code", "basis", "hours_per_credit", *VALIDITY]
    list_display = ["__str__", "hours_per_credit", "valid_from", "valid_until"]


class CertificateCreditRuleViewSet(ModelViewSet):
    name = "credits_certificate_rules"
    url_prefix = "credits/certificate-rules"
    model = CertificateCreditRule
    icon = "tag"
    form_fields = ["kind", "code", "skill_field", "level", "credits", *VALIDITY]
    list_display = ["__str__", "skill_field", "valid_from", "valid_until"]
    list_filter = ["kind", "level"]


class MutualRecognitionRuleViewSet(ModelViewSet):
    name = "credits_recognition_rules"
    url_prefix = "credits/recognition-rules"
    model = MutualRecognitionRule
    icon = "resubmit"
    form_fields = ["from_institution", "from_course_code", "to_institution", "to_course_code", "to_course_title",
                   "ratio", *VALIDITY]
    list_display = ["__str__", "ratio", "valid_from", "valid_until"]


class ExemptionRuleViewSet(ModelViewSet):
    name = "credits_exemption_rules"
    url_prefix = "credits/exemption-rules"
    model = ExemptionRule
    icon = "pick"
    form_fields = ["certificate_code", "level", "institution", "course_code", "course_title", "units", "credits",
                   *VALIDITY]
    list_display = ["__str__", "level", "credits", "valid_from", "valid_until"]


class CreditRulesGroup(ModelViewSetGroup):
    menu_label = _("Credit bank")
    menu_icon = "table"
    menu_order = 350
    items = (CourseCreditRuleViewSet, CertificateCreditRuleViewSet, MutualRecognitionRuleViewSet, ExemptionRuleViewSet)


@hooks.register("register_admin_viewset")
def register_rules():
    return CreditRulesGroup()


def _require_feed_permission(request):
    if not request.user.has_perm("credits.change_outboxdelivery"):
        raise PermissionDenied


def undelivered_view(request):
    _require_feed_permission(request)
    return render(request, "credits/admin/undelivered.html", {"deliveries": list(feed.undelivered()[:500])})


@require_POST
def retry_view(request, delivery_id: int):
    _require_feed_permission(request)
    delivery = feed.retry(delivery_id)
    if delivery is not None and delivery.status == delivery.Status.DELIVERED:
        messages.success(request, _("Delivered."))
    else:
        messages.error(request, _("Still not delivered: %(error)s") % {
            "error": delivery.last_error if delivery else _("another worker is sending it")})
    return redirect("credits_admin_undelivered")


@hooks.register("register_admin_urls")
def register_feed_urls():
    return [
        path("credits/undelivered/", undelivered_view, name="credits_admin_undelivered"),
        path("credits/undelivered/<int:delivery_id>/retry/", retry_view, name="credits_admin_retry"),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def undelivered_menu_item():
    return PermissionMenuItem(
        _("Undelivered credit entries"), reverse("credits_admin_undelivered"), icon_name="warning", order=360,
        permission="credits.change_outboxdelivery",
    )


@hooks.register("register_admin_menu_item")
def recognition_menu_item():
    return PermissionMenuItem(
        _("Recognition requests"), reverse("credits:officer_requests"), icon_name="tasks", order=361,
        permission="credits.decide_recognition",
    )
