"""Sessions: in the database, read from Redis when there is one; a logout ends them everywhere."""

import datetime as dt
import os

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from opsdesk.sessions import SessionStore


def _session_of(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_past_its_expiry_date_is_over(personas, client_for):
    client = client_for(personas.lead)
    assert client.get(reverse("home")).status_code == 200
    expired = timezone.now() - dt.timedelta(seconds=1)
    Session.objects.filter(pk=_session_of(client).pk).update(expire_date=expired)
    cache.clear()  # with Redis, the cached copy too (Redis expires it at the same moment)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_without_redis_sessions_are_read_from_the_database(settings):
    if settings.REDIS_URL:
        pytest.skip("REDIS_URL is set")
    assert settings.SESSION_ENGINE == "opsdesk.sessions"


@pytest.mark.django_db
def test_the_database_session_reads_back_what_was_saved_until_it_expires():
    # opsdesk.sessions directly, as it runs without Redis (CI's runs have Redis).
    written = SessionStore()
    written["_auth_user_id"] = "7"
    written.save()
    assert SessionStore(session_key=written.session_key).load() == {"_auth_user_id": "7"}
    past = timezone.now() - dt.timedelta(seconds=1)
    Session.objects.filter(pk=written.session_key).update(expire_date=past)
    expired = SessionStore(session_key=written.session_key)
    assert expired.load() == {} and expired.session_key is None, "an expired key is not reused"
    assert SessionStore(session_key="no-such-session").load() == {}


@pytest.mark.redis
def test_with_redis_sessions_are_read_from_it_and_survive_its_flush(personas, client_for, settings):
    if not settings.REDIS_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run with REDIS_URL")
        pytest.skip("REDIS_URL is not set")
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    client = client_for(personas.lead)
    assert client.get(reverse("home")).status_code == 200
    cache.clear()
    assert client.get(reverse("home")).status_code == 200, "still logged in: the database has it"
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302
