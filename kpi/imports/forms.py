from django import forms
from django.utils.translation import gettext_lazy as _

from kpi.imports import messages, services
from stores import periods


class MonthsImportForm(forms.Form):
    file = forms.FileField(label=_("Months of targets (.xlsx, laid out as the plan's 月 sheet)"))
    year = forms.IntegerField(
        label=_("Financial year"),
        required=False,
        min_value=periods.FIRST_DAY.year,
        help_text=_("Leave empty to take it from the months in the file."),
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and year > periods.last_supported_day().year:
            raise forms.ValidationError(
                _("Plans reach up to %(year)s.") % {"year": periods.last_supported_day().year}
            )
        return year

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > services.MAX_BYTES:
            raise forms.ValidationError(messages.too_large(upload.name, services.MAX_BYTES // (1024 * 1024)))
        return upload
