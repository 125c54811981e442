"""The organisation's settings page (/organisation/): each registered section (stores.organisation.
sections) with its own form for the ops lead, or its values for the boss; each form saves its
section alone at /organisation/<slug>/<code>/."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stores import access
from stores.models import Organisation
from stores.organisation.sections import (
    OrganisationSection,
    Shown,
    organisation_section_get,
    organisation_sections_all,
)


@dataclass(frozen=True)
class SectionOnPage:
    section: OrganisationSection
    form: forms.Form | None  # for those who may change the organisation
    shown: list[Shown]  # for those who read it only


def settings_page(request, slug: str | None = None):
    """The bosses and ops leads of the organisation (and superusers) see it; others get 404."""
    organisation = access.organisation_overseen_or_404(request.user, slug)
    return _page(request, organisation)


@require_POST
def section_save(request, slug: str, code: str):
    """Save one section of the organisation's settings: its ops lead's (or a superuser's) only;
    anyone else gets 404, the boss included (who reads the page)."""
    organisation = access.organisation_led_or_404(request.user, slug)
    section = organisation_section_get(code)
    if section is None:
        raise Http404("No such section.")
    form = section.form(organisation, request.POST)
    if form.is_valid():
        try:
            section.save(form, organisation=organisation, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, section.saved)
            return redirect(f"{_page_url(organisation)}#{section.code}")
    return _page(request, organisation, failed=(section.code, form), status=400)


def _page_url(organisation: Organisation) -> str:
    return reverse("organisation_settings_org", kwargs={"slug": organisation.slug})


def _page(request, organisation: Organisation, *, failed=None, status: int = 200):
    editable = access.is_lead_of(request.user, organisation.pk)
    sections = []
    for section in organisation_sections_all():
        if not editable:
            sections.append(SectionOnPage(section, None, list(section.shown(organisation))))
        elif failed and failed[0] == section.code:
            sections.append(SectionOnPage(section, failed[1], []))
        else:
            sections.append(SectionOnPage(section, section.form(organisation), []))
    return render(
        request,
        "organisation/settings.html",
        {
            "organisation": organisation,
            "organisations": access.organisations_overseen_by(request.user).order_by("name"),
            "sections": sections,
            "editable": editable,
        },
        status=status,
    )
