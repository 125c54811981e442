"""Housekeeping jobs of the project itself; each app's jobs live in its own jobs.py."""

from django.contrib.sessions.models import Session
from django.utils import timezone


def expired_sessions_delete() -> int:
    """Drop expired login sessions (what `manage.py clearsessions` does for the db backend)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
