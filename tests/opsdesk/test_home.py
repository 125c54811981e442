"""The home page sends each role where their day starts."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("persona", "destination"),
    [("boss", "reports:weekly"), ("operator", "tasks:checklist"), ("designer", "tasks:checklist")],
)
def test_home_redirects_by_role(personas, client_for, persona, destination):
    response = client_for(personas.user(persona)).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(destination)


@pytest.mark.parametrize("persona", ["lead", "superuser"])
def test_lead_home_is_the_dashboard(personas, client_for, persona):
    response = client_for(personas.user(persona)).get(reverse("home"))
    assert response.status_code == 200
    assert "dashboard/dashboard.html" in [template.name for template in response.templates]


def test_user_without_a_role_is_told_what_to_do(personas, client_for):
    response = client_for(personas.nobody).get(reverse("home"))
    assert response.status_code == 200
    assert "运营负责人" in response.content.decode()


def test_login_lands_on_home(personas, client):
    response = client.post(reverse("login"), {"username": "lead", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logout_is_a_post_and_ends_the_session(personas, client_for):
    client = client_for(personas.lead)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302
