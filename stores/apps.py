from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    name = "stores"
    verbose_name = _("Stores")

    def ready(self) -> None:
        from stores import sections
        from stores.organisation import language

        sections.sections_register()
        language.section_register()
