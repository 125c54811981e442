"""Login throttling (django-axes): 5 failed logins lock the username and the address for 15 minutes,
on the site's login page and the admin's alike, with a page saying so in the user's language."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory's
LOGIN, ADMIN_LOGIN = "/login/", "/admin/login/"
OFFICE, HOME = "203.0.113.10", "198.51.100.20"


def _client(address: str = OFFICE, **headers) -> Client:
    return Client(REMOTE_ADDR=address, **headers)


def _log_in(client: Client, username: str, password: str, url: str = LOGIN):
    return client.post(url, {"username": username, "password": password, "next": "/"})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client: Client, username: str, times: int, url: str = LOGIN) -> None:
    for _ in range(times):
        _log_in(client, username, "wrong password", url)


def test_five_bad_passwords_then_the_right_one_is_refused(personas):
    client = _client()
    for attempt in range(4):
        response = _log_in(client, "lead", "wrong password")
        assert response.status_code == 200, attempt  # the form again, with its error
    fifth = _log_in(client, "lead", "wrong password")
    assert fifth.status_code == 429
    response = _log_in(client, "lead", PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)
    page = response.content.decode()
    assert "登录失败次数过多" in page and "15 分钟" in page
    assert "Content-Security-Policy" in response  # a page of ours like any other


def test_the_lockout_page_speaks_english_when_chosen(personas):
    client = _client()
    client.cookies["django_language"] = "en"
    _fail(client, "lead", 5)
    response = _log_in(client, "lead", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert "blocked for 15 minutes" in page


def test_the_username_is_locked_from_any_address(personas):
    _fail(_client(OFFICE), "lead", 5)
    elsewhere = _client(HOME)
    assert _log_in(elsewhere, "lead", PASSWORD).status_code == 429
    assert not _logged_in(elsewhere)


def test_another_account_from_the_same_address_is_locked(personas):
    # Five usernames tried once each from one address: that address is locked, whoever comes next.
    for username in ("lead", "boss", "operator", "admin", "root"):
        _fail(_client(OFFICE), username, 1)
    office = _client(OFFICE)
    assert _log_in(office, "designer", PASSWORD).status_code == 429
    assert not _logged_in(office)
    # The same person at another address logs in: only the address was locked.
    home = _client(HOME)
    assert _log_in(home, "designer", PASSWORD).status_code == 302
    assert _logged_in(home)


def test_the_address_is_the_one_the_proxy_saw(personas):
    """Behind the reverse proxy every request comes from its address (REMOTE_ADDR); the client's
    is the right-most X-Forwarded-For entry, the one the proxy wrote. What the client itself put
    in that header stands to its left and cannot move it to another address's count."""
    proxy = "127.0.0.1"
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"):
        client = _client(proxy, HTTP_X_FORWARDED_FOR=f"{forged}, {OFFICE}")
        _log_in(client, f"someone-{forged}", "wrong password")
    assert AccessAttempt.objects.filter(ip_address=OFFICE).count() == 5
    office = _client(proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {OFFICE}")
    assert _log_in(office, "designer", PASSWORD).status_code == 429
    # Another client behind the same proxy is not locked with them.
    home = _client(proxy, HTTP_X_FORWARDED_FOR=HOME)
    assert _log_in(home, "designer", PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(personas):
    client = _client()
    _fail(client, "root", 5, ADMIN_LOGIN)
    response = _log_in(client, "root", PASSWORD, ADMIN_LOGIN)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert not _logged_in(client)
    # One count for both doors: the same username is refused on the site's login page as well.
    assert _log_in(_client(HOME), "root", PASSWORD).status_code == 429


def test_failures_on_both_login_pages_add_up(personas):
    client = _client()
    _fail(client, "root", 3, LOGIN)
    _fail(client, "root", 2, ADMIN_LOGIN)
    assert _log_in(_client(HOME), "root", PASSWORD).status_code == 429


def test_four_failures_do_not_lock(personas):
    client = _client()
    _fail(client, "lead", 4)
    assert _log_in(client, "lead", PASSWORD).status_code == 302
    assert _logged_in(client)


@pytest.mark.parametrize(("minutes_ago", "locked"), [(14, True), (16, False)])
def test_the_lock_lifts_fifteen_minutes_after_the_last_failure(personas, minutes_ago, locked):
    client = _client()
    _fail(client, "lead", 5)
    # As if the failures had been that long ago.
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago))
    response = _log_in(client, "lead", PASSWORD)
    assert response.status_code == (429 if locked else 302)
    assert _logged_in(client) is not locked


def test_the_admin_shows_the_attempts(personas, client_for):
    _fail(_client(), "lead", 5)
    client = client_for(personas.superuser)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:axes_accessattempt_changelist") in index
    attempts = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200
    page = attempts.content.decode()
    assert "lead" in page and OFFICE in page
    assert client.get(reverse("admin:axes_accesslog_changelist")).status_code == 200
