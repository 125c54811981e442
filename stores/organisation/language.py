"""The stores app's section of the organisation's settings page (stores.organisation.sections):
the language people added from now on start in (Organisation.default_language)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stores.models import Organisation
from stores.organisation import services
from stores.organisation.forms import DefaultLanguageForm
from stores.organisation.sections import OrganisationSection, Shown, organisation_section_register

CODE = "language"


def language_form(organisation: Organisation, data=None) -> DefaultLanguageForm:
    return DefaultLanguageForm(data, organisation=organisation)


def language_save(form: DefaultLanguageForm, *, organisation: Organisation, user) -> None:
    services.organisation_update(
        organisation=organisation, default_language=form.cleaned_data["default_language"], user=user
    )


def language_shown(organisation: Organisation) -> list[Shown]:
    names = dict(settings.LANGUAGES)
    return [
        Shown(
            _("Default language for new people"),
            names.get(organisation.default_language, organisation.default_language),
        )
    ]


def section_register() -> None:
    organisation_section_register(
        OrganisationSection(
            code=CODE,
            title=_("Language"),
            order=10,
            form=language_form,
            save=language_save,
            shown=language_shown,
            description=_(
                "People added to the team from now on start in this language until they choose their own; "
                "nobody's own choice changes."
            ),
            saved=_("The default language is saved."),
        )
    )
