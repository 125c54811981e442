"""The team page's forms: a person's details, and their roles as a grid of stores × roles."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stores.models import Organisation, OrgRole, StoreRole
from stores.team.selectors import RoleSet

User = get_user_model()


class PersonForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("What they log in with: letters, digits and @ . + - _ only."),
    )
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"), required=False, help_text=_("With an address, the set-password link goes there.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username


class PersonDetailsForm(PersonForm):
    """The same details for someone already in: the username stays (it names them in every record)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["username"]


class RolesForm(forms.Form):
    """One checkbox per organisation role and per store × store role."""

    def __init__(self, *args, organisation: Organisation, initial_roles: RoleSet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stores = list(organisation.stores.filter(active=True).order_by("name"))
        held = initial_roles or RoleSet()
        # A role in an archived store is kept as it is: it cannot be ticked here, nor lost.
        active_ids = {store.pk for store in self.stores}
        self.kept = frozenset(
            (store_id, role) for store_id, role in held.store_roles if store_id not in active_ids
        )
        for role, label in OrgRole.choices:
            self.fields[f"org-{role}"] = forms.BooleanField(
                label=label, required=False, initial=role in held.organisation_roles
            )
        for store in self.stores:
            for role, label in StoreRole.choices:
                self.fields[f"store-{store.pk}-{role}"] = forms.BooleanField(
                    label=label, required=False, initial=(store.pk, role) in held.store_roles
                )

    def organisation_fields(self) -> list:
        return [self[f"org-{role}"] for role in OrgRole.values]

    def store_rows(self) -> list[tuple]:
        """(store, its checkboxes in StoreRole order), for the grid."""
        return [
            (store, [self[f"store-{store.pk}-{role}"] for role in StoreRole.values]) for store in self.stores
        ]

    @staticmethod
    def store_role_labels() -> list[str]:
        return [label for _role, label in StoreRole.choices]

    def role_set(self) -> RoleSet:
        data = self.cleaned_data
        return RoleSet(
            organisation_roles=frozenset(role for role in OrgRole.values if data.get(f"org-{role}")),
            store_roles=frozenset(
                (store.pk, role)
                for store in self.stores
                for role in StoreRole.values
                if data.get(f"store-{store.pk}-{role}")
            )
            | self.kept,
        )


class TeamFilterForm(forms.Form):
    store = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Store"), empty_label=_("All stores")
    )
    role = forms.ChoiceField(required=False, label=_("Role"))

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = organisation.stores.order_by("name")
        self.fields["role"].choices = [("", _("All roles")), *OrgRole.choices, *StoreRole.choices]
