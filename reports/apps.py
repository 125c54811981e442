from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from reports import organisation_sections, sections, threshold_views
        from reports.receivers import rollups_on_metrics_change
        from stores.signals import daily_metrics_changed

        daily_metrics_changed.connect(rollups_on_metrics_change, dispatch_uid="reports.rollups")
        sections.sections_register()
        organisation_sections.section_register()
        threshold_views.store_settings_register()
