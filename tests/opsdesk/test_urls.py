"""Access is earned: every page of the project, reached anonymously, sends the visitor to log in."""

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

# The only pages a stranger may reach.
# The set-password link (docs/team.md) is the newcomer's way in, before they have a password.
PUBLIC = {"login", "admin:login", "healthz", "set_language", "password_set"}
SAMPLE_VALUES = ("store-a", "1", "default", "stores")


def _named_patterns(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _kwarg_names(pattern: URLPattern) -> list[str]:
    if isinstance(pattern.pattern, RoutePattern):
        return list(pattern.pattern.converters)
    if isinstance(pattern.pattern, RegexPattern):
        return list(pattern.pattern.regex.groupindex)
    return []


def _sample_url(name: str, pattern: URLPattern) -> str | None:
    kwarg_names = _kwarg_names(pattern)
    for value in SAMPLE_VALUES:
        try:
            return reverse(name, kwargs={kwarg: value for kwarg in kwarg_names})
        except NoReverseMatch:
            continue
    return None


ALL_PAGES = sorted(
    (name, url)
    for name, pattern in _named_patterns(get_resolver())
    if name not in PUBLIC and (url := _sample_url(name, pattern)) is not None
)


def test_the_walk_finds_the_project_pages():
    names = {name for name, _url in ALL_PAGES}
    assert {
        "home",
        "stores:list",
        "stores:detail",
        "tasks:checklist",
        "reports:weekly",
        "admin:index",
    } <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url"), ALL_PAGES, ids=[name for name, _url in ALL_PAGES])
def test_anonymous_visitor_is_sent_to_log_in(client, name, url):
    response = client.get(url)
    assert response.status_code == 302, f"{name} ({url}) answered {response.status_code}"
    assert response["Location"].split("?")[0] in {reverse("login"), reverse("admin:login")}


@pytest.mark.django_db
def test_public_pages_answer_without_login(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).json()["status"] == "ok"
