"""The item days' monthly partitions (docs/items.md#partitions): on PostgreSQL the table is
partitioned by month, partitions are made ahead by a daily job, twice or at once without harm,
and a row of a month without one is refused until its month is ensured; on SQLite there is one
plain table and nothing to do."""

import datetime as dt
import threading
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from stores import jobs, metric_sql, periods
from stores.metric_sql import partitions
from stores.models import Item, ItemDaily, MetricSource
from stores.periods import PeriodKind
from tests.factories import StoreFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the item days are partitioned on PostgreSQL only"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plain table")
# Months no other test makes partitions for.
JULY_2031 = dt.date(2031, 7, 1)


def _item() -> Item:
    return Item.seen(store=StoreFactory(), platform_id="600000000001", day=JULY_2031, name="测试商品")


def _add_day(item: Item, date: dt.date) -> None:
    ItemDaily.objects.create(item=item, date=date, visitors=1, source=MetricSource.IMPORT)


def _partition_of(item: Item, date: dt.date) -> str:
    table = connection.ops.quote_name(ItemDaily._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tableoid::regclass::text FROM {table} WHERE item_id = %s AND date = %s", [item.pk, date]
        )
        return cursor.fetchone()[0]


def _months_from_this_one(count: int) -> list[dt.date]:
    month = periods.period_containing(PeriodKind.MONTH, periods.today())
    months = []
    for _ in range(count):
        months.append(month.start)
        month = periods.next_period(month)
    return months


@on_postgresql
@pytest.mark.django_db
def test_the_item_days_are_partitioned_by_range_of_date():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_partkeydef(%s::regclass)", [ItemDaily._meta.db_table])
        assert cursor.fetchone()[0] == "RANGE (date)"


@on_postgresql
@pytest.mark.django_db
def test_the_job_makes_this_month_and_the_next_three_and_a_second_run_nothing():
    expected = _months_from_this_one(4)
    made = jobs.item_partitions_ahead()
    assert made == [f"{month:%Y-%m}" for month in expected]
    listed = metric_sql.item_partitions_list()
    assert [(p.name, p.start) for p in listed] == [(partitions.partition_name(m), m) for m in expected]
    assert all(
        p.end == periods.next_period(periods.period_containing(PeriodKind.MONTH, p.start)).start
        for p in listed
    )
    assert jobs.item_partitions_ahead() == [], "run again: nothing to make, nothing fails"
    assert metric_sql.item_partitions_list() == listed
    assert all(partition.start is not None for partition in listed), "no DEFAULT partition"


@on_postgresql
@pytest.mark.django_db
def test_a_row_of_a_month_without_a_partition_is_refused_until_the_month_is_ensured():
    item = _item()
    with pytest.raises(IntegrityError, match="no partition"), transaction.atomic():
        _add_day(item, dt.date(2031, 7, 15))
    assert metric_sql.item_partitions_ensure(months=[dt.date(2031, 7, 15)]) == [JULY_2031], "any day of it"
    _add_day(item, dt.date(2031, 7, 1))
    _add_day(item, dt.date(2031, 7, 31))
    assert _partition_of(item, dt.date(2031, 7, 1)) == "stores_itemdaily_y2031m07"
    assert _partition_of(item, dt.date(2031, 7, 31)) == "stores_itemdaily_y2031m07"
    with pytest.raises(IntegrityError), transaction.atomic():
        _add_day(item, dt.date(2031, 8, 1))  # the next month is a partition of its own


@on_postgresql
@pytest.mark.django_db
def test_every_partition_has_the_tables_keys_and_checks():
    metric_sql.item_partitions_ensure(months=[JULY_2031])
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'stores_itemdaily_y2031m07'")
        definitions = sorted(row[0].split(" USING ")[1] for row in cursor.fetchall())
    assert definitions == ["btree (item_id, date)", "btree (store_id, date)"]
    item = _item()
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemDaily.objects.create(item=item, date=JULY_2031, visitors=-1, source=MetricSource.IMPORT)


@on_postgresql
@pytest.mark.django_db(transaction=True)  # two real connections, each committing its own work
def test_two_runs_at_once_make_each_partition_once_and_neither_fails(monkeypatch):
    """Both runs find the months missing before either makes one (the barrier holds each after
    its first look until the other has looked too); the advisory lock then lets one make them,
    and the other finds them made."""
    months = [dt.date(2032, 1, 1), dt.date(2032, 2, 1)]
    looked = threading.Barrier(2, timeout=10)
    first_look = threading.local()
    missing = partitions._missing

    def missing_after_both_looked(wanted):
        found = missing(wanted)
        if not getattr(first_look, "done", False):
            first_look.done = True
            looked.wait()
        return found

    monkeypatch.setattr(partitions, "_missing", missing_after_both_looked)
    outcome, errors = [], []

    def ensure():
        try:
            outcome.append(metric_sql.item_partitions_ensure(months=months))
        except Exception as error:  # noqa: BLE001 - the test reports it
            errors.append(error)
        finally:
            connection.close()

    runs = [threading.Thread(target=ensure) for _ in range(2)]
    try:
        for run in runs:
            run.start()
        for run in runs:
            run.join(timeout=30)
        assert errors == []
        assert sorted(outcome) == [[], months], "one run made both, the other none"
        assert [p.start for p in metric_sql.item_partitions_list()] == months
    finally:
        with connection.cursor() as cursor:
            for month in months:
                cursor.execute(f"DROP TABLE IF EXISTS {partitions.partition_name(month)}")


@on_sqlite
@pytest.mark.django_db
def test_on_sqlite_there_is_nothing_to_partition_and_any_month_takes_rows():
    assert jobs.item_partitions_ahead() == []
    assert metric_sql.item_partitions_ensure(months=[JULY_2031]) == []
    assert metric_sql.item_partitions_list() == []
    item = _item()
    _add_day(item, dt.date(2031, 7, 15))
    _add_day(item, dt.date(2039, 1, 1))
    assert ItemDaily.objects.filter(item=item).count() == 2


def test_the_job_runs_daily_at_0115_shanghai(monkeypatch):
    from django_rq.cron import DjangoCronScheduler

    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    scheduler = DjangoCronScheduler()
    scheduler.load_config_from_file("opsdesk/schedule.py")
    (job,) = [job for job in scheduler.get_jobs() if job.func_name.endswith("item_partitions_ahead")]
    assert (job.cron, job.queue_name) == ("15 17 * * *", "default"), "17:15 UTC is 01:15 in Shanghai"
