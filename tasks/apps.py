from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Checklists")

    def ready(self) -> None:
        from stores.models import Organisation
        from tasks import sections, team_columns
        from tasks.receivers import default_templates_for_new_organisation

        post_save.connect(
            default_templates_for_new_organisation,
            sender=Organisation,
            dispatch_uid="tasks.default_templates",
        )
        sections.sections_register()
        team_columns.team_columns_register()
