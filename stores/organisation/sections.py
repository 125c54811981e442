"""The sections of the organisation's settings page (/organisation/, docs/access.md#organisation-settings).

The page belongs to stores, where Organisation lives, but shows the settings of higher apps too
(reports: the weekly email; kpi: the financial year's first month). Each app registers its section
in its AppConfig.ready(); stores never imports them. A section is one form of its own: the page
shows every registered section, each posting to /organisation/<slug>/<code>/, which saves that
section alone through its `save` (which calls the app's service) and goes back to the page.

The ops lead of the organisation (and a superuser) gets the forms; the boss reads each section's
`shown` lines instead (no form); anyone else gets 404 (stores.organisation.views).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stores.models import Organisation


@dataclass(frozen=True)
class Shown:
    """One line of a section as a reader (the boss) sees it: a label and its value, as text."""

    label: Promise | str
    value: Promise | str


@dataclass(frozen=True)
class OrganisationSection:
    code: str  # in the section's address, /organisation/<slug>/<code>/: letters, digits, - and _
    title: Promise | str  # translatable (gettext_lazy)
    order: int  # smaller first
    # (organisation, data=None) -> the section's form, bound to `data` when given, else showing
    # the organisation's current values.
    form: Callable[..., forms.Form]
    # (form, *, organisation, user) -> None: saves a valid form through the app's service, which
    # checks again, at the moment of the write, that `user` may change the organisation.
    save: Callable[..., None]
    # organisation -> what a reader sees instead of the form.
    shown: Callable[[Organisation], Sequence[Shown]]
    description: Promise | str = ""  # a line under the title, for editors and readers alike
    saved: Promise | str = _("Saved.")  # the message after a save


_registry: dict[str, OrganisationSection] = {}


def organisation_section_register(section: OrganisationSection) -> None:
    """Add (or, with the same code, replace) a section. Called from an app's AppConfig.ready();
    registering twice is harmless."""
    if not section.code.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"{section.code!r}: a section's code is part of its address (letters, digits, - _)")
    _registry[section.code] = section


def organisation_section_unregister(code: str) -> None:
    """Remove a section (for tests); an unknown code is ignored."""
    _registry.pop(code, None)


def organisation_sections_all() -> list[OrganisationSection]:
    return sorted(_registry.values(), key=lambda section: (section.order, section.code))


def organisation_section_get(code: str) -> OrganisationSection | None:
    return _registry.get(code)
