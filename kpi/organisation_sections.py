"""kpi's section of the organisation's settings page (stores.organisation.sections): the month the
financial year starts in (PlanSettings.first_month), registered in KpiConfig.ready() and saved
through kpi.services.plan_settings."""

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kpi import selectors
from kpi.allocation import financial_year_days, financial_year_of
from kpi.services.plan_settings import plan_settings_update
from stores import periods
from stores.models import Organisation
from stores.organisation.sections import OrganisationSection, Shown, organisation_section_register

CODE = "financial-year"


def financial_year_shown(first_month: int) -> str:
    """This financial year by its days, e.g. "FY2026: 2026-04-01 – 2027-03-31"."""
    year = financial_year_of(periods.today(), first_month=first_month)
    days = financial_year_days(year=year, first_month=first_month)
    name = str(year) if first_month == 1 else f"FY{year}"
    return f"{name}: {days[0].isoformat()} – {days[-1].isoformat()}"


class FinancialYearForm(forms.Form):
    first_month = forms.TypedChoiceField(
        label=gettext_lazy("The financial year starts in"),
        choices=list(MONTHS.items()),
        coerce=int,
    )

    def __init__(self, data=None, *, organisation: Organisation):
        first_month = selectors.first_month_get(organisation_id=organisation.pk)
        super().__init__(data, initial={"first_month": first_month})
        self.fields["first_month"].help_text = " ".join(
            (
                _("Now %(year)s.") % {"year": financial_year_shown(first_month)},
                _(
                    "Plans already made keep the months they were made with. From now on, new annual "
                    "targets, the targets page's current year, the months import and the quarter and "
                    "year pacing count from this month."
                ),
                _(
                    "A store's new plan may not share days with a plan it already has, so a change can "
                    "leave some months between two plans without a target."
                ),
            )
        )


def financial_year_form(organisation: Organisation, data=None) -> FinancialYearForm:
    return FinancialYearForm(data, organisation=organisation)


def financial_year_save(form: FinancialYearForm, *, organisation: Organisation, user) -> None:
    plan_settings_update(organisation=organisation, first_month=form.cleaned_data["first_month"], user=user)


def financial_year_section_shown(organisation: Organisation) -> list[Shown]:
    first_month = selectors.first_month_get(organisation_id=organisation.pk)
    return [
        Shown(_("The financial year starts in"), str(MONTHS[first_month])),
        Shown(_("This financial year"), financial_year_shown(first_month)),
    ]


def section_register() -> None:
    organisation_section_register(
        OrganisationSection(
            code=CODE,
            title=gettext_lazy("Financial year"),
            order=30,
            form=financial_year_form,
            save=financial_year_save,
            shown=financial_year_section_shown,
            description=gettext_lazy(
                "The year the stores' annual sales targets and their pacing are set for."
            ),
            saved=gettext_lazy("The financial year's first month is saved."),
        )
    )
