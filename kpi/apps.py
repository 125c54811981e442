from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "kpi"
    verbose_name = _("KPIs")

    def ready(self) -> None:
        # kpi sits above reports: it adds its pacing alert and page sections to their registries.
        from kpi import sections
        from kpi.alerts import PACING_RULE
        from reports.alerts import rule_register

        rule_register(PACING_RULE)
        sections.sections_register()
