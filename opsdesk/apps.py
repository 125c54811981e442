from django.apps import AppConfig


class OpsdeskConfig(AppConfig):
    name = "opsdesk"
    verbose_name = "OpsDesk"

    def ready(self):
        from opsdesk import checks  # noqa: F401 (registers the checks)
