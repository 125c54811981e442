"""Reading reports: a period's numbers per store and in total, against 环比 and 同比.

Whole periods are read from the stored rollups, so a page's cost does not grow with the length
of history. A period still in progress (and its like-for-like comparisons, days 1..n) is summed
from at most a year of daily rows by the same SQL that builds the rollups.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from reports import alerts, rollup_sql, row_figures
from reports.alerts import StoreDay
from reports.decomposition import GmvDecomposition, gmv_decomposition
from reports.models import (
    SCORE_CODES,
    VALUE_COLUMNS,
    Alert,
    AlertThreshold,
    OrganisationRollup,
    RollupRun,
    StoreRollup,
    WeeklyCommentary,
)
from stores import access, metrics
from stores.models import ImportBatch, Organisation, Store
from stores.periods import (
    Comparison,
    DateRange,
    Period,
    PeriodKind,
    comparison_for,
    period_containing,
    periods_before,
    yesterday,
)

Values = dict[str, object]
SIDES = ("current", "previous", "last_year")


@dataclass(frozen=True)
class StoreSelection:
    """The stores a report covers: some or all of one organisation's, as the user may see them."""

    organisation: Organisation
    stores: tuple[Store, ...]
    whole_organisation: bool  # every store of the organisation: its stored totals apply

    @property
    def store_ids(self) -> list[int]:
        return [store.pk for store in self.stores]


def organisations_for(*, user) -> list[Organisation]:
    visible = access.stores_visible_to(user).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=visible).order_by("name"))


def stores_selectable(*, user, organisation: Organisation) -> list[Store]:
    return list(access.stores_visible_to(user).filter(organisation=organisation).order_by("name"))


def store_selection_get(
    *, user, organisation: Organisation, store_slugs: Sequence[str] = ()
) -> StoreSelection:
    """The user's visible stores of `organisation`, narrowed to `store_slugs` if given (slugs
    that match nothing the user sees are ignored; none left means all the user sees)."""
    visible = stores_selectable(user=user, organisation=organisation)
    chosen = [store for store in visible if store.slug in store_slugs] or visible
    return _selection(organisation, chosen)


def organisation_selection(*, organisation: Organisation, stores: Sequence[Store] = ()) -> StoreSelection:
    """Stores of `organisation` (all of them unless `stores` is given), for tools that run with
    full access and no user: the report command and the weekly email."""
    chosen_ids = {store.pk for store in stores}
    every_store = Store.objects.filter(organisation=organisation).order_by("name")
    return _selection(
        organisation, [store for store in every_store if not chosen_ids or store.pk in chosen_ids]
    )


def _selection(organisation: Organisation, chosen: list[Store]) -> StoreSelection:
    every_store = Store.objects.filter(organisation=organisation).count()
    return StoreSelection(
        organisation=organisation,
        stores=tuple(chosen),
        whole_organisation=bool(chosen) and len(chosen) == every_store,
    )


@dataclass
class ReportRow:
    """One store (or the total, store None): every recorded and derived code on each side."""

    store: Store | None
    current: Values
    previous: Values
    last_year: Values
    # The registered row figures' columns of this row (reports.row_figures), in order.
    figure_cells: list[row_figures.FigureCell] = field(default_factory=list)

    def side(self, name: str) -> Values:
        return getattr(self, name)


@dataclass
class PeriodReport:
    kind: PeriodKind
    period: Period
    comparison: Comparison
    selection: StoreSelection
    rows: list[ReportRow]
    total: ReportRow
    decomposition: GmvDecomposition | None  # against the previous period (环比)
    decomposition_last_year: GmvDecomposition | None
    commentary: WeeklyCommentary | None = None
    trends: dict[str, list[dict]] = field(default_factory=dict)
    # Other apps' figures of each row (reports.row_figures): provider code → {store pk, or None
    # for the total: figures}, computed once with the report; and the providers, in order.
    figures: dict[str, Mapping[int | None, object]] = field(default_factory=dict)
    figure_providers: tuple[row_figures.RowFigures, ...] = ()

    def figures_of(self, code: str, store: Store | None) -> object | None:
        """The figures provider `code` gave the row of `store` (None: the total row); None when
        it gave none."""
        return self.figures.get(code, {}).get(store.pk if store is not None else None)

    @property
    def figure_columns(self) -> list[row_figures.RowColumn]:
        """The registered providers' columns, after the report's own, in registration order."""
        return [column for provider in self.figure_providers for column in provider.columns]


# The report's headline metrics, in the order the boss reads them: the page's cards, the
# workbook's summary sheet and the email's table.
HEADLINE_CODES: tuple[str, ...] = (
    "gmv",
    "uv",
    "conversion",
    "aov",
    "paid_buyers",
    "refund_rate",
    "ad_spend",
    "roi",
    "dsr_item",
    "dsr_service",
    "dsr_logistics",
)
TENTH = Decimal("0.1")


def relative_change(now: object, before: object) -> Decimal | None:
    """(now − before) / before; None ("—") when either side is missing or before is 0."""
    if now is None or before is None or Decimal(before) == 0:
        return None
    return (Decimal(now) - Decimal(before)) / Decimal(before)


@dataclass(frozen=True)
class ChangeShown:
    """A 环比 / 同比 as the reader sees it: "↑ 12.3%" and whether that is good news."""

    text: str
    tone: str  # good / bad (by the metric's direction, not the sign), flat, or none ("—")

    def html(self) -> SafeString:
        """The change as the pages show it, coloured by its tone (what it is compared with, the
        page says once: its column or row is headed 环比 or 同比)."""
        # Both parts are ours (a tone of four words, an arrow and a number): nothing to escape.
        return mark_safe(f'<span class="change {self.tone}">{self.text}</span>')


def change_shown(code: str, now: object, before: object) -> ChangeShown:
    ratio = relative_change(now, before)
    if ratio is None:
        return ChangeShown(metrics.DASH, "none")
    percent = (ratio * 100).quantize(TENTH, rounding=ROUND_HALF_UP)
    arrow = "↑" if percent > 0 else "↓" if percent < 0 else "→"
    better = metrics.BY_CODE[code].higher_is_better
    tone = "flat" if percent == 0 or better is None else "good" if (percent > 0) == better else "bad"
    return ChangeShown(f"{arrow} {abs(percent)}%", tone)


def rollup_values(raw: Mapping[str, object]) -> Values:
    """Rollup columns → every code of the registry (DSR is the last score), plus what the
    columns add: store_days and each score's lowest."""
    values = metrics.with_derived(raw)
    values["store_days"] = raw.get("store_days") or 0
    values |= {f"{code}_min": raw.get(f"{code}_min") for code in SCORE_CODES}
    return values


SCORE_COLUMNS = frozenset((*SCORE_CODES, *(f"{code}_min" for code in SCORE_CODES)))


def stores_combined(sides: Iterable[Mapping[str, object]]) -> Values:
    """Several stores' rollup columns as one: counts and money summed, a score the lowest
    store's (as OrganisationRollup does in SQL)."""
    combined: dict[str, object] = {"store_days": 0}
    for raw in sides:
        for column, value in raw.items():
            if value is None:
                continue
            so_far = combined.get(column)
            if so_far is None:
                combined[column] = value
            elif column in SCORE_COLUMNS:
                combined[column] = min(so_far, value)
            else:
                combined[column] = so_far + value
    return combined


def _is_whole(kind: PeriodKind, window: DateRange) -> Period | None:
    period = period_containing(kind, window.start)
    return period if (period.start, period.end) == (window.start, window.end) else None


def store_window_values(
    *, store_ids: Sequence[int], kind: PeriodKind, window: DateRange | None
) -> dict[int, dict]:
    """Each store's raw rollup columns over `window`: stored when it is a whole period."""
    if window is None or not store_ids:
        return {}
    whole = _is_whole(kind, window)
    if whole is None:
        return rollup_sql.window_totals(store_ids=store_ids, window=window)
    rows = StoreRollup.objects.filter(store_id__in=store_ids, kind=kind, period_start=whole.start)
    return {
        row[0]: dict(zip(VALUE_COLUMNS, row[1:], strict=True))
        for row in rows.values_list("store_id", *VALUE_COLUMNS)
    }


def period_report_get(
    *, selection: StoreSelection, period: Period, last_complete_day: dt.date | None = None
) -> PeriodReport:
    comparison = comparison_for(period, last_complete_day=last_complete_day or yesterday())
    windows = {
        "current": comparison.current,
        "previous": comparison.previous,
        "last_year": comparison.last_year,
    }
    raw = {
        side: store_window_values(store_ids=selection.store_ids, kind=period.kind, window=window)
        for side, window in windows.items()
    }
    rows = [
        ReportRow(store, *(rollup_values(raw[side].get(store.pk, {})) for side in SIDES))
        for store in selection.stores
    ]
    total = ReportRow(None, *(rollup_values(stores_combined(raw[side].values())) for side in SIDES))
    report = PeriodReport(
        kind=period.kind,
        period=period,
        comparison=comparison,
        selection=selection,
        rows=rows,
        total=total,
        decomposition=gmv_decomposition(total.current, total.previous),
        decomposition_last_year=gmv_decomposition(total.current, total.last_year),
        commentary=weekly_commentary_get(organisation=selection.organisation, period=period),
    )
    _row_figures_add(report)
    return report


def _row_figures_add(report: PeriodReport) -> None:
    """Every registered provider's figures of the report's rows, computed once here, so that the
    page, the files, the email and the command show the same (reports.row_figures)."""
    providers = tuple(row_figures.row_figures_all())
    if not providers:
        return
    report.figure_providers = providers
    report.figures = row_figures.figures_computed(report, providers)
    for row in (*report.rows, report.total):
        row.figure_cells = row_figures.figure_cells(report, row.store)


def weekly_commentary_get(*, organisation: Organisation, period: Period) -> WeeklyCommentary | None:
    if period.kind is not PeriodKind.WEEK:
        return None
    return WeeklyCommentary.objects.filter(organisation=organisation, week_start=period.start).first()


TREND_CODES = ("gmv", "uv", "paid_buyers")


def period_series(*, selection: StoreSelection, kind: PeriodKind, periods: Sequence[Period]) -> list[dict]:
    """GMV and conversion of the selection for each of `periods` (whole periods, stored)."""
    if selection.whole_organisation:
        rows = OrganisationRollup.objects.filter(organisation=selection.organisation)
    else:
        rows = StoreRollup.objects.filter(store_id__in=selection.store_ids)
    starts = [period.start for period in periods]
    sums = (
        rows.filter(kind=kind, period_start__in=starts)
        .values("period_start")
        .annotate(**{code: Sum(code) for code in TREND_CODES})
    )
    by_start = {row["period_start"]: row for row in sums}
    series = []
    for period in periods:
        found = rollup_sql.values_normalised(
            {code: by_start.get(period.start, {}).get(code) for code in TREND_CODES}
        )
        values = metrics.with_derived(found)
        series.append({"period": period, "gmv": values["gmv"], "conversion": values["conversion"]})
    return series


def report_trends(*, selection: StoreSelection, report: PeriodReport) -> dict[str, list[dict]]:
    """The charts' numbers: each day of the period and of its comparison period, and the
    last 8 weeks or 12 months (for a daily report: the last 14 days)."""
    comparison = report.comparison
    if report.kind is PeriodKind.DAY:
        days = periods_before(report.period, 14)
        return {"days": period_series(selection=selection, kind=PeriodKind.DAY, periods=days)}
    current_days = _days_of(comparison.current)
    previous_days = _days_of(comparison.previous)
    trends = {
        "days": period_series(selection=selection, kind=PeriodKind.DAY, periods=current_days),
        "previous_days": period_series(selection=selection, kind=PeriodKind.DAY, periods=previous_days),
    }
    count = 8 if report.kind is PeriodKind.WEEK else 12
    trends["periods"] = period_series(
        selection=selection, kind=report.kind, periods=periods_before(report.period, count)
    )
    return trends


def _days_of(window: DateRange) -> list[Period]:
    return [
        period_containing(PeriodKind.DAY, window.start + dt.timedelta(days=offset))
        for offset in range(window.days)
    ]


@dataclass(frozen=True)
class RollupStatus:
    organisation: Organisation
    stores: list[tuple[Store, RollupRun | None]]  # each active store with its last nightly run
    totals_run: RollupRun | None
    failures: list[RollupRun]  # of the last week, any trigger, newest first
    unfinished: list[RollupRun]  # queued or running, any trigger, oldest first
    imports: list[ImportBatch]  # running, or failed in the last week, newest first


STATUS_WINDOW = dt.timedelta(days=7)


def rollup_status_get(*, organisation: Organisation) -> RollupStatus:
    since = timezone.now() - STATUS_WINDOW
    runs = RollupRun.objects.filter(organisation=organisation, queued_at__gte=since).select_related("store")
    latest: dict[int | None, RollupRun] = {}
    for run in runs.filter(trigger=RollupRun.Trigger.NIGHTLY).order_by("queued_at", "pk"):
        latest[run.store_id] = run
    stores = list(Store.objects.filter(organisation=organisation, active=True).order_by("name"))
    return RollupStatus(
        organisation=organisation,
        stores=[(store, latest.get(store.pk)) for store in stores],
        totals_run=latest.get(None),
        failures=list(runs.filter(status=RollupRun.Status.FAILED).order_by("-queued_at")[:50]),
        # However old: a run that waits for days (Redis down, no worker) must show.
        unfinished=list(
            RollupRun.objects.filter(organisation=organisation, status__in=RollupRun.UNFINISHED)
            .select_related("store")
            .order_by("queued_at", "pk")[:100]
        ),
        imports=list(
            ImportBatch.objects.filter(Q(organisation=organisation) | Q(store__organisation=organisation))
            .filter(
                Q(status=ImportBatch.Status.RUNNING)
                | Q(status=ImportBatch.Status.FAILED, created_at__gte=since)
            )
            .select_related("store", "uploaded_by")
            .defer("content")
            .order_by("-created_at")[:50]
        ),
    )


def rollups_pending(*, stores: Sequence[Store]) -> bool:
    """Whether a rollup of these stores, or of their organisations' totals, is still to be
    done: their figures may be behind their numbers."""
    if not stores:
        return False
    store_ids = [store.pk for store in stores]
    organisation_ids = {store.organisation_id for store in stores}
    return (
        RollupRun.objects.filter(status__in=RollupRun.UNFINISHED, organisation_id__in=organisation_ids)
        .filter(Q(store_id__in=store_ids) | Q(store__isnull=True))
        .exists()
    )


SAME_WEEKDAY_WEEKS = 4


def day_values_get(
    *, store_ids: Sequence[int], days: Sequence[dt.date], columns: Sequence[str] = VALUE_COLUMNS
) -> dict[tuple[int, dt.date], dict]:
    """Stored day rollups (raw `columns`, all by default) of the stores on the given days, in one
    query."""
    rows = StoreRollup.objects.filter(store_id__in=store_ids, kind=PeriodKind.DAY, period_start__in=days)
    return {
        (row[0], row[1]): dict(zip(columns, row[2:], strict=True))
        for row in rows.values_list("store_id", "period_start", *columns)
    }


def same_weekdays(day: dt.date) -> list[dt.date]:
    """The same weekday in each of the 4 weeks before `day`."""
    return [day - dt.timedelta(weeks=weeks) for weeks in range(1, SAME_WEEKDAY_WEEKS + 1)]


def same_weekday_values(
    raw_by_day: dict[tuple[int, dt.date], dict], store_id: int, day: dt.date
) -> Values | None:
    """The 4 same weekdays before `day` together: sums (so ratios are ratios of sums) with their
    derived values, and `days` (how many of the 4 were recorded) for averages of counts."""
    found = [raw_by_day[(store_id, other)] for other in same_weekdays(day) if (store_id, other) in raw_by_day]
    if not found:
        return None
    values = rollup_values(stores_combined(found))
    values["days"] = len(found)
    return values


def alert_threshold_default(name: str) -> Decimal | None:
    """settings.ALERT_THRESHOLDS[name] as a Decimal (None: the rule is off unless a store sets it)."""
    value = settings.ALERT_THRESHOLDS[name]
    return None if value is None else Decimal(str(value))


def alert_thresholds_get(*, store_ids: Sequence[int]) -> dict[int, dict[str, Decimal | None]]:
    """settings.ALERT_THRESHOLDS, with each store's own overrides."""
    defaults = {name: alert_threshold_default(name) for name in settings.ALERT_THRESHOLDS}
    thresholds = {store_id: dict(defaults) for store_id in store_ids}
    for override in AlertThreshold.objects.filter(store_id__in=store_ids):
        thresholds[override.store_id][override.name] = override.value
    return thresholds


def data_due(*, day: dt.date, now: dt.datetime) -> bool:
    """Whether `day`'s numbers should be in by `now` (settings.ALERT_DATA_DUE the day after)."""
    hour, minute = (int(part) for part in settings.ALERT_DATA_DUE.split(":"))
    due = dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )
    return now >= due


def alert_inputs_get(*, stores: Sequence[Store], day: dt.date, now: dt.datetime) -> dict[int, StoreDay]:
    """What the alert rules look at for each store on `day`, in a fixed number of queries."""
    store_ids = [store.pk for store in stores]
    raw = day_values_get(store_ids=store_ids, days=[day, *same_weekdays(day)])
    thresholds = alert_thresholds_get(store_ids=store_ids)
    # The registered rules of other apps read their own inputs, for every store at once.
    extra = {rule.code: rule.inputs(store_ids, day) for rule in alerts.rules() if rule.inputs}
    # A failed night counts until a later run of the same day (its retry or a re-run) succeeds.
    latest_status = dict(
        RollupRun.objects.filter(store_id__in=store_ids, first_day=day)
        .exclude(trigger=RollupRun.Trigger.CHANGE)
        .order_by("store_id", "pk")
        .values_list("store_id", "status")
    )
    failed = {store_id for store_id, status in latest_status.items() if status == RollupRun.Status.FAILED}
    due = data_due(day=day, now=now)
    return {
        store_id: StoreDay(
            values=rollup_values(raw[(store_id, day)]) if (store_id, day) in raw else None,
            same_weekday=same_weekday_values(raw, store_id, day),
            thresholds=thresholds[store_id],
            nightly_failed=store_id in failed,
            data_due=due,
            extra={code: inputs.get(store_id) for code, inputs in extra.items()},
        )
        for store_id in store_ids
    }


def alerts_get(
    *, stores: Sequence[Store], since: dt.date | None = None, status: str = "", limit: int | None = None
) -> list[Alert]:
    """Alerts of the stores, newest day first: the /alerts/ history and a store's own."""
    found = Alert.objects.filter(store__in=stores).select_related("store", "acknowledged_by")
    if since:
        found = found.filter(day__gte=since)
    if status in Alert.Status.values:
        found = found.filter(status=status)
    found = found.order_by("-day", "store__name", "rule")
    return list(found[:limit] if limit else found)
