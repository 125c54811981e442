"""Store settings links: the settings pages of a store that other apps own, shown on its edit page.

A higher app (reports: the store's alert thresholds and daily ad-spend cap) registers a
SettingsLink in its AppConfig.ready(); stores never imports it. The edit page shows, in order, the
links whose `allowed(user, store)` lets the user in; the page behind a link applies the same rule,
so a link never leads to a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from stores.models import Store


@dataclass(frozen=True)
class SettingsLink:
    code: str
    title: Promise | str  # translatable (gettext_lazy)
    # Who may follow it for this store: a rule of stores.access (e.g. can_manage_stores).
    allowed: Callable[[object, Store], bool]
    url_name: str  # reversed with the store's slug (kwargs={"slug": …})
    description: Promise | str = ""
    order: int = 100


@dataclass(frozen=True)
class LinkShown:
    code: str
    title: str
    description: str
    url: str


_registry: dict[str, SettingsLink] = {}


def settings_link_register(link: SettingsLink) -> None:
    """Add (or, with the same code, replace) a link. Called from an app's AppConfig.ready();
    registering twice is harmless."""
    _registry[link.code] = link


def settings_link_unregister(code: str) -> None:
    """Remove a link (for tests); an unknown code is ignored."""
    _registry.pop(code, None)


def settings_links_all() -> list[SettingsLink]:
    return sorted(_registry.values(), key=lambda link: (link.order, link.code))


def settings_links_for(*, user, store: Store) -> list[LinkShown]:
    """The links of `store`'s edit page that `user` may follow, in order."""
    return [
        LinkShown(
            code=link.code,
            title=str(link.title),
            description=str(link.description),
            url=reverse(link.url_name, kwargs={"slug": store.slug}),
        )
        for link in settings_links_all()
        if link.allowed(user, store)
    ]
