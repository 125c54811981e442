"""My account: everyone changes their own name, email and password (Django's validators), and can
log out everywhere else; a changed password ends the other sessions too."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

PASSWORD = "an-old-Pass-1234"


@pytest.fixture
def operator(personas):
    personas.operator.set_password(PASSWORD)
    personas.operator.save()
    return personas.operator


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _logged_out(client) -> bool:
    response = client.get(reverse("account"))
    return response.status_code == 302 and reverse("login") in response["Location"]


def test_the_page_needs_a_login(db):
    assert _logged_out(Client())


def test_everyone_changes_their_own_name_and_email(operator):
    client = _logged_in(operator)
    response = client.post(
        reverse("account"),
        {"last_name": "张", "first_name": "伟", "email": "zw@example.com", "language": "en"},
    )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert (operator.last_name, operator.first_name, operator.email) == ("张", "伟", "zw@example.com")
    assert "Your details are saved." in client.get(reverse("account")).content.decode()


def test_a_password_is_changed_with_the_old_one_and_the_validators(operator):
    client, elsewhere = _logged_in(operator), _logged_in(operator)
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": "a-New-pass-9876", "new_password2": "a-New-pass-9876"},
    )
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    weak = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"}
    )
    assert "This password is too short" in weak.content.decode()
    done = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a-New-pass-9876", "new_password2": "a-New-pass-9876"},
    )
    assert done.status_code == 302
    operator.refresh_from_db()
    assert operator.check_password("a-New-pass-9876")
    assert not _logged_out(client), "this session stays"
    assert _logged_out(elsewhere), "the others end with the old password"


def test_logging_out_everywhere_else_keeps_this_session(operator, personas):
    here, phone, laptop = _logged_in(operator), _logged_in(operator), _logged_in(operator)
    someone_else = _logged_in(personas.designer)
    assert here.post(reverse("other_sessions_end")).status_code == 302
    assert not _logged_out(here)
    assert _logged_out(phone) and _logged_out(laptop)
    assert not _logged_out(someone_else)


def test_the_name_in_the_header_leads_to_the_account(operator):
    page = _logged_in(operator).get(reverse("home"), follow=True).content.decode()
    assert f'href="{reverse("account")}"' in page


def test_ones_language_follows_one_to_every_device(operator):
    """Chosen on the account page (or with the switch at the top), the language is the person's:
    the next login, on another device without the cookie, comes in it."""
    here = _logged_in(operator)
    here.post(reverse("account"), {"last_name": "", "first_name": "", "email": "", "language": "zh-hans"})
    assert operator.profile.language == "zh-hans"
    here.post(reverse("set_language"), {"language": "en", "next": reverse("account")})
    operator.profile.refresh_from_db()
    assert operator.profile.language == "en"
    other_device = Client()
    response = other_device.post(reverse("login"), {"username": operator.username, "password": PASSWORD})
    assert response.status_code == 302
    assert other_device.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "My account" in other_device.get(reverse("account")).content.decode()


def test_the_language_switch_still_works_before_login(db):
    response = Client().post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
