"""The morning numbers (selectors): yesterday per store and in total, against the day before,
the same date last year and the 4-week same-weekday average; a 14-day trend; the day's alerts.

Read from stored day rollups (two queries: the days a card compares, the trend's GMV) and alerts
(one), whatever the number of stores or the length of history; plus what each registered card
figures provider of another app reads (reports.card_figures), once for all the cards. The cards
carry their numbers as shown (MetricShown), so that the page's templates only place strings.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.safestring import SafeString

from reports.card_figures import CardFigures, CardFiguresComputed, FigurePart, card_figures_compute
from reports.decomposition import DECOMPOSITION_CODES, GmvDecomposition, gmv_decomposition
from reports.models import SCORE_CODES, Alert
from reports.selectors import (
    ChangeShown,
    ReportRow,
    Values,
    change_shown,
    day_values_get,
    rollup_values,
    same_weekdays,
    stores_combined,
)
from stores import metrics, periods
from stores.metrics import Kind
from stores.models import Store

TREND_DAYS = 14
ALERT_DAYS = 7  # open alerts of the last week stay on the dashboard until dealt with
# The cards' metrics, in the order the ops lead reads them (the morning numbers); a store's own
# card shows the first four.
CARD_CODES = ("gmv", "uv", "conversion", "aov", "refund_rate", "ad_spend", "roi", "dsr_item")
STORE_CARD_CODES = CARD_CODES[:4]
# The rollup columns the cards read: what the card metrics and the GMV decomposition are made of.
CARD_COLUMNS = ("store_days", *metrics.recorded_inputs((*CARD_CODES, *DECOMPOSITION_CODES)))


@dataclass(frozen=True)
class MetricShown:
    """One metric of a card as the reader sees it."""

    code: str
    label: str
    label_zh: str
    value: str
    previous: ChangeShown  # 环比: against the day before
    last_year: ChangeShown  # 同比: against the same date last year
    weekday_average: str  # the 4 same weekdays before

    @property
    def previous_html(self) -> SafeString:
        return self.previous.html()

    @property
    def last_year_html(self) -> SafeString:
        return self.last_year.html()


@dataclass
class StoreCard:
    """One store (or the total, store None) on one day."""

    store: Store | None
    row: ReportRow  # current: the day; previous: the day before; last_year: the same date
    same_weekday: Values  # the 4 same weekdays before, summed ("days": how many were recorded)
    trend: list[Decimal | None]  # GMV of the last 14 days, oldest first
    alerts: list[Alert] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # the card metrics' labels, by code
    # Other apps' figures of this card (reports.card_figures): provider code → figures or None,
    # and the providers, in registration order.
    figures: dict[str, object] = field(default_factory=dict)
    figure_providers: tuple[CardFigures, ...] = ()

    @property
    def recorded(self) -> bool:
        return self.row.current.get("store_days", 0) > 0

    @property
    def attention(self) -> tuple:
        """Sort key: stores with open alerts first (most first), then with more alerts, then by
        each card figures provider's attention (smaller first, in registration order: kpi's the
        furthest behind its pacing), then the biggest GMV drop."""
        change = self.row.current.get("gmv"), self.row.previous.get("gmv")
        drop = (change[0] or 0) - (change[1] or 0)
        return (
            -sum(alert.status == Alert.Status.OPEN for alert in self.alerts),
            -len(self.alerts),
            *(provider.attention(self.figures.get(provider.code)) for provider in self.figure_providers),
            drop,
        )

    @property
    def figure_parts(self) -> list[FigurePart]:
        """Each provider's figures of this card with its template, for the card's templates to
        include in turn; a provider without figures for this card has no part."""
        return [
            FigurePart(provider.code, provider.template, self.figures[provider.code])
            for provider in self.figure_providers
            if self.figures.get(provider.code) is not None
        ]

    @cached_property
    def decomposition(self) -> GmvDecomposition | None:
        """Why GMV moved against the day before."""
        return gmv_decomposition(self.row.current, self.row.previous)

    def same_weekday_average(self, code: str) -> Decimal | None:
        """A count or an amount per day; a ratio as the ratio of the 4 days' sums; a DSR as the
        mean of the days' scores."""
        value = self.same_weekday.get(code)
        if value is None or code in metrics.DERIVED_CODES or metrics.BY_CODE[code].kind is Kind.SCORE:
            return value
        return Decimal(value) / self.same_weekday["days"]

    def shown(self, code: str) -> MetricShown:
        metric, current = metrics.BY_CODE[code], self.row.current.get(code)
        return MetricShown(
            code=code,
            label=self.labels[code],
            label_zh=metric.label_zh,
            value=metrics.display(code, current),
            previous=change_shown(code, current, self.row.previous.get(code)),
            last_year=change_shown(code, current, self.row.last_year.get(code)),
            weekday_average=metrics.display(code, self.same_weekday_average(code)),
        )

    @cached_property
    def metrics_shown(self) -> list[MetricShown]:
        """The total's card: every card metric."""
        return [self.shown(code) for code in CARD_CODES]

    @cached_property
    def headline_shown(self) -> list[tuple[str, str, str, SafeString]]:
        """A store's card: the first four, each (code, label, value, 环比), with labels of `labels`."""
        current, previous = self.row.current, self.row.previous
        return [
            (
                code,
                self.labels[code],
                metrics.display(code, current.get(code)),
                change_shown(code, current.get(code), previous.get(code)).html(),
            )
            for code in STORE_CARD_CODES
        ]


@dataclass
class Dashboard:
    day: dt.date
    cards: list[StoreCard]  # attention first
    total: StoreCard
    alerts: list[Alert]  # the day's, not resolved
    older_open: int  # open alerts of the days before, not yet acknowledged


def _last_year(day: dt.date) -> dt.date | None:
    last_year = periods.last_year_period(periods.period_containing(periods.PeriodKind.DAY, day))
    return last_year.start if last_year else None


def _trend_days(day: dt.date) -> list[dt.date]:
    return [day - dt.timedelta(days=offset) for offset in range(TREND_DAYS - 1, -1, -1)]


def _compared_days(day: dt.date) -> list[dt.date]:
    """The days a card compares `day` with: the day before, a year ago, the 4 same weekdays."""
    last_year = _last_year(day)
    return [day, day - dt.timedelta(days=1), *([last_year] if last_year else []), *same_weekdays(day)]


def _card(
    store: Store | None,
    raw: dict,
    day: dt.date,
    store_alerts: list[Alert],
    labels: dict[str, str],
    figures: CardFiguresComputed,
) -> StoreCard:
    """`raw`: this store's (or the total's) raw rollup columns by date."""
    last_year = _last_year(day)

    def side(date: dt.date | None) -> Values:
        return rollup_values(raw.get(date, {}))

    weekdays = [raw[date] for date in same_weekdays(day) if date in raw]
    return StoreCard(
        store=store,
        row=ReportRow(store, side(day), side(day - dt.timedelta(days=1)), side(last_year)),
        same_weekday=rollup_values(stores_combined(weekdays))
        | {"days": len(weekdays)}
        | _mean_scores(weekdays),
        trend=[raw.get(date, {}).get("gmv") for date in _trend_days(day)],
        alerts=store_alerts,
        labels=labels,
        figures=figures.of(store),
        figure_providers=figures.providers,
    )


def _mean_scores(days: list[dict]) -> dict[str, Decimal | None]:
    """Each DSR's mean over the days that have it: a score is a level, not a sum, and combining
    the days like stores would give their lowest."""
    means = {}
    for code in SCORE_CODES:
        scores = [Decimal(columns[code]) for columns in days if columns.get(code) is not None]
        means[code] = sum(scores) / len(scores) if scores else None
    return means


def _total_raw(by_store: dict[int, dict], day: dt.date) -> dict[dt.date, dict]:
    """Every store's columns together on the days the total's card compares (sums, the lowest
    DSR), and GMV alone on the other days of its trend."""
    compared = _compared_days(day)
    combined = {
        date: stores_combined(raw[date] for raw in by_store.values() if date in raw) for date in compared
    }
    for date in _trend_days(day):
        if date not in combined:
            amounts = [
                raw[date]["gmv"] for raw in by_store.values() if raw.get(date, {}).get("gmv") is not None
            ]
            combined[date] = {"gmv": sum(amounts)} if amounts else {}
    return combined


def dashboard_get(*, stores: Sequence[Store], day: dt.date) -> Dashboard:
    store_ids = [store.pk for store in stores]
    # The card's columns of the days a card compares; GMV alone of the trend's other days.
    compared = _compared_days(day)
    raw = day_values_get(store_ids=store_ids, days=compared, columns=CARD_COLUMNS)
    trend_only = [date for date in _trend_days(day) if date not in compared]
    raw |= day_values_get(store_ids=store_ids, days=trend_only, columns=("gmv",))
    by_id = {store.pk: store for store in stores}
    open_alerts = sorted(
        Alert.objects.filter(store_id__in=store_ids, day__gte=day - dt.timedelta(days=ALERT_DAYS - 1))
        .exclude(status=Alert.Status.RESOLVED)
        .select_related("acknowledged_by")
        .order_by(),  # sorted below, by the page's own stores: no join to sort by their names
        key=lambda alert: (alert.status, -alert.day.toordinal(), by_id[alert.store_id].name),
    )
    for alert in open_alerts:
        alert.store = by_id[alert.store_id]  # the page's own, not read again
    by_store: dict[int, dict] = {store_id: {} for store_id in store_ids}
    for (store_id, date), columns in raw.items():
        by_store[store_id][date] = columns
    todays = [alert for alert in open_alerts if alert.day == day]
    alerts_of: dict[int, list[Alert]] = {}
    for alert in todays:
        alerts_of.setdefault(alert.store_id, []).append(alert)
    labels = {code: str(metrics.BY_CODE[code].label) for code in CARD_CODES}  # translated once
    figures = card_figures_compute(stores=stores, day=day)  # other apps' (reports.card_figures)
    cards = [
        _card(store, by_store[store.pk], day, alerts_of.get(store.pk, []), labels, figures)
        for store in stores
    ]
    return Dashboard(
        day=day,
        cards=sorted(cards, key=lambda card: card.attention),
        total=_card(None, _total_raw(by_store, day), day, todays, labels, figures),
        alerts=todays,
        older_open=sum(alert.day != day and alert.status == Alert.Status.OPEN for alert in open_alerts),
    )
