"""A background import whose job dies does not leave its batch "running" for ever.

A real RQ worker runs in another process against Redis (REDIS_URL, db 15 in CI) and the test
database, and the import's work horse is killed with SIGKILL in the middle of the import, as
the kernel's out-of-memory killer does: RQ then runs no callback, only marks the job failed.
The batch's page and its progress answer must say it failed. When the whole worker dies, RQ
later finds the job abandoned and runs its on_failure, which fails the batch without anyone
looking. A job Redis has lost altogether fails its batch after a grace period.
"""

import contextlib
import functools
import os
import subprocess
import sys
import time
from pathlib import Path

import django_rq
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from rq.registry import StartedJobRegistry

from stores import jobs
from stores.models import DailyMetric, ImportBatch

ROOT = Path(__file__).resolve().parents[2]
CSV = "统计日期,访客数,支付金额\n2026-11-01,1000,4500\n2026-11-02,1100,4700\n".encode()

# A worker process whose imports die in the middle, killed as the out-of-memory killer would.
WORKER = """
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


def _database_url() -> str:
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


def _run_worker(worker_class: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
    }
    return subprocess.run(
        [sys.executable, "-c", WORKER, worker_class], cwd=ROOT, env=env, capture_output=True, timeout=120
    )


@pytest.fixture
def worker_database(transactional_db):
    """The test database, committed, so that a worker in another process sees it (PostgreSQL:
    the SQLite test database lives in this process's memory)."""
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs the PostgreSQL test database")


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


@pytest.mark.redis
def test_a_killed_work_horse_leaves_its_batch_failed(worker_database, redis_queue, personas, client_for):
    client = client_for(personas.operator)
    batch = _upload_in_the_background(client, personas.store_a)
    assert redis_queue.count == 1

    worker = _run_worker("rq.worker.Worker")  # forks a work horse per job, as rqworker does

    assert worker.returncode == 0, worker.stderr.decode()[-2000:]
    assert b"Work-horse terminated unexpectedly" in worker.stderr
    assert client.get(reverse("imports:progress", args=[batch.pk])).json()["status"] == "failed"
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "导入未完成就中止了，没有保存任何内容。" in page and "<progress" not in page
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.finished_at is not None
    assert not DailyMetric.objects.exists()


@pytest.mark.redis
def test_a_killed_apply_leaves_its_batch_failed_and_nothing_applied(
    worker_database, redis_queue, personas, client_for
):
    client = client_for(personas.operator)
    batch = _upload_in_the_background(client, personas.store_a)
    django_rq.get_worker("default", worker_class="rq.worker.SimpleWorker").work(burst=True)  # the check
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    with override_settings(IMPORT_INLINE_MAX_BYTES=10):
        client.post(reverse("imports:apply", args=[batch.pk]))

    _run_worker("rq.worker.Worker")

    assert client.get(reverse("imports:progress", args=[batch.pk])).json()["status"] == "failed"
    assert not DailyMetric.objects.exists()


@pytest.mark.redis
def test_a_worker_that_dies_whole_has_its_batch_failed_by_rq(
    worker_database, redis_queue, personas, client_for
):
    client = client_for(personas.operator)
    batch = _upload_in_the_background(client, personas.store_a)

    _run_worker("rq.worker.SimpleWorker")  # runs the job in its own process: all of it dies

    # RQ still takes the job for running; the page says so too, for now.
    assert client.get(reverse("imports:progress", args=[batch.pk])).json()["status"] == "running"
    # Later another worker's maintenance finds it abandoned and runs its on_failure.
    StartedJobRegistry(queue=redis_queue).cleanup(timestamp=time.time() + 10**6)
    batch.refresh_from_db()  # nobody looked at the page
    assert batch.status == ImportBatch.Status.FAILED
    assert not DailyMetric.objects.exists()


@pytest.mark.redis
def test_a_job_redis_has_lost_fails_its_batch_after_the_grace_period(
    redis_queue, personas, client_for, django_capture_on_commit_callbacks
):
    client = client_for(personas.operator)
    committed = functools.partial(django_capture_on_commit_callbacks, execute=True)
    batch = _upload_in_the_background(client, personas.store_a, committed)
    assert redis_queue.count == 1
    assert client.get(reverse("imports:progress", args=[batch.pk])).json()["status"] == "running"
    redis_queue.empty()  # the job is gone, as with a Redis that lost its data

    assert client.get(reverse("imports:progress", args=[batch.pk])).json()["status"] == "running"
    cache.set(jobs.running_since_key(batch.pk), time.time() - jobs.LOST_JOB_GRACE - 1)
    assert client.get(reverse("imports:progress", args=[batch.pk])).json()["status"] == "failed"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED


@pytest.mark.redis
def test_a_queued_job_keeps_its_batch_running(
    redis_queue, personas, client_for, django_capture_on_commit_callbacks
):
    client = client_for(personas.operator)
    committed = functools.partial(django_capture_on_commit_callbacks, execute=True)
    batch = _upload_in_the_background(client, personas.store_a, committed)
    assert redis_queue.count == 1
    cache.set(jobs.running_since_key(batch.pk), time.time() - 3600)  # long queued, still there
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING
