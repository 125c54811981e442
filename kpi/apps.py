from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "kpi"
    verbose_name = _("KPIs")

    def ready(self) -> None:
        # kpi sits above reports and tasks: it adds its pacing alert, its report section, its
        # figures on the dashboard's cards, the reports' rows and the 目标对比 item to their registries.
        from kpi import figures, organisation_sections, receivers, sections, team_links
        from kpi.alerts import PACING_RULE
        from reports.alerts import rule_register
        from reports.signals import rollups_written

        rule_register(PACING_RULE)
        sections.sections_register()
        figures.figures_register()
        team_links.team_links_register()
        organisation_sections.section_register()
        rollups_written.connect(receivers.scores_after_rollups, dispatch_uid="kpi.scores_after_rollups")
