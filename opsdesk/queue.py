"""The one way OpsDesk starts a background job.

With REDIS_URL set, a job goes to an RQ queue (django-rq enqueues it when the surrounding
transaction commits) and an `rqworker` runs it, retrying it as `retry` says. Without REDIS_URL
(the demo, a laptop) the job runs synchronously in this process once the transaction commits,
in the order jobs were queued; a failure there is logged, not raised into the page that queued
the job.
"""

from collections.abc import Callable

import django_rq
from django.conf import settings
from django.db import transaction
from rq import Callback, Retry


def redis_enabled() -> bool:
    return bool(settings.REDIS_URL)


def enqueue(
    func: Callable,
    *args,
    queue_name: str = "default",
    retry: Retry | None = None,
    job_id: str | None = None,
    on_failure: Callable | None = None,
    **kwargs,
) -> str | None:
    """Start `func(*args, **kwargs)`; the job's id (`job_id` when given) with Redis, else None.
    `on_failure(job, connection, type, value, traceback)` runs, in RQ, when the job raises or
    is found abandoned (its worker gone); not when its work horse is killed (RQ then only marks
    the job failed: see job_status)."""
    if redis_enabled():
        failure = Callback(on_failure) if on_failure is not None else None
        job = django_rq.get_queue(queue_name).enqueue_call(
            func, args=args, kwargs=kwargs, retry=retry, job_id=job_id, on_failure=failure
        )
        return job.id if job is not None else job_id  # None: queued when the transaction commits
    transaction.on_commit(lambda: func(*args, **kwargs), robust=True)
    return None


def job_status(job_id: str, *, queue_name: str = "default") -> str | None:
    """What RQ says of a job: "queued", "started", "finished", "failed", "stopped",
    "canceled"…; None when it knows no such job (not queued yet, expired, lost) or without Redis."""
    if not redis_enabled():
        return None
    job = django_rq.get_queue(queue_name).fetch_job(job_id)
    status = job.get_status(refresh=False) if job is not None else None
    return status.value if status is not None else None
