"""Settings for the test suite: production settings with a throwaway key and test-speed tweaks.

DATABASE_URL and REDIS_URL come from the environment as usual (SQLite and in-process jobs when unset).
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment-0123456789")

from opsdesk.settings import *  # noqa: E402,F403

SECURE_SSL_REDIRECT = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Serve static files from the app folders as in development; tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
# Live-server (browser) tests run a server thread; a kept-alive connection of its own would stop
# the test database from being dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
