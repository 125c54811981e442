"""Chinese first; English one click away; the choice sticks."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_chinese_by_default_even_for_an_english_browser(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page


@pytest.mark.django_db
def test_switching_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page and "Log in to OpsDesk" in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("login")})
    assert "登录" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies["django_language"] = "xx"
    assert '<html lang="zh-hans">' in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_the_switch_names_each_language_in_its_own_words(client):
    assert ">English</button>" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert ">简体中文</button>" in client.get(reverse("login")).content.decode()
