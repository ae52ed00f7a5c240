"""Admin views: the dashboard, its exports, policy targets and the yearly quality-report export.

Every view starts from ``scope_for(request.user)``: no scope, no numbers (403).
"""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from lms.institutions.models import Cluster

from . import charts, exports, quality
from .queries import (
    DIMENSION_LABELS,
    LEARNER_TYPES,
    DashboardQuery,
    build_dashboard,
    content_holdings,
    institutions_in_scope,
)
from .scope import scope_for


def _forbidden_as_403(view):
    """Wagtail turns PermissionDenied into a redirect; officials should see why they were refused."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            return HttpResponseForbidden(str(refusal) or _("You may not see this report."))

    return wrapped


def _scope(request):
    scope = scope_for(request.user)
    if scope is None:
        raise PermissionDenied(_("Dashboards are for officials and institution administrators."))
    return scope


def _query(request):
    try:
        return DashboardQuery.from_params(request.GET)
    except ValidationError as error:
        messages = "; ".join(f"{field}: {' '.join(errs)}" for field, errs in error.message_dict.items())
        return HttpResponseBadRequest(_("The report request is not valid: %(errors)s") % {"errors": messages})


@_forbidden_as_403
def dashboard(request):
    scope = _scope(request)
    query = _query(request)
    if isinstance(query, HttpResponseBadRequest):
        return query
    board = build_dashboard(scope, query)
    series = [("enrolled", _("Enrolments")), ("completed", _("Completions")), ("certified", _("Certificates"))]
    if board.totals["active"] is not None:
        series.insert(1, ("active", _("Active learners")))
    context = {
        "page_title": _("Training dashboard"), "header_icon": "table", "board": board, "scope": scope,
        "trend_chart": charts.trend(board.trend, series, title=_("Over time")),
        "bars_chart": charts.bars([(str(r["label"]), r["enrolled"]) for r in board.rows],
                                  title=_("Enrolments by %(dimension)s") % {"dimension": board.dimension_label}),
        "funnel_chart": charts.funnel(board.funnel, title=_("From enrolment to credit")),
        "rows": [_row_with_links(board, row) for row in board.rows],
        "dimensions": list(DIMENSION_LABELS.items()), "periods": _periods(), "clusters": Cluster.choices,
        "learner_types": list(LEARNER_TYPES.items()), "params": query.as_params(),
        "export_params": query.as_params(),
    }
    return TemplateResponse(request, "reports/dashboard.html", context)


def _periods():
    return [("day", _("Day")), ("week", _("Week")), ("month", _("Month")), ("year", _("Year"))]


def _row_with_links(board, row):
    if board.drill_to and row["key"] not in ("", None):
        filter_name = {"city": "city", "cluster": "cluster", "institution": "institution",
                       "industry": "industry", "program": "program"}[board.query.group_by]
        row["drill"] = board.query.as_params(group_by=board.drill_to, **{filter_name: row["key"]})
    row["cells"] = [exports._cell(row.get(key)) for key, _label in board.columns]
    return row


@_forbidden_as_403
def export_view(request, table: str, fmt: str):
    if table not in ("breakdown", "trend") or fmt not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Exports are breakdown or trend, as csv or xlsx."))
    scope = _scope(request)
    query = _query(request)
    if isinstance(query, HttpResponseBadRequest):
        return query
    board = build_dashboard(scope, query)
    headers, body = (exports.breakdown_table if table == "breakdown" else exports.trend_table)(board)
    title = _("breakdown") if table == "breakdown" else _("trend")
    return exports.respond(headers, body, filename=f"{scope.label}-{title}-{query.start}-{query.end}", fmt=fmt)


@_forbidden_as_403
def targets(request):
    scope = _scope(request)
    context = {"page_title": _("Policy targets"), "header_icon": "crosshairs", "holdings": content_holdings(scope),
               "scope": scope, "can_edit": scope.kind == "province"}
    return TemplateResponse(request, "reports/targets.html", context)


@_forbidden_as_403
def quality_report_index(request):
    scope = _scope(request)
    context = {"page_title": _("Yearly quality report data"), "header_icon": "doc-full",
               "institutions": institutions_in_scope(scope), "years": range(date.today().year, 2019, -1)}
    return TemplateResponse(request, "reports/quality_index.html", context)


@_forbidden_as_403
def quality_report_view(request, institution_id: int, year: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("The quality report is exported as csv or xlsx."))
    scope = _scope(request)
    institution = get_object_or_404(institutions_in_scope(scope), pk=institution_id)
    if not 2000 <= year <= 2100:
        return HttpResponseBadRequest(_("The year must be between 2000 and 2100."))
    headers, body = quality.report_rows(institution, year)
    return exports.respond(headers, body, filename=f"{institution.name}-{year}-质量年报数据", fmt=fmt)
