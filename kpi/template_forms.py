"""The ops lead's form for a role's KPI template: one row per item (a formset), with its source,
direction, targets, band, weight, floor and cap. Floor and cap are typed as % (60, 120); the
service checks that the weights add up to 100 % (kpi.services.kpi_templates)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kpi.forms import PercentField
from kpi.models.scorecards import Direction
from kpi.scorecard_lines import source_label
from kpi.services.kpi_templates import ItemSpec, sources

HUNDRED = Decimal(100)
TARGET = {"max_digits": 18, "decimal_places": 4, "required": False}


class ItemForm(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=40)
    label = forms.CharField(label=_("label"), max_length=100)
    source = forms.ChoiceField(label=_("Source"), choices=())
    direction = forms.ChoiceField(label=_("direction"), choices=Direction.choices)
    week_target = forms.DecimalField(label=_("target for a week"), **TARGET)
    month_target = forms.DecimalField(label=_("target for a month"), **TARGET)
    band_low = forms.DecimalField(label=_("band from"), **TARGET)
    band_high = forms.DecimalField(label=_("band to"), **TARGET)
    weight = PercentField(label=_("weight (%)"))
    floor = PercentField(label=_("Floor (%)"))
    cap = PercentField(label=_("Cap (%)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(code, source_label(code)) for code in sources()]

    def spec(self) -> ItemSpec:
        data = self.cleaned_data
        return ItemSpec(
            code=data["code"],
            label=data["label"],
            source=data["source"],
            weight=data["weight"] or Decimal(0),
            direction=data["direction"],
            week_target=data["week_target"],
            month_target=data["month_target"],
            band_low=data["band_low"],
            band_high=data["band_high"],
            floor=None if data["floor"] is None else data["floor"] / HUNDRED,
            cap=Decimal("1.2") if data["cap"] is None else data["cap"] / HUNDRED,
        )


ItemFormSet = forms.formset_factory(ItemForm, extra=2, can_delete=True)


def initial_of(items) -> list[dict]:
    """A template's items (KpiItem rows, or the defaults' ItemSpecs) as the formset's initial rows."""
    return [
        {
            "code": item.code,
            "label": item.label,
            "source": item.source,
            "direction": item.direction,
            "week_target": item.week_target,
            "month_target": item.month_target,
            "band_low": item.band_low,
            "band_high": item.band_high,
            "weight": item.weight,
            "floor": None if item.floor is None else item.floor * HUNDRED,
            "cap": item.cap * HUNDRED,
        }
        for item in items
    ]


def specs_of(formset) -> list[ItemSpec]:
    """The rows kept (filled in, not deleted), in order."""
    return [
        form.spec()
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
