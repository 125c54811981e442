"""The monthly partitions of the item days (ItemDaily) on PostgreSQL (docs/items.md#partitions).

stores_itemdaily is partitioned by range of date, one partition a month, named
stores_itemdaily_y2026m12 and holding 2026-12-01 up to (not including) 2027-01-01. There is no
DEFAULT partition: once it held a row of a month, that month's partition could no longer be
created without moving the rows out of it. So a row of a month without a partition is refused
("no partition of relation … found for row"), and every writer ensures its months first. The
daily job (stores.jobs.item_partitions_ahead) makes this month's and the next 3 months', so a
writer normally finds them there and ensuring costs it one catalogue query.

On SQLite the item days are one plain table: there is nothing to partition, and both functions
do nothing.
"""

import datetime as dt
import re
from typing import NamedTuple

from django.db import connection, transaction

from stores import periods
from stores.models import ItemDaily
from stores.periods import PeriodKind

# Names the advisory lock under which partitions are made, one run at a time: any fixed number,
# the same in every process (17 for the issue that brought item days in).
PARTITIONS_LOCK = 170_017
_BOUNDS = re.compile(r"FROM \('(\d{4}-\d{2}-\d{2})'\) TO \('(\d{4}-\d{2}-\d{2})'\)")


class ItemPartition(NamedTuple):
    name: str
    start: dt.date | None  # the first day it holds; None for a DEFAULT partition (never made here)
    end: dt.date | None  # the day after the last


def _table() -> str:
    return ItemDaily._meta.db_table


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_after(month: dt.date) -> dt.date:
    return periods.period_containing(PeriodKind.MONTH, month).end + dt.timedelta(days=1)


def partition_name(month: dt.date) -> str:
    return f"{_table()}_y{month.year}m{month.month:02d}"


def item_partitions_list() -> list[ItemPartition]:
    """The partitions of the item days, oldest first ([] on SQLite)."""
    if connection.vendor != "postgresql":
        return []
    sql = (
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.quote_name(_table())])
        rows = cursor.fetchall()
    partitions = []
    for name, bound in rows:
        found = _BOUNDS.search(bound)
        start, end = (
            (dt.date.fromisoformat(found[1]), dt.date.fromisoformat(found[2])) if found else (None, None)
        )
        partitions.append(ItemPartition(name, start, end))
    return sorted(partitions, key=lambda partition: (partition.start or dt.date.min, partition.name))


def _missing(months: list[dt.date]) -> list[dt.date]:
    present = {partition.start for partition in item_partitions_list()}
    return [month for month in months if month not in present]


def item_partitions_ensure(*, months: list[dt.date]) -> list[dt.date]:
    """A partition for each month of `months` (any day of the month will do); returns the months
    whose partition this call made, [] when all were there (always on SQLite).

    Safe to run twice and at once: the partitions are made under an advisory lock, and who gets it
    second finds them made. Making a partition locks the whole item-days table (PostgreSQL takes
    an ACCESS EXCLUSIVE lock on the parent) until the transaction ends: inside an import's
    transaction that is the import's duration. Hence the job that makes them ahead at night, and
    the lock-free check first: a writer whose months are all there takes no lock at all.
    """
    if connection.vendor != "postgresql":
        return []
    wanted = sorted({_month(day) for day in months})
    if not _missing(wanted):
        return []
    table = connection.ops.quote_name(_table())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PARTITIONS_LOCK])
        made = _missing(wanted)  # again, under the lock: the run before this one may have made them
        for month in made:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {connection.ops.quote_name(partition_name(month))} "
                f"PARTITION OF {table} "
                f"FOR VALUES FROM ('{month.isoformat()}') TO ('{_month_after(month).isoformat()}')"
            )
    return made
