"""Personas for access tests (after healthchecks' owner / member / stranger idea).

One organisation "acme" with stores A and B; the boss and the ops lead of acme; one staff
member per store role holding that role in store A only; a lead of another organisation
("stranger") with store C; a user with no role; a superuser.
"""

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass

import django_rq
import pytest
import redis
from django.conf import settings
from django.test import override_settings

from stores.models import Organisation, Store, StoreRole
from tests.factories import (
    OrganisationFactory,
    OrgMembershipFactory,
    StoreAssignmentFactory,
    StoreFactory,
    UserFactory,
)


@dataclass
class Personas:
    acme: Organisation
    store_a: Store
    store_b: Store
    store_c: Store
    boss: object
    lead: object
    operator: object
    promotion: object
    designer: object
    customer_service: object
    content: object
    stranger: object
    nobody: object
    superuser: object

    def user(self, name: str):
        return getattr(self, name)


@pytest.fixture
def personas(db) -> Personas:
    acme = OrganisationFactory(name="Acme", slug="acme")
    other = OrganisationFactory(name="Other Co", slug="other")
    store_a = StoreFactory(organisation=acme, name="A店", slug="store-a")
    store_b = StoreFactory(organisation=acme, name="B店", slug="store-b")
    store_c = StoreFactory(organisation=other, name="C店", slug="store-c")
    staff = {}
    for role in StoreRole.values:
        staff[role] = StoreAssignmentFactory(user=UserFactory(username=role), store=store_a, role=role).user
    return Personas(
        acme=acme,
        store_a=store_a,
        store_b=store_b,
        store_c=store_c,
        boss=OrgMembershipFactory(user=UserFactory(username="boss"), organisation=acme, role="boss").user,
        lead=OrgMembershipFactory(user=UserFactory(username="lead"), organisation=acme, role="lead").user,
        stranger=OrgMembershipFactory(
            user=UserFactory(username="stranger"), organisation=other, role="lead"
        ).user,
        nobody=UserFactory(username="nobody"),
        superuser=UserFactory(username="root", is_superuser=True, is_staff=True),
        **staff,
    )


@pytest.fixture
def english(client_for):
    """`english(user)`: the test client, logged in as that user, reading the pages in English."""

    def login(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client, logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def redis_queue():
    """The real RQ queue "default" on the Redis of REDIS_URL, empty, with jobs going to it
    (and "nightly" emptied too).

    Without REDIS_URL the test is skipped, except in CI, where it fails.
    """
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run with REDIS_URL")
        pytest.skip("REDIS_URL is not set")
    redis.Redis.from_url(url).ping()
    with override_settings(REDIS_URL=url):
        queues = [django_rq.get_queue(name) for name in ("default", "nightly")]
        for queue in queues:
            queue.empty()
        yield queues[0]
        for queue in queues:
            queue.empty()


class OwnRedis:
    """A Redis server of the test's own on a free port, to stop and start at will (never the
    shared one of REDIS_URL)."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis(monkeypatch):
    """The app's queues and cache on a Redis of this test's own (OwnRedis), started."""
    if shutil.which("redis-server") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs redis-server installed")
        pytest.skip("redis-server is not installed")
    from django_rq import settings as rq_settings

    from opsdesk.settings import _redis_url_with_timeouts

    server = OwnRedis()
    server.start()
    url = _redis_url_with_timeouts(server.url)
    for name in rq_settings.QUEUES:
        monkeypatch.setitem(rq_settings.QUEUES[name], "URL", url)
    cache = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True},
    }
    try:
        with override_settings(REDIS_URL=server.url, CACHES={"default": cache}):
            yield server
    finally:
        server.stop()


@pytest.fixture
def jobs_in_process(settings):
    """Jobs run in this process when their transaction commits, as in the demo (no Redis)."""
    settings.REDIS_URL = ""
