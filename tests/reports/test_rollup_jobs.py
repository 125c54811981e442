"""Rollup jobs: a change recomputes exactly what it touches; the nightly run fans out per store."""

import datetime as dt
from decimal import Decimal

import django_rq
import pytest
from django.utils import timezone
from rq import SimpleWorker

from opsdesk import queue
from opsdesk.models import BackgroundJob
from reports import jobs, services
from reports.models import OrganisationRollup, RollupRun, StoreRollup
from stores.models import DailyMetric, Store
from stores.services import DayValues, daily_metrics_upsert
from tests.factories import DailyMetricFactory, OrganisationFactory, StoreFactory

D = dt.date


@pytest.fixture
def two_years(db, jobs_in_process):
    """Two stores of one organisation with every day of 2025 and 2026 up to 21 November."""
    organisation = OrganisationFactory()
    stores = [StoreFactory(organisation=organisation) for _ in range(2)]
    day, last = D(2025, 1, 1), D(2026, 11, 21)
    rows = []
    while day <= last:
        rows += [DailyMetricFactory.build(store=store, date=day) for store in stores]
        day += dt.timedelta(days=1)
    DailyMetric.objects.bulk_create(rows)
    services.rollups_rebuild(stores=Store.objects.all())
    return stores


def _computed_at(model, **filters) -> dict:
    return {(row.kind, row.period_start): row.computed_at for row in model.objects.filter(**filters)}


def test_a_back_dated_edit_recomputes_its_day_week_month_quarter_and_year_and_nothing_else(
    two_years, django_capture_on_commit_callbacks
):
    store, other = two_years
    before = _computed_at(StoreRollup, store=store)
    other_before = _computed_at(StoreRollup, store=other)
    # Thursday 12 March 2026: W11, March, Q1, 2026.
    with django_capture_on_commit_callbacks(execute=True):
        daily_metrics_upsert(
            days=[DayValues(store_id=store.pk, date=D(2026, 3, 12), values={"gmv": Decimal("5000.00")})],
            source=DailyMetric.Source.MANUAL,
            user=None,
        )
    after = _computed_at(StoreRollup, store=store)
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {
        ("day", D(2026, 3, 12)),
        ("week", D(2026, 3, 9)),
        ("month", D(2026, 3, 1)),
        ("quarter", D(2026, 1, 1)),
        ("year", D(2026, 1, 1)),
    }
    assert _computed_at(StoreRollup, store=other) == other_before
    # 7 days at ¥4,500, one of them now ¥5,000: the week is ¥32,000 and the totals follow.
    week = StoreRollup.objects.get(store=store, kind="week", period_start=D(2026, 3, 9))
    assert week.gmv == Decimal("32000.00")
    total = OrganisationRollup.objects.get(
        organisation=store.organisation, kind="week", period_start=D(2026, 3, 9)
    )
    assert total.gmv == Decimal("63500.00")
    run = RollupRun.objects.get(trigger=RollupRun.Trigger.CHANGE, store__isnull=False)
    totals_run = RollupRun.objects.get(trigger=RollupRun.Trigger.CHANGE, store__isnull=True)
    assert (totals_run.status, totals_run.batch) == (RollupRun.Status.DONE, run.batch)
    assert (run.store, run.status, run.first_day, run.attempts) == (
        store,
        RollupRun.Status.DONE,
        D(2026, 3, 12),
        1,
    )


def test_removing_every_day_of_a_period_removes_its_rollup(two_years):
    store = two_years[0]
    DailyMetric.objects.filter(store=store, date__range=(D(2025, 2, 1), D(2025, 2, 28))).delete()
    services.store_rollups_refresh(store_id=store.pk, days=[D(2025, 2, 14)])
    assert not StoreRollup.objects.filter(store=store, kind="month", period_start=D(2025, 2, 1)).exists()
    assert (
        StoreRollup.objects.get(store=store, kind="year", period_start=D(2025, 1, 1)).store_days == 365 - 28
    )


def test_the_nightly_run_rolls_up_yesterday_for_every_active_store(
    two_years, django_capture_on_commit_callbacks
):
    store, other = two_years
    Store.objects.filter(pk=other.pk).update(active=False)
    StoreRollup.objects.all().delete()
    OrganisationRollup.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        queued = jobs.rollup_nightly("2026-11-21")
    assert queued == 1
    assert set(StoreRollup.objects.values_list("store_id", "kind", "period_start")) == {
        (store.pk, "day", D(2026, 11, 21)),
        (store.pk, "week", D(2026, 11, 16)),
        (store.pk, "month", D(2026, 11, 1)),
        (store.pk, "quarter", D(2026, 10, 1)),
        (store.pk, "year", D(2026, 1, 1)),
    }
    assert OrganisationRollup.objects.count() == 5
    assert set(RollupRun.objects.values_list("store_id", "status")) == {
        (store.pk, RollupRun.Status.DONE),
        (None, RollupRun.Status.DONE),
    }


def test_running_the_nightly_job_twice_changes_nothing(two_years, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.rollup_nightly("2026-11-21")
    columns = ["store_id", "kind", "period_start", "store_days", "gmv", "uv", "dsr_item"]
    first = sorted(StoreRollup.objects.values_list(*columns))
    with django_capture_on_commit_callbacks(execute=True):
        jobs.rollup_nightly("2026-11-21")
    assert sorted(StoreRollup.objects.values_list(*columns)) == first


def test_the_totals_wait_for_the_last_store_of_the_night(two_years, django_capture_on_commit_callbacks):
    store, other = two_years
    night = {
        "trigger": RollupRun.Trigger.NIGHTLY,
        "batch": "nightly:test",
        "first_day": D(2026, 11, 21),
        "last_day": D(2026, 11, 21),
    }
    totals = RollupRun.objects.create(organisation=store.organisation, **night)
    first = RollupRun.objects.create(organisation=store.organisation, store=store, **night)
    last = RollupRun.objects.create(organisation=store.organisation, store=other, **night)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.rollup_run_execute(first.pk)
    totals.refresh_from_db()
    assert totals.status == RollupRun.Status.QUEUED, "one store is still to come"
    with django_capture_on_commit_callbacks(execute=True):
        jobs.rollup_run_execute(last.pk)
    totals.refresh_from_db()
    assert totals.status == RollupRun.Status.DONE


def test_a_failed_run_is_recorded_and_its_job_tried_again_later(
    two_years, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    real_refresh = services.store_rollups_refresh
    monkeypatch.setattr(services, "store_rollups_refresh", broken)
    store = two_years[0]
    run = RollupRun.objects.create(
        organisation=store.organisation,
        store=store,
        trigger=RollupRun.Trigger.NIGHTLY,
        first_day=D(2026, 11, 21),
        last_day=D(2026, 11, 21),
    )
    with django_capture_on_commit_callbacks(execute=True):
        jobs._run_enqueue([run])  # runs in this process once committed

    run.refresh_from_db()
    assert run.status == RollupRun.Status.FAILED
    assert "database went away" in run.error
    job = BackgroundJob.objects.get(name="reports.jobs.rollup_run_execute")
    assert (job.status, job.attempts, job.max_attempts) == ("waiting", 1, jobs.ATTEMPTS)
    assert job.not_before > timezone.now() + dt.timedelta(seconds=25), "the second try waits 30 s"

    monkeypatch.setattr(services, "store_rollups_refresh", real_refresh)
    assert queue.jobs_sweep().delivered == 0, "not before its time"
    BackgroundJob.objects.filter(pk=job.pk).update(not_before=timezone.now())
    assert queue.jobs_sweep().delivered == 1
    run.refresh_from_db()
    assert (run.status, run.attempts, run.error) == (RollupRun.Status.DONE, 2, "")


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_processes_the_nightly_fan_out(two_years, redis_queue):
    # Committed data, as a real worker sees it: the last store's job queues the totals.
    StoreRollup.objects.all().delete()
    OrganisationRollup.objects.all().delete()
    assert jobs.rollup_nightly("2026-11-21") == 2
    nightly = django_rq.get_queue("nightly")
    assert nightly.count == 2, "the organisation's totals wait for its stores"
    SimpleWorker([nightly], connection=nightly.connection).work(burst=True)
    assert StoreRollup.objects.filter(kind="day", period_start=D(2026, 11, 21)).count() == 2
    total = OrganisationRollup.objects.get(kind="day", period_start=D(2026, 11, 21))
    assert total.gmv == Decimal("9000.00")
    assert set(RollupRun.objects.values_list("status", flat=True)) == {RollupRun.Status.DONE}


def test_a_change_to_several_stores_sums_the_organisation_once(two_years, django_capture_on_commit_callbacks):
    store, other = two_years
    with django_capture_on_commit_callbacks(execute=True):
        daily_metrics_upsert(
            days=[
                DayValues(store_id=store.pk, date=D(2026, 3, 12), values={"gmv": Decimal("5000.00")}),
                DayValues(store_id=other.pk, date=D(2026, 3, 13), values={"gmv": Decimal("5500.00")}),
            ],
            source=DailyMetric.Source.MANUAL,
            user=None,
        )
    runs = RollupRun.objects.filter(trigger=RollupRun.Trigger.CHANGE)
    assert runs.filter(store__isnull=False).count() == 2
    (totals,) = runs.filter(store__isnull=True)
    assert (totals.status, totals.days) == (RollupRun.Status.DONE, ["2026-03-12", "2026-03-13"])
    week = OrganisationRollup.objects.get(
        organisation=store.organisation, kind="week", period_start=D(2026, 3, 9)
    )
    assert week.gmv == Decimal("64500.00")  # 14 days at ¥4,500, one at ¥5,000, one at ¥5,500
