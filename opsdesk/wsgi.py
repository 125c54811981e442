import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
application = get_wsgi_application()
# A server without a key would fail on every login: refuse to start instead.
if not settings.SECRET_KEY_IS_SET:
    raise ImproperlyConfigured(settings.MISSING_SECRET_KEY)
