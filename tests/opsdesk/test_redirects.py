"""Every view that follows a `next` from the request follows it only to a page of this site:
never to another site (an open redirect), and `javascript:` is no error either."""

import pytest
from django.urls import reverse

from reports.models import Alert
from stores import periods

PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory's
HOSTILE = [
    "https://evil.example/phish",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "https://testserver.evil.example/",
]
LOCAL = "/alerts/?status=open"


@pytest.fixture
def alert(personas):
    return Alert.objects.create(
        organisation=personas.acme, store=personas.store_a, rule="refund_rate_high", day=periods.yesterday()
    )


def _acknowledge(client, alert, next_url):
    return client.post(
        reverse("reports:alert_acknowledge", args=[alert.pk]), {"note": "在跟进", "next": next_url}
    )


@pytest.mark.parametrize("next_url", HOSTILE)
def test_acknowledging_an_alert_never_leaves_the_site(alert, personas, client_for, next_url):
    response = _acknowledge(client_for(personas.lead), alert, next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:alerts")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED  # the acknowledgement itself still counts


@pytest.mark.parametrize("next_url", [LOCAL, "/", f"http://testserver{LOCAL}"])
def test_acknowledging_an_alert_goes_back_to_the_page_it_came_from(alert, personas, client_for, next_url):
    response = _acknowledge(client_for(personas.lead), alert, next_url)
    assert response.status_code == 302
    assert response["Location"] == next_url


def test_acknowledging_without_next_goes_to_the_alerts(alert, personas, client_for):
    response = client_for(personas.lead).post(
        reverse("reports:alert_acknowledge", args=[alert.pk]), {"note": ""}
    )
    assert response["Location"] == reverse("reports:alerts")


def test_an_https_page_is_not_sent_back_to_plain_http(alert, personas, client_for):
    response = client_for(personas.lead).post(
        reverse("reports:alert_acknowledge", args=[alert.pk]),
        {"next": f"http://testserver{LOCAL}"},
        secure=True,
    )
    assert response["Location"] == reverse("reports:alerts")


# Django's own views that follow `next` check it the same way; these say so, so that a
# replacement of any of them cannot quietly drop the check.
@pytest.mark.parametrize("next_url", HOSTILE)
def test_logging_in_never_leaves_the_site(personas, client, next_url):
    response = client.post(reverse("login"), {"username": "lead", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logging_in_goes_on_to_the_page_asked_for(personas, client):
    response = client.post(reverse("login"), {"username": "lead", "password": PASSWORD, "next": LOCAL})
    assert response["Location"] == LOCAL


@pytest.mark.parametrize("next_url", HOSTILE)
def test_logging_out_never_leaves_the_site(personas, client_for, next_url):
    response = client_for(personas.lead).post(reverse("logout"), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


@pytest.mark.parametrize("next_url", HOSTILE)
def test_switching_language_never_leaves_the_site(db, client, next_url):
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_switching_language_goes_back_to_the_page(db, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": LOCAL})
    assert response["Location"] == LOCAL
