"""The scorecard pages' input: which organisation, week or month, store, role and order a page or a
file asks for (?org=&kind=&period=&store=&role=&sort=), the month a close or reopen is about, and
the ops lead's sheet of manual items. They check what was typed; the writes are the services'."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _

from kpi.forms import PercentField
from kpi.scorecard_lines import ROLE_LABELS
from kpi.scorecard_selectors import KINDS, ManualEntryRow
from kpi.services.manual_scores import ManualEntry
from stores import periods
from stores.models import Organisation
from stores.periods import Period, PeriodKind

HUNDRED = Decimal(100)
MAX_PERCENT = Decimal("999.99")


@dataclass(frozen=True)
class ScoreChoice:
    organisation: Organisation
    kind: str
    period: Period
    store: str = ""
    role: str = ""
    sort: str = "person"
    error: str = ""

    @property
    def current(self) -> bool:
        return self.period == current_period(self.kind)

    @property
    def previous(self) -> Period:
        return periods.previous_period(self.period)

    @property
    def next(self) -> Period | None:
        """The period after, unless it has not started."""
        following = periods.next_period(self.period)
        return following if following.start <= periods.today() else None


def current_period(kind: str) -> Period:
    return periods.period_containing(PeriodKind(kind), periods.today())


def organisation_pick(organisations: list[Organisation], slug: str | None) -> Organisation:
    """The organisation asked for among those given (the first when none is asked); 404 otherwise."""
    if not organisations:
        raise Http404("No scores to show.")
    if not slug:
        return organisations[0]
    found = next((organisation for organisation in organisations if organisation.slug == slug), None)
    if found is None:
        raise Http404("No such organisation.")
    return found


def period_pick(kind: str, text: str | None) -> tuple[Period, str]:
    """The period asked for, or the current one with the reason it was not taken."""
    current = current_period(kind)
    if not text:
        return current, ""
    label = str(PeriodKind(kind).label)
    try:
        asked = periods.period_parse(PeriodKind(kind), text)
    except periods.UnsupportedPeriod:
        return current, str(
            _("“%(text)s” is outside the days OpsDesk supports; showing the current %(kind)s.")
            % {"text": text, "kind": label}
        )
    except ValueError:
        return current, str(
            _("“%(text)s” is not a %(kind)s; showing the current one.") % {"text": text, "kind": label}
        )
    if asked.start > periods.today():
        return current, str(
            _("That %(kind)s has not started yet; showing the current one.") % {"kind": label}
        )
    return asked, ""


def score_choice(params: QueryDict, *, organisations: list[Organisation]) -> ScoreChoice:
    """The organisation, kind and period (the current week by default), store, role and order."""
    organisation = organisation_pick(organisations, params.get("org"))
    kind = params.get("kind") if params.get("kind") in KINDS else "week"
    period, error = period_pick(kind, params.get("period"))
    role = params.get("role", "")
    sort = params.get("sort", "") or "person"
    return ScoreChoice(
        organisation=organisation,
        kind=kind,
        period=period,
        store=params.get("store", "")[:50],
        role=role if role in ROLE_LABELS else "",
        sort=sort[:40],
        error=error,
    )


class MonthForm(forms.Form):
    """The month a close is about (its label, 2026-11)."""

    org = forms.SlugField()
    period = forms.CharField(max_length=20)

    def clean_period(self) -> Period:
        try:
            return periods.period_parse(PeriodKind.MONTH, self.cleaned_data["period"])
        except ValueError as error:
            raise forms.ValidationError(_("Not a month.")) from error


class ReopenForm(MonthForm):
    """Reopening a closed month needs a reason, which is kept."""

    reason = forms.CharField(
        label=_("Why is the month reopened?"),
        max_length=500,
        error_messages={"required": _("Say why the month is reopened.")},
    )


def percent_text(fraction: Decimal | None) -> str:
    """A fraction as the percentage typed in the form: 0.9 → 90, 1.0525 → 105.25."""
    if fraction is None:
        return ""
    return format((Decimal(fraction) * HUNDRED).quantize(Decimal("0.01")).normalize(), "f")


class ManualScoresForm(forms.Form):
    """Each person's manual items of the period: attainment in % (empty for none) and a comment."""

    attainment_label = _("Attainment (%)")
    comment_label = _("Comment")

    def __init__(self, *args, rows: list[ManualEntryRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"attainment-{row.key}"] = PercentField(
                label=self.attainment_label,
                initial=percent_text(row.attainment),
                max_value=MAX_PERCENT,
            )
            self.fields[f"comment-{row.key}"] = forms.CharField(
                label=self.comment_label,
                required=False,
                max_length=1000,
                initial=row.comment,
                widget=forms.TextInput(attrs={"size": 40}),
            )

    def lines(self) -> list[tuple[ManualEntryRow, forms.BoundField, forms.BoundField]]:
        return [(row, self[f"attainment-{row.key}"], self[f"comment-{row.key}"]) for row in self.rows]

    def entries(self) -> list[ManualEntry]:
        """What was entered, as the service takes it (attainment as a fraction)."""
        entries = []
        for row in self.rows:
            percent = self.cleaned_data.get(f"attainment-{row.key}")
            entries.append(
                ManualEntry(
                    user_id=row.user.pk,
                    role=row.role,
                    item_code=row.code,
                    attainment=None if percent is None else percent / HUNDRED,
                    comment=self.cleaned_data.get(f"comment-{row.key}", ""),
                )
            )
        return entries
