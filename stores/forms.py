"""The daily entry form: one field per recorded metric, typed as a 生意参谋 cell would be."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stores import metrics, validation
from stores.imports import cells, messages
from stores.imports.parse import CELL_KIND
from stores.metrics import Kind

# How the entry page groups the fields, in the order an operator reads 生意参谋.
SECTIONS = (
    (_("Traffic"), ("uv", "pv")),
    (_("Sales"), ("gmv", "paid_buyers", "paid_orders", "paid_items", "new_buyers", "returning_buyers")),
    (_("After-sales"), ("refund_amount", "bad_reviews")),
    (_("Paid traffic"), ("ad_spend", "ad_gmv")),
    (_("Customer service"), ("cs_inquiries", "cs_inquiry_buyers")),
    (_("Shop scores (DSR)"), ("dsr_item", "dsr_service", "dsr_logistics")),
)


class MetricField(forms.CharField):
    """Accepts what people type: "1,234", "¥1,234.50", " 12 "; empty or "-" means not known."""

    def __init__(self, metric: metrics.Metric, **kwargs):
        self.metric = metric
        mode = "numeric" if metric.kind is Kind.COUNT else "decimal"
        super().__init__(
            label=metric.label, required=False, widget=forms.TextInput(attrs={"inputmode": mode}), **kwargs
        )

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return cells.PARSERS[CELL_KIND[self.metric.kind]](text)
        except cells.CellError as error:
            raise forms.ValidationError(messages.cell_problem(error.problem, text)) from error


class DailyEntryForm(forms.Form):
    """Every recorded metric of one store-day.

    Only the codes the browser actually sent are saved, so a field the form did not show is
    never wiped. Rules between metrics are checked against the day as it would be saved (stored
    values overlaid with the submitted ones); unusual values become `warnings`, which a second
    submission with `confirm_warnings` accepts.
    """

    confirm_warnings = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, store, date, stored_values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.store, self.date, self.stored_values = store, date, stored_values
        self.warnings: dict[str, str] = {}
        for metric in metrics.RECORDED:
            self.fields[metric.code] = MetricField(metric)

    def clean(self):
        cleaned_data = super().clean()
        problem = validation.date_error(self.date)
        if problem is not None:  # a day that has not happened takes no numbers at all
            raise forms.ValidationError(problem, code="date")
        if self.errors:  # a malformed value: the rules between metrics wait until it is fixed
            return cleaned_data
        day = {**self.stored_values, **self.submitted_values()}
        for code, message in validation.day_errors(day).items():
            self.add_error(code, message)
        if not self.errors:
            self.warnings = validation.day_warnings(day, store=self.store, date=self.date)
        return cleaned_data

    @property
    def ready_to_save(self) -> bool:
        """Valid, and any warning confirmed."""
        return self.is_valid() and (not self.warnings or self.cleaned_data["confirm_warnings"])

    @property
    def submitted_codes(self) -> list[str]:
        return [code for code in metrics.RECORDED_CODES if code in self.data]

    def submitted_values(self) -> dict:
        return {code: self.cleaned_data[code] for code in self.submitted_codes}

    def sections(self):
        """(title, bound fields) per section, for the template."""
        return [(title, [self[code] for code in codes]) for title, codes in SECTIONS]
