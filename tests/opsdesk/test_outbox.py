"""Background jobs are rows first (opsdesk.queue, docs/jobs.md): written with the change that
needs them, run once it commits, tried again when they raise or their worker dies, and failed
for good, with the reason, after their last attempt. Here without Redis (jobs run in this
process); tests/opsdesk/test_redis_outage.py and tests/reports/test_rollup_worker_killed.py
do the same with a real Redis and real workers."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from opsdesk import queue
from opsdesk.models import BackgroundJob
from reports import jobs as reports_jobs
from reports.models import RollupRun
from stores.models import DailyMetric

pytestmark = pytest.mark.django_db

CALLS: list = []
FAILURES: list = []


def recorded(value: int) -> int:
    CALLS.append(value)
    return value


def broken(value: int) -> None:
    CALLS.append(value)
    raise RuntimeError(f"broken {value}")


def broken_failed(value: int, *, reason: str) -> None:
    FAILURES.append((value, reason.splitlines()[-1]))


@pytest.fixture(autouse=True)
def fresh_calls(jobs_in_process):
    CALLS.clear()
    FAILURES.clear()


def test_a_job_is_written_with_its_transaction_and_runs_once_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = queue.enqueue(recorded, 7)
        assert CALLS == [], "nothing runs before the commit"
    job.refresh_from_db()
    assert CALLS == [7]
    assert (job.name, job.args, job.status, job.attempts) == (
        "tests.opsdesk.test_outbox.recorded",
        [7],
        "done",
        1,
    )


def test_a_job_rolled_back_with_its_change_never_runs(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            queue.enqueue(recorded, 7)
            raise ZeroDivisionError("the change failed")
    assert CALLS == [] and not BackgroundJob.objects.exists()


def test_a_job_runs_once_however_often_it_is_delivered():
    job = queue.enqueue(recorded, 7)  # in the test's transaction: not delivered yet
    queue.job_run(job.pk)
    queue.job_run(job.pk)
    assert CALLS == [7]


def test_only_a_module_level_function_can_be_a_job():
    with pytest.raises(ValueError, match="module-level"):
        queue.enqueue(lambda: None)


def _due_now(job: BackgroundJob) -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(not_before=timezone.now())


def test_a_job_that_raises_waits_30_s_2_min_and_10_min_between_attempts_then_fails_with_its_reason(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        job = queue.enqueue(broken, 3, attempts=4, on_failure=broken_failed)
    waits = []
    for _ in range(3):
        job.refresh_from_db()
        assert job.status == "waiting" and "RuntimeError: broken 3" in job.error
        waits.append(round((job.not_before - timezone.now()).total_seconds() / 10) * 10)
        _due_now(job)
        queue.jobs_sweep()
    assert waits == [30, 120, 600]
    job.refresh_from_db()
    assert (job.status, job.attempts, CALLS) == ("failed", 4, [3, 3, 3, 3])
    assert FAILURES == [(3, "RuntimeError: broken 3")]


def _abandon(job: BackgroundJob, **changes) -> None:
    """The job as a worker killed in its middle leaves it: running, its heartbeat stopped."""
    a_while_ago = timezone.now() - dt.timedelta(seconds=61)
    state = {"status": "running", "attempts": 1, "started_at": a_while_ago, "heartbeat_at": a_while_ago}
    BackgroundJob.objects.filter(pk=job.pk).update(**(state | changes))


def test_a_running_job_whose_heartbeat_stopped_is_taken_back_and_run_at_once():
    job = queue.enqueue(recorded, 5, attempts=2)
    _abandon(job)
    assert queue.jobs_sweep() == queue.SweepOutcome(abandoned=1, delivered=1)
    job.refresh_from_db()
    assert (job.status, job.attempts, CALLS) == ("done", 2, [5])


def test_a_job_still_beating_is_left_alone_until_its_time_limit(settings):
    job = queue.enqueue(recorded, 5, attempts=2)
    _abandon(job, heartbeat_at=timezone.now())
    assert queue.jobs_sweep() == queue.SweepOutcome()
    BackgroundJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=settings.JOB_TIME_LIMIT + 1)
    )
    assert queue.jobs_sweep().abandoned == 1
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2


def test_a_stuck_rollup_fails_with_its_reason_and_the_jobs_page_shows_it_with_a_re_run_button(
    personas, client_for
):
    """Its worker died on each of its 4 attempts: the run ends failed, not "running" for ever."""
    store = personas.store_a
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    reports_jobs.rollups_after_change(store_dates={store.pk: {yesterday}})
    run = RollupRun.objects.get(store=store)
    job = BackgroundJob.objects.get(name="reports.jobs.rollup_run_execute", args=[run.pk])
    RollupRun.objects.filter(pk=run.pk).update(status=RollupRun.Status.RUNNING, attempts=4)

    client = client_for(personas.lead)
    page = client.get(reverse("reports:rollup_status")).content.decode()
    waiting = page[page.index("等待或进行中") : page.index("近 7 天的失败")]
    assert store.name in waiting and "进行中" in waiting
    assert f"最多共 {reports_jobs.ATTEMPTS} 次" in waiting

    _abandon(job, attempts=reports_jobs.ATTEMPTS, max_attempts=reports_jobs.ATTEMPTS)
    assert queue.jobs_sweep().abandoned == 1
    run.refresh_from_db()
    assert run.status == RollupRun.Status.FAILED and run.error == queue.ABANDONED
    page = client.get(reverse("reports:rollup_status")).content.decode()
    failures = page[page.index("近 7 天的失败") :]
    assert queue.ABANDONED in failures and reverse("reports:rollup_rerun", args=[run.pk]) in failures
    # Failed, it counts as finished: the organisation's totals were queued after it (and the
    # same sweep ran them).
    totals = RollupRun.objects.get(store__isnull=True, batch=run.batch)
    assert totals.status == RollupRun.Status.DONE


def test_done_jobs_are_kept_a_week_and_failed_ones_90_days():
    old = timezone.now() - dt.timedelta(days=8)
    done, failed = (queue.enqueue(recorded, value) for value in (1, 2))
    BackgroundJob.objects.filter(pk=done.pk).update(status="done", finished_at=old)
    BackgroundJob.objects.filter(pk=failed.pk).update(status="failed", finished_at=old)
    queue.jobs_sweep()
    assert list(BackgroundJob.objects.values_list("pk", flat=True)) == [failed.pk]


def test_healthz_without_redis_says_it_is_not_used(client):
    queue.enqueue(recorded, 1)
    health = client.get(reverse("healthz")).json()
    assert health["status"] == "ok" and health["redis"] == "not used"
    assert health["jobs_waiting"] == 1 and health["oldest_job_seconds"] == 0


def test_healthz_without_its_database_is_down(client, monkeypatch):
    def refused(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", refused)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json()["status"] == "down"


def test_import_metrics_succeeds_when_its_rows_are_in_whatever_the_queue_does(personas, tmp_path, own_redis):
    own_redis.stop()
    path = tmp_path / "店铺整体.csv"
    path.write_text("统计日期,访客数,支付金额\n2026-11-01,1000,4500\n", encoding="utf-8")
    call_command("import_metrics", str(path), "--store", personas.store_a.slug)
    assert DailyMetric.objects.filter(store=personas.store_a).count() == 1
    assert BackgroundJob.objects.filter(name="reports.jobs.rollup_run_execute", status="waiting").exists()
