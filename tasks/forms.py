"""Forms of the tasks app: what a tick sends, the 日报, and the ops lead's template editing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stores.models import Organisation, StoreRole
from tasks.models import ChecklistTemplate, ChecklistTemplateItem

TICK_VALUES = {"1": True, "0": False}


def tick_changes(data) -> dict:
    """What a tick form asks to change: `done` (True, False or None: leave it), and only the note,
    number or link the user actually changed. Each field travels with the value the page showed
    (`note_was`…): an unchanged field is not written, so a stale page never overwrites what another
    tab saved meanwhile."""
    changes: dict = {"done": TICK_VALUES.get(data.get("done", ""))}
    for field in ("note", "number", "link"):
        if field in data and data[field] != data.get(f"{field}_was", ""):
            changes[field] = data[field]
    return changes


class DailyReportForm(forms.Form):
    done_today = forms.CharField(label=_("Done today"), widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    plan_tomorrow = forms.CharField(label=_("Plan for tomorrow"), widget=forms.Textarea(attrs={"rows": 3}))


class TemplateItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistTemplateItem
        fields = ["title", "guidance", "time_of_day", "due_time", "needs"]
        widgets = {
            "guidance": forms.Textarea(attrs={"rows": 2}),
            "due_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class TemplateSettingsForm(forms.ModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["also_on_rest_days", "active"]


class NewTemplateForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=StoreRole.choices)
    store = forms.ModelChoiceField(
        label=_("Store"), queryset=None, required=False, empty_label=_("All stores")
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = organisation.stores.filter(active=True).order_by("name")
