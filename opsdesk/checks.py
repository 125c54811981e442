from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if settings.SECRET_KEY_IS_SET:
        return []
    return [Error(settings.MISSING_SECRET_KEY, id="opsdesk.E001")]
