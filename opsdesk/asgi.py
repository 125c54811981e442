import os

from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
application = get_asgi_application()
if not settings.SECRET_KEY_IS_SET:
    raise ImproperlyConfigured(settings.MISSING_SECRET_KEY)
