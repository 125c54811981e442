"""Set-based writes of daily metric rows, for imports of 100,000 days.

The ORM's bulk_create spends most of an import compiling SQL value by value. Here new days go
to PostgreSQL with one COPY (to SQLite with one prepared INSERT run by executemany), and
changed days with one prepared UPDATE per set of changed columns.
"""

import datetime as dt
import json
from collections import defaultdict

from django.db import connection
from django.utils import timezone

from stores import metrics
from stores.models import DailyMetric

SPLIT = "ad_spend_split"
PROVENANCE = ("source", "entered_by_id", "import_batch_id")
COLUMNS = (
    "store_id",
    "date",
    *metrics.RECORDED_CODES,
    SPLIT,
    *PROVENANCE,
    "created_by_batch_id",
    "source_note",
    "created_at",
    "updated_at",
)


def _table() -> str:
    return connection.ops.quote_name(DailyMetric._meta.db_table)


def _column_list(columns) -> str:
    return ", ".join(connection.ops.quote_name(column) for column in columns)


def _split_json(split: dict | None) -> str:
    return json.dumps(split or {}, sort_keys=True)


def insert_days(
    rows: list[tuple[int, dt.date, dict]],
    provenance: dict,
    created_by_batch_id: int | None,
    source_note: str = "",
) -> None:
    """New store-days: (store id, date, {code: value}) each; codes not given stay NULL."""
    if not rows:
        return
    now = timezone.now()
    fixed = [*(provenance[name] for name in PROVENANCE), created_by_batch_id, source_note, now, now]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, rows, fixed)
        else:
            fixed[-2:] = [connection.ops.adapt_datetimefield_value(now)] * 2
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            sql = f"INSERT INTO {_table()} ({_column_list(COLUMNS)}) VALUES ({placeholders})"
            codes = metrics.RECORDED_CODES
            records = [
                [
                    store_id,
                    date.isoformat(),
                    *[values.get(code) for code in codes],
                    _split_json(values.get(SPLIT)),
                    *fixed,
                ]
                for store_id, date, values in rows
            ]
            cursor.executemany(sql, records)


def _copy_text(text: str) -> str:
    """Text as COPY's text format reads it back (the source note is the only free text)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy(cursor, rows: list[tuple[int, dt.date, dict]], fixed: list) -> None:
    """COPY in PostgreSQL's text format: one round trip for every row instead of one per row.

    Values here are numbers, dates and JSON of channel codes and digits, which hold no tab,
    newline or backslash; only the fixed tail (with the free-text source note) is escaped.
    """
    null = r"\N"
    codes = metrics.RECORDED_CODES
    tail = "\t".join(null if value is None else _copy_text(str(value)) for value in fixed)
    copy_sql = f"COPY {_table()} ({_column_list(COLUMNS)}) FROM STDIN"
    with cursor.cursor.copy(copy_sql) as copy:
        for start in range(0, len(rows), 5000):
            lines = []
            for store_id, date, values in rows[start : start + 5000]:
                get = values.get
                cells = "\t".join([null if (value := get(code)) is None else str(value) for code in codes])
                lines.append(f"{store_id}\t{date}\t{cells}\t{_split_json(get(SPLIT))}\t{tail}\n")
            copy.write("".join(lines))


def select_days(store_ids: set[int], first: dt.date, last: dt.date, codes: list[str]) -> list[tuple]:
    """(id, store id, date, *values of codes) of existing days, values as the model holds them.

    Read with a plain cursor: the ORM's per-row work would cost more than the comparison itself.
    """
    columns = ["id", "store_id", "date", *codes]
    fields = [DailyMetric._meta.get_field(column if column != "store_id" else "store") for column in columns]
    placeholders = ", ".join(["%s"] * len(store_ids))
    sql = (
        f"SELECT {_column_list(columns)} FROM {_table()} "
        f"WHERE store_id IN ({placeholders}) AND date BETWEEN %s AND %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*store_ids, first, last])
        rows = cursor.fetchall()
    converters = _converters(fields)
    if not converters or not rows:
        return rows
    # Column by column: one pass of one function over each column that needs converting.
    by_column = list(zip(*rows, strict=True))
    for position, (functions, expression) in converters.items():
        values = by_column[position]
        for convert in functions:
            values = [convert(value, expression, connection) for value in values]
        by_column[position] = values
    return list(zip(*by_column, strict=True))


def _converters(fields) -> dict[int, object]:
    """Position -> functions turning the driver's value into the model's, only where the backend
    needs one (on SQLite: floats into Decimals, text into dates; JSON text everywhere)."""
    converters = {}
    for position, field in enumerate(fields):
        if field.name == SPLIT:
            converters[position] = ([_json_value], None)
            continue
        expression = field.get_col(DailyMetric._meta.db_table)
        functions = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
        if functions:
            converters[position] = (functions, expression)
    return converters


def _json_value(value, expression, connection):
    """The split as a dict; an empty one is None, as the upsert writes "no split"."""
    return (json.loads(value) if isinstance(value, str) else value) or None


def update_days(rows: list[tuple[int, dict]], provenance: dict) -> None:
    """Existing rows: (row id, {code: new value}) each; only those columns are set."""
    by_columns = defaultdict(list)
    for row_id, values in rows:
        by_columns[tuple(sorted(values))].append((row_id, values))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    fixed = [*(provenance[name] for name in PROVENANCE), now]
    with connection.cursor() as cursor:
        for codes, group in by_columns.items():
            columns = [*codes, *PROVENANCE, "updated_at"]
            assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
            params = [
                [
                    *(_split_json(values[code]) if code == SPLIT else values[code] for code in codes),
                    *fixed,
                    row_id,
                ]
                for row_id, values in group
            ]
            cursor.executemany(f"UPDATE {_table()} SET {assignments} WHERE id = %s", params)
