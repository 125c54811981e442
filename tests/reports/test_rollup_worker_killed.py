"""A real `rqworker` killed with SIGKILL in the middle of a rollup: no period is left half
written, and once a worker runs again the sweeper hands the rollup back and it completes. A
running worker sweeps at start-up and every MAINTENANCE_INTERVAL (opsdesk.worker), so an
abandoned job is retried within JOB_ABANDONED_AFTER (60 s; here 2 s) plus at most that
interval (30 s)."""

import datetime as dt
import os
import signal
import time
from decimal import Decimal

import pytest

from opsdesk import worker as opsdesk_worker
from opsdesk.models import BackgroundJob
from reports import services
from reports.models import OrganisationRollup, RollupRun, StoreRollup
from stores.models import DailyMetric
from stores.services import DayValues, daily_metrics_upsert
from tests.factories import DailyMetricFactory, StoreFactory
from tests.workers import needs_postgresql, worker_start

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

MONDAY = dt.date(2026, 11, 16)
# rqworker as docker-compose runs it, but its rollups stop for good after deleting the periods
# they replace, inside their transaction, until the worker is killed.
STALLING = """
import os, time
import django
django.setup()
from django.core.management import call_command
from reports import rollup_sql

def stalled(**_arguments):
    print(os.getpid(), flush=True)  # the work horse's
    time.sleep(3600)

rollup_sql.store_rollups_insert = stalled
call_command("rqworker", "default", "--worker-class", "opsdesk.worker.Worker")
"""
WORKER = """
import django
django.setup()
from django.core.management import call_command
call_command("rqworker", "default", "--worker-class", "opsdesk.worker.Worker")
"""
TIMINGS = {"JOB_HEARTBEAT_SECONDS": "1", "JOB_ABANDONED_AFTER": "2"}


def _wait_for(condition, seconds: float) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not within {seconds} s")
        time.sleep(0.2)
    return time.monotonic() - started


def _week(store) -> Decimal:
    return StoreRollup.objects.get(store=store, kind="week", period_start=MONDAY).gmv


def test_a_worker_killed_mid_rollup_leaves_whole_periods_and_the_rollup_completes(own_redis):
    needs_postgresql()
    store = StoreFactory()
    for offset in range(7):
        DailyMetricFactory(store=store, date=MONDAY + dt.timedelta(days=offset), gmv=Decimal("4500.00"))
    services.rollups_rebuild(stores=type(store).objects.all())
    assert _week(store) == Decimal("31500.00")

    stalling = worker_start(STALLING, redis_url=own_redis.url, **TIMINGS)
    try:
        daily_metrics_upsert(
            days=[DayValues(store_id=store.pk, date=MONDAY, values={"gmv": Decimal("5000.00")})],
            source=DailyMetric.Source.MANUAL,
        )
        work_horse = int(stalling.stdout.readline())
        assert RollupRun.objects.get(store=store).status == RollupRun.Status.RUNNING
    finally:
        # The worker and its work horse (which RQ puts in a session of its own).
        os.killpg(stalling.pid, signal.SIGKILL)
        stalling.wait()
    os.kill(work_horse, signal.SIGKILL)

    # Its transaction died with it: the week is the old one, whole, not deleted nor half new.
    assert _week(store) == Decimal("31500.00")
    assert StoreRollup.objects.filter(store=store).count() == 11  # 7 days, the week, month, quarter, year
    job = BackgroundJob.objects.get(
        name="reports.jobs.rollup_run_execute", args=[RollupRun.objects.get(store=store).pk]
    )
    assert job.status == "running", "until a sweep finds its heartbeat stopped"

    time.sleep(float(TIMINGS["JOB_ABANDONED_AFTER"]) + 0.5)  # its heartbeat is stale by now
    restarted = worker_start(WORKER, redis_url=own_redis.url, **TIMINGS)
    try:
        took = _wait_for(
            lambda: not RollupRun.objects.filter(status__in=RollupRun.UNFINISHED).exists(),
            seconds=opsdesk_worker.MAINTENANCE_INTERVAL + 30,
        )
    finally:
        restarted.terminate()
        _, log = restarted.communicate(timeout=30)
        print(log.decode()[-5000:])

    assert took < 15, "the worker's start-up sweep hands it back"
    assert set(RollupRun.objects.values_list("status", flat=True)) == {RollupRun.Status.DONE}
    run = RollupRun.objects.get(store=store)
    assert run.attempts == 2
    assert _week(store) == Decimal("32000.00")  # 6 days at ¥4,500 and the new ¥5,000
    total = OrganisationRollup.objects.get(organisation=store.organisation, kind="week", period_start=MONDAY)
    assert total.gmv == Decimal("32000.00")
