"""Computing and keeping KPI scores (docs/kpis.md#scores), closing and reopening a month.

`scores_compute` scores everyone of an organisation for one ISO week or month and saves the result:
run as often as wanted, it gives the same rows (one per person, role and period). A score keeps the
definition it was first computed with, so a changed template applies from the next period. A closed
month's scores do not move: what the numbers give after closing is kept beside them (`latest_*`).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi.models import KpiItem, KpiPersonValue, KpiScore, MonthClose
from kpi.models.scorecards import Direction
from kpi.scorecard_inputs import Holder, Inputs, fraction, holders_get, inputs_get
from kpi.scoring import attainment, capped, decimal_or_none, scorecard
from kpi.services.kpi_templates import CHECKLIST_COMPLETION, DAILY_REPORT_RATE, MANUAL, TARGET_ATTAINMENT
from stores import access, metrics, periods
from stores.models import Organisation
from stores.periods import Period, PeriodKind

KINDS = {"week": PeriodKind.WEEK, "month": PeriodKind.MONTH}
FRACTION_PLACES = Decimal("0.0001")


class ScoresRefused(ValueError):
    """A close or reopen that cannot be done; the message says why."""


# Definitions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Definitions:
    """The organisation's templates and the persons' own values, read once (two queries)."""

    by_role: dict[str, list[KpiItem]]
    own: dict[tuple[int, int], KpiPersonValue]  # (item pk, user pk) → the person's values

    def of(self, *, user_id: int, role: str, kind: str) -> list[dict]:
        """A person's items in a role as they would be scored now: the role's template with the
        person's own values in place (marked "personal")."""
        rows = []
        for item in self.by_role.get(role, []):
            value = self.own.get((item.pk, user_id))
            target = item.week_target if kind == "week" else item.month_target
            if value is not None:
                own_target = value.week_target if kind == "week" else value.month_target
                target = own_target if own_target is not None else target
            weight = value.weight if value is not None and value.weight is not None else item.weight
            rows.append(
                {
                    "code": item.code,
                    "label": item.label,
                    "source": item.source,
                    "direction": item.direction,
                    "target": _text(target),
                    "band_low": _text(item.band_low),
                    "band_high": _text(item.band_high),
                    "weight": _text(weight),
                    "floor": _text(item.floor),
                    "cap": _text(item.cap),
                    "personal": value is not None,
                }
            )
        return rows


def definitions_get(*, organisation: Organisation) -> Definitions:
    items = list(KpiItem.objects.filter(template__organisation=organisation).select_related("template"))
    own = {(value.item_id, value.user_id): value for value in KpiPersonValue.objects.filter(item__in=items)}
    by_role: dict[str, list[KpiItem]] = {}
    for item in items:
        by_role.setdefault(item.template.role, []).append(item)
    return Definitions(by_role, own)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# Scoring one person -----------------------------------------------------------------------------


def _actual_and_target(item: dict, holder: Holder, inputs: Inputs, values: dict) -> tuple:
    """The item's actual and target (money and counts as Decimals, ratios as fractions), and what the
    page says of them (kpi.scorecard_lines words it, in the reader's language)."""
    source, target = item["source"], decimal_or_none(item["target"])
    if source == TARGET_ATTAINMENT:
        found = inputs.pacing_of(holder)
        if found is None:
            return None, None, {"no_plan": True}
        # Against the plan so far: a week in progress is measured against its days to date.
        return found.actual, found.planned_to_date, {}
    if source == CHECKLIST_COMPLETION:
        done, given = inputs.checklist.get((holder.user_id, holder.role), (0, 0))
        return fraction(done, given), target, {}
    if source == DAILY_REPORT_RATE:
        submitted, expected = inputs.reports.get(holder.user_id, (0, 0))
        return fraction(submitted, expected), target, {}
    if source == MANUAL:
        return None, None, {}
    value = values.get(source)
    if target is not None and _summed(source) and inputs.days_elapsed < inputs.period.days:
        # A period in progress is compared like for like: a sum so far against the target's share
        # of the days so far (docs/kpis.md#scores), not against the whole period's.
        target = target * inputs.days_elapsed / inputs.period.days
        return (
            (None if value is None else Decimal(value)),
            target,
            {"so_far": [inputs.days_elapsed, inputs.period.days]},
        )
    return (None if value is None else Decimal(value)), target, {}


def _summed(source: str) -> bool:
    """A recorded count or amount: summed over the days (a ratio or a score is not)."""
    metric = metrics.BY_CODE.get(source)
    return source in metrics.RECORDED_CODES and metric.kind in (metrics.Kind.COUNT, metrics.Kind.MONEY)


def score_rows(
    *, definition: list[dict], holder: Holder, inputs: Inputs
) -> tuple[list[dict], Decimal | None]:
    """The scorecard of one person in one role: each item's row, and the total."""
    values = inputs.values_of(holder)
    rows = []
    for item in definition:
        actual, target, said = _actual_and_target(item, holder, inputs, values)
        note = ""
        if item["source"] == MANUAL:
            manual = inputs.manual.get((holder.user_id, holder.role, item["code"]))
            reached = None if manual is None else manual.attainment
            note = "" if manual is None else manual.comment
        else:
            reached = attainment(
                actual=actual,
                target=target,
                direction=item["direction"] if item["source"] != TARGET_ATTAINMENT else Direction.HIGHER,
                band_low=decimal_or_none(item["band_low"]),
                band_high=decimal_or_none(item["band_high"]),
            )
        cap = decimal_or_none(item["cap"])
        scored = capped(
            reached, floor=decimal_or_none(item["floor"]), cap=cap if cap is not None else Decimal("1.2")
        )
        rows.append(
            {
                "code": item["code"],
                "label": item["label"],
                "source": item["source"],
                "direction": item["direction"],
                "actual": _places(actual),
                "target": _places(target),
                "attainment": _places(reached),
                "capped": _places(scored),
                "weight": item["weight"],
                "personal": item.get("personal", False),
                "note": note,
                **said,
            }
        )
    points, total = scorecard([(Decimal(row["weight"]), decimal_or_none(row["capped"])) for row in rows])
    for row, item_points in zip(rows, points, strict=True):
        row["effective_weight"] = _places(item_points.effective_weight)
        row["points"] = _text(item_points.points)
    return rows, total


def _places(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(FRACTION_PLACES))


# Scoring everyone -------------------------------------------------------------------------------


def scores_compute(
    *, organisation: Organisation, kind: str, period: Period, today: dt.date | None = None
) -> int:
    """Score everyone of the organisation for `period` (an ISO week or a month) and save it; returns
    the number of scores. The same input gives the same rows, however often it runs."""
    today = today or periods.today()
    as_of = today - dt.timedelta(days=1)
    holders = holders_get(organisation=organisation)
    inputs = inputs_get(organisation=organisation, holders=holders, period=period, as_of=as_of)
    definitions = definitions_get(organisation=organisation)
    existing = {
        (score.user_id, score.role): score
        for score in KpiScore.objects.filter(organisation=organisation, kind=kind, period_start=period.start)
    }
    closed = (
        kind == "month"
        and MonthClose.objects.filter(
            organisation=organisation, month_start=period.start, closed=True
        ).exists()
    )
    now, new, changed, unchanged = timezone.now(), [], [], 0
    for holder in holders:
        score = existing.get((holder.user_id, holder.role))
        definition = (
            score.definition
            if score is not None
            else definitions.of(user_id=holder.user_id, role=holder.role, kind=kind)
        )
        if not definition:
            continue
        rows, total = score_rows(definition=definition, holder=holder, inputs=inputs)
        stores = [store.slug for store in holder.stores]
        provisional = as_of < period.end
        if score is None:
            new.append(
                KpiScore(
                    organisation=organisation,
                    user_id=holder.user_id,
                    role=holder.role,
                    kind=kind,
                    period_start=period.start,
                    period_end=period.end,
                    stores=stores,
                    definition=definition,
                    items=rows,
                    total=total,
                    provisional=provisional,
                    closed=closed,
                    computed_at=now,
                )
            )
            continue
        before = (
            score.items,
            score.total,
            score.stores,
            score.provisional,
            score.latest_items,
            score.latest_total,
        )
        if score.closed:
            moved = (rows, total) != (score.items, score.total)
            score.latest_items, score.latest_total = (rows, total) if moved else (None, None)
        else:
            score.items, score.total, score.stores, score.provisional = rows, total, stores, provisional
        after = (
            score.items,
            score.total,
            score.stores,
            score.provisional,
            score.latest_items,
            score.latest_total,
        )
        if after != before:  # a score nothing moved is not written again
            score.computed_at = now
            changed.append(score)
        unchanged += after == before
    with transaction.atomic():
        KpiScore.objects.bulk_create(new, batch_size=1000)
        KpiScore.objects.bulk_update(
            changed,
            ["items", "total", "stores", "provisional", "latest_items", "latest_total", "computed_at"],
            batch_size=1000,
        )
    return len(new) + len(changed) + unchanged


def period_of(kind: str, day: dt.date) -> Period:
    return periods.period_containing(KINDS[kind], day)


# Closing a month --------------------------------------------------------------------------------


def _check_may_close(user, organisation: Organisation) -> None:
    """Closing and reopening are the ops lead's (or a superuser's); the job closes with no user."""
    if user is not None and not access.is_lead_of(user, organisation.pk):
        raise PermissionDenied(_("Only the operations lead may close or reopen a month."))


def month_close(
    *, organisation: Organisation, month: Period, user=None, today: dt.date | None = None
) -> None:
    """Freeze the month's scores (after scoring it a last time)."""
    _check_may_close(user, organisation)
    today = today or periods.today()
    if month.end >= today:
        raise ScoresRefused(_("%(month)s is not over yet.") % {"month": month.label})
    scores_compute(organisation=organisation, kind="month", period=month, today=today)
    with transaction.atomic():
        close, _created = MonthClose.objects.select_for_update().get_or_create(
            organisation=organisation, month_start=month.start, defaults={"closed": False}
        )
        if close.closed:
            raise ScoresRefused(_("%(month)s is already closed.") % {"month": month.label})
        close.closed = True
        close.events = [*close.events, _event("close", user, "")]
        close.save()
        KpiScore.objects.filter(organisation=organisation, kind="month", period_start=month.start).update(
            closed=True, provisional=False, latest_items=None, latest_total=None
        )


def month_reopen(*, organisation: Organisation, month: Period, reason: str, user=None) -> None:
    """Open a closed month again (with a reason, kept): its scores take what the numbers give now."""
    _check_may_close(user, organisation)
    if not reason.strip():
        raise ScoresRefused(_("Say why the month is reopened."))
    with transaction.atomic():
        close = (
            MonthClose.objects.select_for_update()
            .filter(organisation=organisation, month_start=month.start, closed=True)
            .first()
        )
        if close is None:
            raise ScoresRefused(_("%(month)s is not closed.") % {"month": month.label})
        close.closed = False
        close.events = [*close.events, _event("reopen", user, reason.strip())]
        close.save()
        scores = list(
            KpiScore.objects.filter(organisation=organisation, kind="month", period_start=month.start)
        )
        for score in scores:
            if score.latest_items is not None:
                score.items, score.total = score.latest_items, score.latest_total
            score.closed, score.latest_items, score.latest_total = False, None, None
        KpiScore.objects.bulk_update(scores, ["items", "total", "closed", "latest_items", "latest_total"])


def _event(action: str, user, reason: str) -> dict:
    return {
        "action": action,
        "at": timezone.now().isoformat(),
        "by": getattr(user, "username", None),
        "reason": reason,
    }
