"""The morning dashboard's numbers (selectors): yesterday per store and in total, against the
day before, the same date last year and the 4-week same-weekday average; a 14-day trend;
pacing; open alerts. A fixed number of queries, whatever the number of stores or the length
of history: everything comes from stored day rollups, alerts and targets.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import psycopg
from django.db import connection

from kpi.selectors import Pacing, month_pacing_get
from reports.decomposition import GmvDecomposition, gmv_decomposition
from reports.models import Alert
from reports.selectors import (
    ReportRow,
    Values,
    day_values_get,
    rollup_values,
    same_weekdays,
    stores_combined,
)
from stores import access, metrics, periods
from stores.metrics import Kind
from stores.models import Store
from tasks.selectors import Completion, daily_reports_missing_in_stores, store_day_completion_get

TREND_DAYS = 14
ALERT_DAYS = 7  # open alerts of the last week stay on the dashboard until dealt with
# The cards' metrics, in the order the ops lead reads them (domain: the morning numbers).
CARD_CODES = ("gmv", "uv", "conversion", "aov", "refund_rate", "ad_spend", "roi", "dsr_item")


@dataclass
class StoreCard:
    """One store (or the total, store None) on one day."""

    store: Store | None
    row: ReportRow  # current: the day; previous: the day before; last_year: the same date
    same_weekday: Values  # the 4 same weekdays before, summed ("days": how many were recorded)
    trend: list[Decimal | None]  # GMV of the last 14 days, oldest first
    pacing: Pacing | None
    decomposition: GmvDecomposition | None
    alerts: list[Alert] = field(default_factory=list)

    @property
    def recorded(self) -> bool:
        return self.row.current.get("store_days", 0) > 0

    @property
    def attention(self) -> tuple:
        """Sort key: stores with open alerts first (most first), then the biggest GMV drop."""
        change = self.row.current.get("gmv"), self.row.previous.get("gmv")
        drop = (change[0] or 0) - (change[1] or 0)
        return (-sum(alert.status == Alert.Status.OPEN for alert in self.alerts), -len(self.alerts), drop)

    def same_weekday_average(self, code: str) -> Decimal | None:
        """A count or an amount per day; a ratio as the ratio of the 4 days' sums."""
        value = self.same_weekday.get(code)
        if value is None or code in metrics.DERIVED_CODES or metrics.BY_CODE[code].kind is Kind.SCORE:
            return value
        return Decimal(value) / self.same_weekday["days"]


@dataclass
class Dashboard:
    day: dt.date
    cards: list[StoreCard]  # attention first
    total: StoreCard
    alerts: list[Alert]  # the day's, not resolved
    older_open: int  # open alerts of the days before, not yet acknowledged


def _days_needed(day: dt.date) -> list[dt.date]:
    last_year = periods.last_year_period(periods.period_containing(periods.PeriodKind.DAY, day))
    trend = [day - dt.timedelta(days=offset) for offset in range(TREND_DAYS)]
    return sorted({*trend, *same_weekdays(day), *([last_year.start] if last_year else [])})


def _card(
    store: Store | None, raw: dict, day: dt.date, pacing: Pacing | None, store_alerts: list[Alert]
) -> StoreCard:
    """`raw`: this store's (or the total's) raw rollup columns by date."""
    last_year = periods.last_year_period(periods.period_containing(periods.PeriodKind.DAY, day))
    side = lambda date: rollup_values(raw.get(date, {}))  # noqa: E731
    row = ReportRow(
        store,
        side(day),
        side(day - dt.timedelta(days=1)),
        side(last_year.start) if last_year else rollup_values({}),
    )
    weekdays = [raw[date] for date in same_weekdays(day) if date in raw]
    same_weekday = rollup_values(stores_combined(weekdays)) | {"days": len(weekdays)}
    trend_days = [day - dt.timedelta(days=offset) for offset in range(TREND_DAYS - 1, -1, -1)]
    return StoreCard(
        store=store,
        row=row,
        same_weekday=same_weekday,
        trend=[raw.get(date, {}).get("gmv") for date in trend_days],
        pacing=pacing,
        decomposition=gmv_decomposition(row.current, row.previous),
        alerts=store_alerts,
    )


def dashboard_get(*, stores: Sequence[Store], day: dt.date) -> Dashboard:
    store_ids = [store.pk for store in stores]
    raw = day_values_get(store_ids=store_ids, days=_days_needed(day))
    pacing = month_pacing_get(store_ids=store_ids, day=day)
    open_alerts = list(
        Alert.objects.filter(store_id__in=store_ids, day__gte=day - dt.timedelta(days=ALERT_DAYS - 1))
        .exclude(status=Alert.Status.RESOLVED)
        .select_related("store", "acknowledged_by")
        .order_by("status", "-day", "store__name")
    )
    by_store: dict[int, dict] = {store_id: {} for store_id in store_ids}
    for (store_id, date), columns in raw.items():
        by_store[store_id][date] = columns
    todays = [alert for alert in open_alerts if alert.day == day]
    cards = [
        _card(store, by_store[store.pk], day, pacing[store.pk], [a for a in todays if a.store_id == store.pk])
        for store in stores
    ]
    every_date = {date for columns in by_store.values() for date in columns}
    combined = {
        date: stores_combined(by_store[s][date] for s in store_ids if date in by_store[s])
        for date in every_date
    }
    total = _card(None, combined, day, None, todays)
    return Dashboard(
        day=day,
        cards=sorted(cards, key=lambda card: card.attention),
        total=total,
        alerts=todays,
        older_open=sum(alert.day != day and alert.status == Alert.Status.OPEN for alert in open_alerts),
    )


@dataclass(frozen=True)
class DashboardVersion:
    """What a user's dashboard shows, as of now, in one string; and the stores it shows."""

    key: str
    store_ids: list[int]


def dashboard_version(*, user, day: dt.date, today: dt.date) -> DashboardVersion:
    """Changes whenever anything the dashboard shows changes: a store's rollups are written
    (their stamp, StoreRollupStamp, moves); an alert is raised, updated, resolved or
    acknowledged; a checklist is made, an item ticked or noted, a 日报 written; a store is
    renamed, or the stores the user sees are not the same.

    One query, asked on every visit: the stores the user sees (access.visible_store_ids_sql, a
    subquery), each with what it shows (each source per store, through the store's index)."""
    visible = access.visible_store_ids_sql(user)
    if visible is None:  # nobody's stores (an inactive user): nothing to show, nothing changes
        return DashboardVersion(key="", store_ids=[])
    visible_sql, visible_params = visible
    sources = {
        "alerts": (
            "FROM reports_alert a WHERE a.store_id = s.id AND a.day >= %s",
            [day - dt.timedelta(days=ALERT_DAYS - 1)],
            "MAX(a.updated_at)",
        ),
        "checklists": (
            "FROM tasks_checklistevent e JOIN tasks_checklistitem i ON i.id = e.item_id"
            " JOIN tasks_dailychecklist c ON c.id = i.checklist_id WHERE c.store_id = s.id"
            " AND c.day IN (%s, %s)",
            [day, today],
            "MAX(e.id)",
        ),
        "lists": (
            "FROM tasks_dailychecklist c WHERE c.store_id = s.id AND c.day IN (%s, %s)",
            [day, today],
            "MAX(c.id)",
        ),
        "daily_reports": ("FROM tasks_dailyreport d WHERE d.day = %s", [day], "MAX(d.updated_at)"),
    }
    # Each source as "latest/count" in one scalar subquery (COALESCE: no rows has no latest), on
    # each visible store's row (no store: one row, of no store).
    selects, params = [], []
    for source, source_params, latest in sources.values():
        selects.append(
            f"(SELECT COALESCE(CAST({latest} AS TEXT), '') || '/' || CAST(COUNT(*) AS TEXT) {source})"
        )
        params += source_params
    with _version_cursor() as cursor:
        cursor.execute(
            f"SELECT s.id, s.slug, s.name, CAST(t.written_at AS TEXT), t.writes, {', '.join(selects)}"
            f" FROM (SELECT 1 AS one) AS one LEFT JOIN stores_store s ON s.id IN ({visible_sql})"
            " LEFT JOIN reports_storerollupstamp t ON t.store_id = s.id ORDER BY s.id",
            [*params, *visible_params],
        )
        rows = cursor.fetchall()
    return DashboardVersion(
        key="|".join("/".join(str(value) for value in row) for row in rows),
        store_ids=[row[0] for row in rows if row[0] is not None],
    )


def _version_cursor():
    """On PostgreSQL, a cursor whose statements are prepared: the version query is asked on
    every visit, and planning it costs more than running it, so each connection plans it once
    (psycopg keeps the prepared statement per connection and its text; settings allow it with
    prepare_threshold, which Django's client-side binding cursors ignore). A connection pooler
    in transaction mode would need prepared statement support (PgBouncer ≥ 1.21,
    max_prepared_statements) for this one statement.
    Elsewhere an ordinary cursor. Logged like any other (CaptureQueriesContext counts it)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    cursor = _PreparedCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)


class _PreparedCursor(psycopg.Cursor):
    """A server-side binding cursor that prepares what it executes."""

    def execute(self, query, params=None, *, prepare=True, binary=None):
        return super().execute(query, params, prepare=prepare, binary=binary)


@dataclass
class Routine:
    """The team's checklists: yesterday's and today's completion, yesterday's missing 日报."""

    day: dt.date
    today: dt.date
    stores: list[tuple[Store, Completion, Completion]]  # yesterday's and today's so far
    yesterday_total: Completion
    today_total: Completion
    reports_missing: list  # people without yesterday's 日报


def routine_get(*, stores: Sequence[Store], day: dt.date, today: dt.date) -> Routine:
    store_ids = [store.pk for store in stores]
    completion = store_day_completion_get(store_ids=store_ids, days=[day, today])
    rows = [
        (
            store,
            completion.get((store.pk, day), Completion()),
            completion.get((store.pk, today), Completion()),
        )
        for store in stores
    ]
    return Routine(
        day=day,
        today=today,
        stores=[row for row in rows if row[1].total or row[2].total],
        yesterday_total=sum((row[1] for row in rows), Completion()),
        today_total=sum((row[2] for row in rows), Completion()),
        reports_missing=daily_reports_missing_in_stores(store_ids=store_ids, day=day),
    )
