"""The plan pages' forms: a store's annual target, a period's override, a lock. They check what was
typed; whether the plan can take it is the services' call (kpi.services.plans)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
# What people type around a number: thousands separators, currency and percent signs, spaces.
NOISE = str.maketrans("", "", ",，¥￥% \u00a0")


class MoneyField(forms.DecimalField):
    """¥ to the cent, as people type it: 1,200,000 or ¥1200000.50."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(max_digits=16, decimal_places=2, min_value=0, **kwargs)

    def to_python(self, value):
        return super().to_python(value.translate(NOISE) if isinstance(value, str) else value)


class PercentField(forms.DecimalField):
    """A percentage of the target, 90 or 90 %; empty for none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(max_digits=6, decimal_places=2, min_value=0, required=False, **kwargs)

    def to_python(self, value):
        return super().to_python(value.translate(NOISE) if isinstance(value, str) else value)


class TargetForm(forms.Form):
    """A store's annual target for the year of the page, with 保底 and 冲刺 as % of it."""

    store = forms.ModelChoiceField(queryset=None, to_field_name="slug", label=_("Store"))
    annual = MoneyField(label=_("Annual target (¥)"))
    floor_percent = PercentField(
        label=_("Floor (保底) %"), help_text=_("Of the annual target, at most 100; empty for none.")
    )
    stretch_percent = PercentField(
        label=_("Stretch (冲刺) %"), help_text=_("Of the annual target, at least 100; empty for none.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the store already has a target for the year."),
    )

    def __init__(self, *args, stores, planned_store_ids=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores
        self.planned_store_ids = set(planned_store_ids)

    def clean(self):
        cleaned_data = super().clean()
        floor, stretch = cleaned_data.get("floor_percent"), cleaned_data.get("stretch_percent")
        if floor is not None and floor > HUNDRED:
            self.add_error("floor_percent", _("The floor (保底) cannot be above the target."))
        if stretch is not None and stretch < HUNDRED:
            self.add_error("stretch_percent", _("The stretch (冲刺) cannot be below the target."))
        store = cleaned_data.get("store")
        if store is not None and store.pk in self.planned_store_ids and not cleaned_data.get("reason"):
            self.add_error("reason", _("Say why: a change of the plan needs a reason."))
        return cleaned_data


class OverrideForm(forms.Form):
    """Set a month, week or day of a plan to an amount, from the version the user read."""

    label = forms.CharField(
        label=_("Period"),
        max_length=12,
        help_text=_("A month (2027-05), a week (2027-W19) or a day (2027-05-20)."),
    )
    amount = MoneyField(label=_("Target (¥)"))
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    lock = forms.BooleanField(label=_("Lock it: later changes do not move this period"), required=False)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def clean_label(self) -> str:
        return self.cleaned_data["label"].strip().upper()  # 2027-w19 is week 2027-W19


class LockForm(forms.Form):
    """Lock or unlock one period from the version the user read."""

    label = forms.CharField(max_length=12)
    version = forms.IntegerField(min_value=1)
