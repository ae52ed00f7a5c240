"""Template tags for the public pages: site navigation, activity blocks, the enrol button.

The public HTML must work without JavaScript and whatever parts of the platform are installed: the enrol
button appears only when ``lms.enrollment`` provides its template, and an activity block whose plugin is
not installed renders a notice instead of failing the page.
"""
from __future__ import annotations

import json
import logging
import mimetypes
import urllib.parse

from django import template
from django.apps import apps
from django.conf import settings
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from plugins.core import registry

register = template.Library()
logger = logging.getLogger(__name__)

ENROL_BUTTON_TEMPLATE = "enrollment/enrol_button.html"


def activity_iri(*parts: str) -> str:
    """The platform's activity IRI (contract: ``lms.xapi.api.activity_iri``), built here if the LRS is absent."""
    if apps.is_installed("lms.xapi"):
        from lms.xapi.api import activity_iri as lrs_activity_iri

        return lrs_activity_iri(*parts)
    return settings.XAPI_ACTIVITY_IRI_BASE + "/".join(urllib.parse.quote(p, safe="") for p in parts)


@register.simple_tag(takes_context=True)
def catalogue_page(context):
    """The current site's live catalogue page (for the header links); one query per request."""
    from wagtail.models import Site

    from courses.models import CatalogueIndexPage

    request = context.get("request")
    if request is not None and hasattr(request, "_skills_gansu_catalogue"):
        return request._skills_gansu_catalogue
    pages = CatalogueIndexPage.objects.live().public().order_by("path")
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        pages = pages.descendant_of(site.root_page)
    found = pages.first()
    if request is not None:
        request._skills_gansu_catalogue = found
    return found


def _first_url(*names: str) -> str:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


@register.simple_tag
def site_urls() -> dict:
    """Header addresses that other apps provide: log in/out (the accounts app's own when installed,
    otherwise Wagtail's) and search (absent when the search app is not wired up)."""
    return {
        "login": _first_url("accounts:login", "login", "wagtailadmin_login") or settings.LOGIN_URL,
        "logout": _first_url("accounts:logout", "logout", "wagtailadmin_logout"),
        "search": _first_url("search:page"),
    }


@register.simple_tag(takes_context=True)
def enrol_button(context, kind: str, code: str):
    """Include ``enrollment/enrol_button.html`` with ``offering_iri`` when the enrolment app provides it."""
    try:
        button = get_template(ENROL_BUTTON_TEMPLATE)
    except template.TemplateDoesNotExist:
        return ""
    values = context.flatten()
    values["offering_iri"] = activity_iri(kind, code)
    return button.render(values, context.get("request"))


@register.simple_tag(takes_context=True)
def render_activity(context, value):
    """Render a lesson's activity block through its plugin, or say plainly that it is not available."""
    request = context.get("request")
    # Only the plugins enabled on this request's Site count: one query per page, however many blocks.
    types = registry.activity_types(request=request) if request is not None else registry.activity_types()
    activity_type = types.get(value.get("activity_type"))
    if activity_type is None:
        return format_html(
            '<div class="notice notice-unavailable" role="note"><strong>{}</strong> {}</div>',
            value.get("title") or _("Activity"),
            _("This activity is not available on this site at the moment. Please check back later or ask "
              "your teacher."),
        )
    try:
        config = json.loads(value.get("config") or "{}")
    except json.JSONDecodeError:
        config = {}
    page = context.get("page")
    course = context.get("course")
    activity_id = value.get("activity_id") or ""
    iri = ""
    if page is not None and course is not None and getattr(course, "code", ""):
        iri = activity_iri("course", course.code, "lesson", str(page.pk), activity_id)
    activity_context = {
        "request": request,
        "page": page,
        "course": course,
        "title": value.get("title"),
        "activity_id": activity_id,
        "activity_iri": iri,
    }
    try:
        html = activity_type().render(config=config, context=activity_context)
    except Exception:
        # A broken plugin must not take the whole lesson down with it.
        logger.exception("Activity type %r failed to render on page %s", value.get("activity_type"),
                         getattr(page, "pk", None))
        return format_html(
            '<div class="notice notice-unavailable" role="note"><strong>{}</strong> {}</div>',
            value.get("title") or _("Activity"),
            _("This activity could not be displayed. Please try again later."),
        )
    # Plugins return HTML they have escaped themselves (ActivityType.render's contract).
    return mark_safe(html)


@register.filter
def page_kind(page) -> str:
    """The verbose name of a page's type ("course", "unit", "resource") for listings of mixed pages."""
    model = page.specific_class if hasattr(page, "specific_class") else type(page)
    return str(model._meta.verbose_name) if model is not None else ""


@register.simple_tag(takes_context=True)
def query_without(context, name: str) -> str:
    """The current query string minus one filter (and the page number, which no longer applies)."""
    params = context["request"].GET.copy()
    for key in (name, "page"):
        params.pop(key, None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def media_type(document) -> str:
    """A file's MIME type for ``<source type>``: the one stored at upload, else guessed from its name."""
    if not document:
        return ""
    stored = getattr(document, "content_type", "") or ""
    if stored and stored != "application/octet-stream":
        return stored
    return mimetypes.guess_type(getattr(document, "filename", "") or "")[0] or ""
