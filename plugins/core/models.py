"""PluginConfiguration: whether a plugin is on for one Wagtail Site, and its settings there.

Invariants: at most one row per (site, plugin id); ``config`` holds only keys of the plugin's
``default_config`` with values of the same JSON type (``api.configure_plugin`` is the write path and
checks it). A row for a plugin that is no longer installed is kept, so reinstalling restores its
settings, but it enables nothing.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class PluginConfiguration(models.Model):
    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("site"), on_delete=models.CASCADE, related_name="plugin_configurations"
    )
    plugin_id = models.CharField(_("plugin id"), max_length=64)
    enabled = models.BooleanField(_("enabled"), default=False)
    config = models.JSONField(_("configuration"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plugin configuration")
        verbose_name_plural = _("plugin configurations")
        constraints = [
            models.UniqueConstraint(fields=["site", "plugin_id"], name="plugins_one_configuration_per_site"),
        ]

    def __str__(self):
        return f"{self.plugin_id} @ {self.site_id}"
