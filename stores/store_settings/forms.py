"""The store form of the add and edit pages: name, slug, platform, shop type, category; on the add
page, the organisation when the user may add to more than one."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stores.models import Organisation, Store
from stores.store_settings import services

DETAILS = ["name", "slug", "platform", "shop_type", "category"]


class StoreForm(forms.ModelForm):
    class Meta:
        model = Store
        fields = DETAILS

    def __init__(self, *args, organisations: QuerySet[Organisation] | None = None, **kwargs):
        """`organisations`: on the add page, those the user may add a store to; a choice is
        offered only when there are several."""
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations) if organisations is not None else []
        if len(self.organisations) > 1:
            self.fields = {
                "organisation": forms.ModelChoiceField(
                    queryset=organisations.order_by("name"), label=_("Organisation")
                ),
                **self.fields,
            }

    def validate_unique(self) -> None:
        """The slug's uniqueness is checked in clean_slug, with a message that says what to do."""

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        refusal = services.slug_refusal(slug, store=self.instance if self.instance.pk else None)
        if refusal:
            raise forms.ValidationError(refusal, code="slug")
        return slug

    def organisation(self) -> Organisation:
        """The organisation of a new store: the one chosen, or the only one offered."""
        return self.cleaned_data.get("organisation") or self.organisations[0]

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in DETAILS}
