"""The alert thresholds form of a store: per threshold, a choice of the default, an own value or off,
and the own value as a person types it (20 for 20 %, in the threshold's unit). Errors name the
threshold."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _

from reports import thresholds
from reports.thresholds import DEFAULT, OFF, OWN, ThresholdRow, ThresholdSetting

# Typed the way a phone or a spreadsheet gives it: full-width digits, a % or ¥ sign, thousands commas.
TYPED = str.maketrans("０１２３４５６７８９．－", "0123456789.-", " ,，%％¥￥")


class ThresholdValueField(forms.DecimalField):
    def to_python(self, value):
        if isinstance(value, str):
            value = value.translate(TYPED)
        if value in self.empty_values:
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def validate(self, value):
        forms.Field.validate(self, value)


@dataclass(frozen=True)
class FormRow:
    """One threshold on the page: what it is, its default, and its two fields."""

    row: ThresholdRow
    mode: forms.BoundField
    value: forms.BoundField

    @property
    def default_shown(self) -> str:
        return self.row.spec.shown(self.row.default)


def _mode_name(name: str) -> str:
    return f"{name}_mode"


class AlertThresholdsForm(forms.Form):
    def __init__(self, *args, rows: list[ThresholdRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            spec, field = row.spec, str(row.spec.label)
            self.fields[_mode_name(spec.name)] = forms.ChoiceField(
                label=_("For this store"),
                choices=[
                    (DEFAULT, _("Use the default")),
                    (OWN, _("Own value")),
                    (OFF, _("Off")),
                ],
                initial=row.setting.mode,
            )
            own = spec.typed(row.setting.value) if row.setting.mode == OWN else None
            self.fields[spec.name] = ThresholdValueField(
                label=_("Own value (%(unit)s)") % {"unit": spec.unit} if str(spec.unit) else _("Own value"),
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                initial=Decimal(thresholds.number_plain(own)) if own is not None else None,
                error_messages={"invalid": _("%(field)s: enter a number.") % {"field": field}},
            )

    def form_rows(self) -> list[FormRow]:
        return [FormRow(row, self[_mode_name(row.spec.name)], self[row.spec.name]) for row in self.rows]

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            spec, name = row.spec, row.spec.name
            mode = cleaned.get(_mode_name(name))
            if mode is None or name in self.errors:
                continue
            value = cleaned.get(name)
            if mode == OWN and value is None:
                self.add_error(
                    name,
                    _("%(field)s: enter a value, or choose “Use the default” or “Off”.")
                    % {"field": spec.label},
                )
            elif mode == OWN:
                refusal = spec.refusal(value)
                if refusal:
                    self.add_error(name, refusal)
            elif value is not None and name in self.changed_data:
                self.add_error(
                    name,
                    _("%(field)s: you typed a value; choose “Own value” to use it, or clear it.")
                    % {"field": spec.label},
                )
        return cleaned

    def settings(self) -> dict[str, ThresholdSetting]:
        """Each threshold's setting, values in stored units (20 % is 0.20)."""
        chosen = {}
        for row in self.rows:
            spec = row.spec
            mode = self.cleaned_data[_mode_name(spec.name)]
            value = spec.stored(self.cleaned_data[spec.name]) if mode == OWN else None
            chosen[spec.name] = ThresholdSetting(mode, value)
        return chosen
