"""Wagtail admin views: the "Plugins" settings page (list, per-Site enable and configure).

Only people with ``plugins.change_pluginconfiguration`` (superusers, or a group given it) may see or
change anything here.
"""
from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from . import api, registry
from .models import PluginConfiguration

PERMISSION = "plugins.change_pluginconfiguration"


def _require_permission(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _health(spec) -> list[str]:
    if spec.health_check is None:
        return []
    try:
        return [str(problem) for problem in spec.health_check()]
    except Exception as exc:  # a health check must never break the admin page
        return [_("The health check itself failed: %(error)r") % {"error": exc}]


def index(request):
    _require_permission(request)
    sites = list(Site.objects.order_by("-is_default_site", "hostname", "port"))
    stored = {(row.site_id, row.plugin_id): row for row in PluginConfiguration.objects.all()}
    killed = registry.killed_plugins()
    rows = []
    for plugin_id, spec in registry.installed_plugins().items():
        rows.append({
            "spec": spec,
            "app": registry.app_of(plugin_id),
            "provides": spec.provides(),
            "health": _health(spec),
            "killed": plugin_id in killed,
            "sites": [{"site": site, "enabled": bool(stored.get((site.pk, plugin_id)) and
                                                     stored[(site.pk, plugin_id)].enabled)} for site in sites],
        })
    return TemplateResponse(request, "plugins/admin/index.html", {
        "rows": rows, "sites": sites, "problems": registry.load_problems(),
    })


class PluginConfigurationForm(forms.Form):
    enabled = forms.BooleanField(label=gettext_lazy("Enabled on this site"), required=False)
    config = forms.CharField(
        label=gettext_lazy("Configuration (JSON)"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        max_length=api.MAX_CONFIG_CHARS,
    )

    def __init__(self, *args, plugin_id: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.plugin_id = plugin_id

    def clean_config(self):
        text = self.cleaned_data["config"].strip() or "{}"
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc})
        problems = api.config_problems(self.plugin_id, value)
        if problems:
            raise forms.ValidationError(problems)
        return value


def edit(request, site_id: int, plugin_id: str):
    _require_permission(request)
    site = get_object_or_404(Site, pk=site_id)
    spec = registry.installed_plugins().get(plugin_id)
    if spec is None:
        raise Http404(_("No installed plugin has this id."))
    row = PluginConfiguration.objects.filter(site=site, plugin_id=plugin_id).first()
    if request.method == "POST":
        form = PluginConfigurationForm(request.POST, plugin_id=plugin_id)
        if form.is_valid():
            api.configure_plugin(site=site, plugin_id=plugin_id, enabled=form.cleaned_data["enabled"],
                                 config=form.cleaned_data["config"])
            messages.success(request, _("Saved the settings of “%(plugin)s” for %(site)s.") % {
                "plugin": spec.name, "site": site})
            return redirect("plugins_admin:index")
    else:
        form = PluginConfigurationForm(plugin_id=plugin_id, initial={
            "enabled": bool(row and row.enabled),
            "config": json.dumps(row.config if row else {}, ensure_ascii=False, indent=2),
        })
    return TemplateResponse(request, "plugins/admin/edit.html", {
        "form": form, "spec": spec, "site": site, "killed": plugin_id in registry.killed_plugins(),
        "defaults": json.dumps(spec.default_config, ensure_ascii=False, indent=2),
    })
