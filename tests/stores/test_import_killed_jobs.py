"""A background import whose job dies does not leave its batch "running" for ever.

A real RQ worker runs in another process against Redis (REDIS_URL, db 15 in CI) and the test
database, and the import dies in the middle, killed with SIGKILL as the kernel's out-of-memory
killer does: RQ then runs no callback. The job's heartbeat stops with it; once it is older than
JOB_ABANDONED_AFTER the sweeper (which every worker runs) fails the job, and with it the batch.
An import is not retried: a file that killed one worker would likely kill the next.
"""

import contextlib
import functools
import signal
import time

import django_rq
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from opsdesk import queue
from opsdesk.models import BackgroundJob
from stores.models import DailyMetric, ImportBatch
from tests.workers import needs_postgresql, worker_run

CSV = "统计日期,访客数,支付金额\n2026-11-01,1000,4500\n2026-11-02,1100,4700\n".encode()

# A worker process whose imports die in the middle, killed as the out-of-memory killer would.
KILLED = """
import os, signal, sys
import django
django.setup()
from django_rq import get_worker
from stores.imports import services

def killed(**_options):
    os.kill(os.getpid(), signal.SIGKILL)

services.parse_metrics_file = killed
get_worker("default", worker_class=sys.argv[1]).work(burst=True)
"""


@pytest.fixture
def worker_database(transactional_db):
    """The test database, committed, so that a worker in another process sees it."""
    needs_postgresql()


def _run_worker(worker_class: str) -> None:
    worker = worker_run(KILLED, worker_class, redis_url=settings.REDIS_URL)
    assert worker.returncode in (0, -signal.SIGKILL), worker.stderr.decode()[-2000:]


def _upload_in_the_background(client, store, committed=contextlib.nullcontext) -> ImportBatch:
    """Upload through the page; the check goes to a job when the request's transaction commits
    (`committed`: in a test wrapped in one transaction, the capture that runs its callbacks)."""
    with override_settings(IMPORT_INLINE_MAX_BYTES=10), committed():
        client.post(
            reverse("imports:list"), {"store": store.pk, "file": SimpleUploadedFile("店铺整体.csv", CSV)}
        )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.RUNNING
    return batch


def _after_the_heartbeat_stops() -> None:
    """What the next sweep finds once JOB_ABANDONED_AFTER has passed (here 1 s)."""
    time.sleep(1.1)
    queue.jobs_sweep()


def _progress(client, batch) -> str:
    return client.get(reverse("imports:progress", args=[batch.pk])).json()["status"]


@pytest.mark.redis
@override_settings(JOB_ABANDONED_AFTER=1)
@pytest.mark.parametrize(
    "worker_class",
    [
        "opsdesk.worker.Worker",  # forks a work horse per job: the horse dies
        "opsdesk.worker.SimpleWorker",  # runs the job in its own process: all of it dies
    ],
)
def test_a_killed_import_leaves_its_batch_failed_and_nothing_saved(
    worker_database, redis_queue, personas, client_for, worker_class
):
    client = client_for(personas.operator)
    batch = _upload_in_the_background(client, personas.store_a)
    assert redis_queue.count == 1

    _run_worker(worker_class)
    assert _progress(client, batch) == "running", "nothing has looked yet"

    _after_the_heartbeat_stops()

    assert _progress(client, batch) == "failed"
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "导入未完成就中止了，没有保存任何内容。" in page and "<progress" not in page
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.finished_at is not None
    job = BackgroundJob.objects.get()
    assert (job.status, job.attempts, job.error) == ("failed", 1, queue.ABANDONED)
    assert not DailyMetric.objects.exists()


@pytest.mark.redis
@override_settings(JOB_ABANDONED_AFTER=1)
def test_a_killed_apply_leaves_its_batch_failed_and_nothing_applied(
    worker_database, redis_queue, personas, client_for
):
    client = client_for(personas.operator)
    batch = _upload_in_the_background(client, personas.store_a)
    django_rq.get_worker("default", worker_class="opsdesk.worker.SimpleWorker").work(burst=True)  # the check
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    with override_settings(IMPORT_INLINE_MAX_BYTES=10):
        client.post(reverse("imports:apply", args=[batch.pk]))

    _run_worker("opsdesk.worker.Worker")
    _after_the_heartbeat_stops()

    assert _progress(client, batch) == "failed"
    assert not DailyMetric.objects.exists()


@pytest.mark.redis
@override_settings(JOB_ABANDONED_AFTER=0)
def test_a_job_redis_has_lost_is_delivered_again(
    redis_queue, personas, client_for, django_capture_on_commit_callbacks
):
    client = client_for(personas.operator)
    committed = functools.partial(django_capture_on_commit_callbacks, execute=True)
    batch = _upload_in_the_background(client, personas.store_a, committed)
    assert redis_queue.count == 1
    redis_queue.empty()  # the job is gone, as with a Redis that lost its data

    assert queue.jobs_sweep().lost == 1
    assert redis_queue.count == 1, "delivered again"
    django_rq.get_worker("default", worker_class="opsdesk.worker.SimpleWorker").work(burst=True)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED


@pytest.mark.redis
@override_settings(JOB_ABANDONED_AFTER=0)
def test_a_job_that_waits_its_turn_is_left_alone(
    redis_queue, personas, client_for, django_capture_on_commit_callbacks
):
    client = client_for(personas.operator)
    committed = functools.partial(django_capture_on_commit_callbacks, execute=True)
    batch = _upload_in_the_background(client, personas.store_a, committed)
    assert queue.jobs_sweep() == queue.SweepOutcome()
    assert redis_queue.count == 1
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING
