from dataclasses import dataclass

from django import forms
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _

from reports import selectors
from reports.models import WeeklyCommentary
from stores import periods
from stores.models import Organisation
from stores.periods import Period, PeriodKind


@dataclass(frozen=True)
class ReportChoice:
    organisation: Organisation
    period: Period
    store_slugs: tuple[str, ...]
    error: str = ""


def report_choice(params: QueryDict, *, user, kind: PeriodKind) -> ReportChoice:
    """Organisation, period and stores from a report's address, with defaults: the user's first
    organisation, the last complete period, every store the user sees."""
    organisations = selectors.organisations_for(user=user)
    if not organisations:
        raise Http404("No stores to report on.")
    wanted = params.get("org")
    organisation = next((org for org in organisations if org.slug == wanted), organisations[0])
    period, error = periods.last_complete_period(kind), ""
    if params.get("period"):
        try:
            asked = periods.period_parse(kind, params["period"])
        except periods.UnsupportedPeriod:
            error = _(
                "“%(text)s” is outside the days OpsDesk supports (%(first)s to %(last)s); "
                "showing the last complete %(kind)s."
            ) % {
                "text": params["period"],
                "first": periods.FIRST_DAY.isoformat(),
                "last": periods.last_supported_day().isoformat(),
                "kind": kind.label,
            }
        except ValueError:
            error = _("“%(text)s” is not a %(kind)s; showing the last complete one.") % {
                "text": params["period"],
                "kind": kind.label,
            }
        else:
            if asked.start <= periods.yesterday():
                period = asked
            else:
                error = _("That %(kind)s has not started yet; showing the last complete one.") % {
                    "kind": kind.label
                }
    return ReportChoice(organisation, period, tuple(params.getlist("store")), str(error))


class WeeklyCommentaryForm(forms.ModelForm):
    class Meta:
        model = WeeklyCommentary
        fields = ["wins", "problems", "next_week_plan"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
