"""The organisation's settings page (/organisation/): its ops lead (and a superuser) changes each
section on its own form, the boss reads the values, everyone else gets 404; the stores section
(the default language for new people) and the registry of sections other apps add to."""

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from stores.models import Organisation, OrgMembership
from stores.organisation import sections, services
from stores.organisation.sections import OrganisationSection, Shown
from tests.factories import OrganisationFactory, OrgMembershipFactory

PAGE = reverse("organisation_settings")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _save_url(organisation, code="language") -> str:
    return reverse("organisation_section_save", kwargs={"slug": organisation.slug, "code": code})


def _main(response) -> str:
    """The page's own content, without the header (its language switch is a form too)."""
    html = response.content.decode()
    return html[html.index("<main>") : html.index("</main>")]


def _language(organisation) -> str:
    return Organisation.objects.get(pk=organisation.pk).default_language


def test_the_lead_sees_every_section_with_its_form(personas):
    page = _client(personas.lead).get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Organisation settings" in html and "Acme" in html
    assert 'id="language"' in html
    assert f'action="{_save_url(personas.acme)}"' in html
    assert '<select name="default_language"' in html
    # The other apps' sections are on the page too, each posting to its own address.
    assert f'action="{_save_url(personas.acme, "weekly-email")}"' in html
    assert f'action="{_save_url(personas.acme, "financial-year")}"' in html


def test_the_lead_changes_the_default_language(personas):
    client = _client(personas.lead)
    assert _language(personas.acme) == "zh-hans"
    response = client.post(_save_url(personas.acme), {"default_language": "en"})
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation_settings_org", kwargs={"slug": "acme"}) + "#language"
    assert _language(personas.acme) == "en"
    assert _language(Organisation.objects.get(slug="other")) == "zh-hans", "only this organisation"
    assert "The default language is saved." in client.get(response["Location"]).content.decode()


def test_a_language_that_is_not_offered_is_refused(personas):
    response = _client(personas.lead).post(_save_url(personas.acme), {"default_language": "fr"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert _language(personas.acme) == "zh-hans"


def test_the_boss_reads_the_values_without_a_form(personas):
    personas.acme.default_language = "en"
    personas.acme.save()
    page = _client(personas.boss).get(PAGE)
    assert page.status_code == 200
    html = _main(page)
    assert "Default language for new people" in html and "English" in html
    assert "<form" not in html and "<select" not in html and "<input" not in html


def test_the_boss_cannot_save(personas):
    response = _client(personas.boss).post(_save_url(personas.acme), {"default_language": "en"})
    assert response.status_code == 404
    assert _language(personas.acme) == "zh-hans"


@pytest.mark.parametrize("name", ["operator", "designer", "nobody"])
def test_staff_and_people_without_an_organisation_role_get_404(personas, name):
    client = _client(personas.user(name))
    assert client.get(PAGE).status_code == 404
    assert client.get(reverse("organisation_settings_org", kwargs={"slug": "acme"})).status_code == 404
    assert client.post(_save_url(personas.acme), {"default_language": "en"}).status_code == 404
    assert _language(personas.acme) == "zh-hans"


def test_another_organisations_lead_gets_404(personas):
    client = _client(personas.stranger)
    assert client.get(reverse("organisation_settings_org", kwargs={"slug": "acme"})).status_code == 404
    assert client.post(_save_url(personas.acme), {"default_language": "en"}).status_code == 404
    assert _language(personas.acme) == "zh-hans"
    # Their own organisation is theirs to change.
    assert "Other Co" in client.get(PAGE).content.decode()


def test_the_superuser_changes_any_organisation(personas):
    client = _client(personas.superuser)
    other = Organisation.objects.get(slug="other")
    assert client.get(reverse("organisation_settings_org", kwargs={"slug": "other"})).status_code == 200
    assert client.post(_save_url(other), {"default_language": "en"}).status_code == 302
    assert _language(other) == "en"


def test_a_lead_of_several_organisations_picks_one_by_its_slug(personas):
    second = OrganisationFactory(name="Zeta", slug="zeta")
    OrgMembershipFactory(user=personas.lead, organisation=second, role="lead")
    client = _client(personas.lead)
    page = client.get(PAGE).content.decode()
    assert "Acme" in page, "the first by name by default"
    assert f'href="{reverse("organisation_settings_org", kwargs={"slug": "zeta"})}"' in page
    zeta = client.get(reverse("organisation_settings_org", kwargs={"slug": "zeta"})).content.decode()
    assert f'action="{_save_url(second)}"' in zeta
    assert client.post(_save_url(second), {"default_language": "en"}).status_code == 302
    assert (_language(second), _language(personas.acme)) == ("en", "zh-hans")


def test_a_boss_here_and_lead_there_edits_only_there(personas):
    OrgMembershipFactory(user=personas.boss, organisation=Organisation.objects.get(slug="other"), role="lead")
    client = _client(personas.boss)
    assert (
        "<select"
        not in client.get(reverse("organisation_settings_org", kwargs={"slug": "acme"})).content.decode()
    )
    assert (
        "<select"
        in client.get(reverse("organisation_settings_org", kwargs={"slug": "other"})).content.decode()
    )
    assert client.post(_save_url(personas.acme), {"default_language": "en"}).status_code == 404


def test_an_unknown_section_is_404_and_a_get_is_refused(personas):
    client = _client(personas.lead)
    assert client.post(_save_url(personas.acme, "nothing-here"), {}).status_code == 404
    assert client.get(_save_url(personas.acme)).status_code == 405


def test_the_page_needs_a_login(db):
    response = Client().get(PAGE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_service_checks_the_lead_at_the_moment_of_the_write(personas):
    with pytest.raises(PermissionDenied):
        services.organisation_update(organisation=personas.acme, default_language="en", user=personas.boss)
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            organisation=personas.acme, default_language="en", user=personas.stranger
        )
    personas.lead.is_active = False
    personas.lead.save()
    with pytest.raises(PermissionDenied):
        services.organisation_update(organisation=personas.acme, default_language="en", user=personas.lead)
    assert _language(personas.acme) == "zh-hans"


def test_a_lead_who_lost_the_role_since_the_page_was_shown_cannot_save(personas):
    client = _client(personas.lead)
    assert client.get(PAGE).status_code == 200
    OrgMembership.objects.filter(user=personas.lead).delete()
    assert client.post(_save_url(personas.acme), {"default_language": "en"}).status_code == 404
    assert _language(personas.acme) == "zh-hans"


class _NoteForm(forms.Form):
    note = forms.CharField(label="Note")


@pytest.fixture
def note_section():
    """A section of a test's own: the registry takes any app's section without stores knowing it."""
    saved = []

    def save(form, *, organisation, user):
        services.organisation_change_check(organisation=organisation, user=user)
        saved.append((organisation.slug, user.username, form.cleaned_data["note"]))

    sections.organisation_section_register(
        OrganisationSection(
            code="note",
            title="A note",
            order=1,
            form=lambda organisation, data=None: _NoteForm(data),
            save=save,
            shown=lambda organisation: [Shown("Note", "nothing yet")],
            saved="Note saved.",
        )
    )
    yield saved
    sections.organisation_section_unregister("note")


def test_a_registered_section_is_shown_first_by_its_order_and_saved_alone(personas, note_section):
    client = _client(personas.lead)
    html = client.get(PAGE).content.decode()
    assert html.index('id="note"') < html.index('id="language"')
    response = client.post(_save_url(personas.acme, "note"), {"note": "hello"})
    assert response.status_code == 302 and response["Location"].endswith("#note")
    assert note_section == [("acme", "lead", "hello")]
    assert _language(personas.acme) == "zh-hans"
    invalid = client.post(_save_url(personas.acme, "note"), {"note": ""})
    assert invalid.status_code == 400 and "This field is required." in invalid.content.decode()
    assert "nothing yet" in _client(personas.boss).get(PAGE).content.decode()


def test_a_section_code_must_fit_an_address():
    with pytest.raises(ValueError):
        sections.organisation_section_register(
            OrganisationSection("a/b", "x", 1, form=None, save=None, shown=lambda organisation: [])
        )
