"""The grouped SQL that rolls daily metrics up (docs/metrics.md#rolling-up), for PostgreSQL and SQLite.

One INSERT … SELECT … GROUP BY per period kind computes every store's periods in the database;
Python never loops over days. The organisation totals are a second grouped query over the
stores' rollups. The same column expressions serve reports that need a window that is not a
whole stored period (days 1..n of a period still in progress).
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from reports.models import SCORE_CODES, SUMMED_CODES, VALUE_COLUMNS
from stores import metrics
from stores.metrics import Kind
from stores.periods import DateRange, PeriodKind

# First and last day of the period that contains m.date, per database.
PERIOD_START = {
    "postgresql": {
        PeriodKind.DAY: "m.date",
        PeriodKind.WEEK: "CAST(date_trunc('week', m.date) AS date)",
        PeriodKind.MONTH: "CAST(date_trunc('month', m.date) AS date)",
        PeriodKind.QUARTER: "CAST(date_trunc('quarter', m.date) AS date)",
        PeriodKind.YEAR: "CAST(date_trunc('year', m.date) AS date)",
    },
    "sqlite": {
        PeriodKind.DAY: "m.date",
        PeriodKind.WEEK: (
            "date(m.date, '-' || ((CAST(strftime('%%w', m.date) AS INTEGER) + 6) %% 7) || ' days')"
        ),
        PeriodKind.MONTH: "date(m.date, 'start of month')",
        PeriodKind.QUARTER: (
            "date(m.date, 'start of month', "
            "'-' || ((CAST(strftime('%%m', m.date) AS INTEGER) - 1) %% 3) || ' months')"
        ),
        PeriodKind.YEAR: "date(m.date, 'start of year')",
    },
}
PERIOD_END = {
    "postgresql": {
        PeriodKind.DAY: "period_start",
        PeriodKind.WEEK: "period_start + 6",
        PeriodKind.MONTH: "CAST(period_start + interval '1 month' - interval '1 day' AS date)",
        PeriodKind.QUARTER: "CAST(period_start + interval '3 months' - interval '1 day' AS date)",
        PeriodKind.YEAR: "CAST(period_start + interval '1 year' - interval '1 day' AS date)",
    },
    "sqlite": {
        PeriodKind.DAY: "period_start",
        PeriodKind.WEEK: "date(period_start, '+6 days')",
        PeriodKind.MONTH: "date(period_start, '+1 month', '-1 day')",
        PeriodKind.QUARTER: "date(period_start, '+3 months', '-1 day')",
        PeriodKind.YEAR: "date(period_start, '+1 year', '-1 day')",
    },
}
# Days since 2000-01-01, for packing a date and a score into one sortable integer.
DAY_NUMBER = {
    "postgresql": "(m.date - DATE '2000-01-01')",
    "sqlite": "CAST(julianday(m.date) - 2451544.5 AS INTEGER)",
}
SCORE_SCALE = 10_000  # DSR has 4 decimals: 4.8512 -> 48512 < PACK
PACK = 100_000


def _vendor() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _last_score(code: str) -> str:
    """The score of the latest day that has one, as a plain aggregate.

    Both databases lack a portable "last value by date" aggregate; packing day and score into
    one integer (day × 100000 + score × 10000) makes it a MAX, as cheap as the sums beside it.
    """
    packed = f"MAX({DAY_NUMBER[_vendor()]} * {PACK} + CAST(ROUND(m.{code} * {SCORE_SCALE}) AS INTEGER))"
    return f"CAST({packed} %% {PACK} AS NUMERIC) / {SCORE_SCALE}.0"


def _sum(code: str) -> str:
    total = f"SUM(m.{code})"
    if _vendor() == "sqlite" and metrics.BY_CODE[code].kind is Kind.MONEY:
        # SQLite sums decimals as binary floats; money is cents.
        return f"ROUND({total}, 2)"
    return total


def day_aggregates() -> list[str]:
    """The rollup columns (VALUE_COLUMNS, in order) over the daily rows `m` of a group."""
    return [
        "COUNT(*)",
        *(_sum(code) for code in SUMMED_CODES),
        *(_last_score(code) for code in SCORE_CODES),
        *(f"MIN(m.{code})" for code in SCORE_CODES),
    ]


def _ranges_sql(column: str, ranges: Sequence[DateRange]) -> tuple[str, list]:
    clauses = " OR ".join(f"{column} BETWEEN %s AND %s" for _ in ranges)
    return f"({clauses})", [value for date_range in ranges for value in (date_range.start, date_range.end)]


def _in_sql(column: str, ids: Sequence[int]) -> tuple[str, list]:
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def store_rollups_insert(
    *, store_ids: Sequence[int], ranges: Mapping[PeriodKind, Sequence[DateRange]], computed_at: dt.datetime
) -> int:
    """Insert the stores' rollups of each kind for the days in its ranges (whole periods), in one
    statement: a nightly job is one round trip, not one per kind."""
    vendor = _vendor()
    stores_sql, store_params = _in_sql("m.store_id", store_ids)
    columns = ", ".join(VALUE_COLUMNS)
    named = ", ".join(
        f"{expression} AS {name}" for expression, name in zip(day_aggregates(), VALUE_COLUMNS, strict=True)
    )
    selects, params = [], []
    for kind, kind_ranges in ranges.items():
        days_sql, day_params = _ranges_sql("m.date", kind_ranges)
        selects.append(f"""
            SELECT grouped.store_id, %s, grouped.period_start, {PERIOD_END[vendor][kind]}, %s, {columns}
            FROM (
                SELECT m.store_id AS store_id, {PERIOD_START[vendor][kind]} AS period_start, {named}
                FROM stores_dailymetric m
                WHERE {stores_sql} AND {days_sql}
                GROUP BY m.store_id, {PERIOD_START[vendor][kind]}
            ) AS grouped
        """)
        params += [kind.value, computed_at, *store_params, *day_params]
    sql = f"""
        INSERT INTO reports_storerollup (store_id, kind, period_start, period_end, computed_at, {columns})
        {" UNION ALL ".join(selects)}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def organisation_rollups_insert(
    *,
    organisation_ids: Sequence[int],
    ranges: Mapping[PeriodKind, Sequence[DateRange]],
    computed_at: dt.datetime,
) -> int:
    """Insert the organisations' totals over their stores' rollups of each kind starting in its
    ranges: sums of the sums, and the lowest store's DSR."""
    organisations_sql, organisation_params = _in_sql("s.organisation_id", organisation_ids)
    conditions, period_params = [], []
    for kind, kind_ranges in ranges.items():
        periods_sql, params = _ranges_sql("r.period_start", kind_ranges)
        conditions.append(f"(r.kind = %s AND {periods_sql})")
        period_params += [kind.value, *params]
    totals = [
        "SUM(r.store_days)",
        *(f"SUM(r.{code})" for code in SUMMED_CODES),
        *(f"MIN(r.{code})" for code in SCORE_CODES),
        *(f"MIN(r.{code}_min)" for code in SCORE_CODES),
    ]
    sql = f"""
        INSERT INTO reports_organisationrollup
            (organisation_id, kind, period_start, period_end, computed_at, {", ".join(VALUE_COLUMNS)})
        SELECT s.organisation_id, r.kind, r.period_start, MAX(r.period_end), %s, {", ".join(totals)}
        FROM reports_storerollup r JOIN stores_store s ON s.id = r.store_id
        WHERE {organisations_sql} AND ({" OR ".join(conditions)})
        GROUP BY s.organisation_id, r.kind, r.period_start
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [computed_at, *organisation_params, *period_params])
        return cursor.rowcount


def window_totals(*, store_ids: Sequence[int], window: DateRange) -> dict[int, dict[str, object]]:
    """Each store's rollup values over any run of days, computed from the daily rows now:
    for a period still in progress and its like-for-like comparisons."""
    if not store_ids:
        return {}
    stores_sql, store_params = _in_sql("m.store_id", store_ids)
    sql = f"""
        SELECT m.store_id, {", ".join(day_aggregates())}
        FROM stores_dailymetric m
        WHERE {stores_sql} AND m.date BETWEEN %s AND %s
        GROUP BY m.store_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*store_params, window.start, window.end])
        return {
            row[0]: values_normalised(dict(zip(VALUE_COLUMNS, row[1:], strict=True)))
            for row in cursor.fetchall()
        }


def values_normalised(raw: dict[str, object]) -> dict[str, object]:
    """Rollup values as the model holds them (SQLite hands back floats): int counts,
    Decimal money with 2 places, Decimal scores with 4."""
    return {column: _normalised(column, value) for column, value in raw.items()}


def _normalised(column: str, value: object) -> object:
    if value is None:
        return None
    code = column.removesuffix("_min")
    kind = metrics.BY_CODE[code].kind if code in metrics.BY_CODE else Kind.COUNT
    if kind is Kind.COUNT:
        return int(value)
    places = Decimal("0.01") if kind is Kind.MONEY else Decimal("0.0001")
    return Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP)


def merged_ranges(periods: Iterable[DateRange]) -> list[DateRange]:
    """Periods of one kind as few ranges as possible: adjacent ones joined (fewer OR clauses)."""
    merged: list[DateRange] = []
    for period in sorted(periods, key=lambda each: each.start):
        if merged and period.start <= merged[-1].end + dt.timedelta(days=1):
            merged[-1] = DateRange(merged[-1].start, max(merged[-1].end, period.end))
        else:
            merged.append(DateRange(period.start, period.end))
    return merged
