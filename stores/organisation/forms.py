"""The stores app's form of the organisation's settings page: the default language."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stores.models import Organisation


class DefaultLanguageForm(forms.Form):
    default_language = forms.ChoiceField(
        label=_("Default language for new people"),
        choices=settings.LANGUAGES,
        help_text=_("Each person can still switch at the top of every page."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        kwargs.setdefault("initial", {"default_language": organisation.default_language})
        super().__init__(*args, **kwargs)
