"""The one way OpsDesk starts a background job (docs/jobs.md).

`enqueue` writes the job as a BackgroundJob row in the current transaction (the outbox) and,
once the transaction commits, delivers it: to an RQ queue with REDIS_URL set, where an
`rqworker` runs it; without REDIS_URL (the demo, a laptop) by running it in this process.
A delivery that fails (Redis down) loses nothing: the row waits, and `jobs_sweep`, which every
worker runs at start-up and every MAINTENANCE seconds, delivers it when Redis is back. The
sweeper also hands back to the queue a job whose worker died (its heartbeat stopped) and fails
for good, with the reason, a job that failed `attempts` times. Jobs must therefore be safe to
run twice.
"""

import contextlib
import datetime as dt
import logging
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import django_rq
from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from redis.exceptions import RedisError
from rq.job import Job as RQJob

from opsdesk.models import BackgroundJob

log = logging.getLogger(__name__)
Status = BackgroundJob.Status
# Waits before the 2nd, 3rd, 4th… attempt of a job that raised (the last one repeats).
RETRY_AFTER = (dt.timedelta(seconds=30), dt.timedelta(minutes=2), dt.timedelta(minutes=10))
# RQ's words for a job that a worker may still start or is running.
RQ_ALIVE = frozenset({"queued", "started", "deferred", "scheduled"})
DELIVERY_BATCH = 500
DONE_KEPT = dt.timedelta(days=7)
FAILED_KEPT = dt.timedelta(days=90)


def redis_enabled() -> bool:
    return bool(settings.REDIS_URL)


def enqueue(
    func: Callable,
    *args,
    queue_name: str = "default",
    attempts: int = 1,
    on_failure: Callable | None = None,
    **kwargs,
) -> BackgroundJob:
    """Run `func(*args, **kwargs)` in the background once the transaction commits, up to
    `attempts` times while it raises or its worker dies; then `on_failure(*args, reason=...,
    **kwargs)`. Arguments must be JSON values."""
    return enqueue_each(
        func, [args], queue_name=queue_name, attempts=attempts, on_failure=on_failure, **kwargs
    )[0]


def enqueue_each(
    func: Callable,
    args_list: Iterable[tuple | list],
    *,
    queue_name: str = "default",
    attempts: int = 1,
    on_failure: Callable | None = None,
    **kwargs,
) -> list[BackgroundJob]:
    """`enqueue` once per argument tuple, written in one statement and delivered together."""
    jobs = BackgroundJob.objects.bulk_create(
        BackgroundJob(
            name=_dotted(func),
            args=list(args),
            kwargs=kwargs,
            queue_name=queue_name,
            max_attempts=attempts,
            on_failure=_dotted(on_failure) if on_failure else "",
        )
        for args in args_list
    )
    job_ids = [job.pk for job in jobs]
    if job_ids:
        transaction.on_commit(lambda: jobs_deliver(job_ids=job_ids), robust=True)
    return jobs


def _dotted(func: Callable) -> str:
    path = f"{func.__module__}.{func.__qualname__}"
    try:
        found = import_string(path)
    except ImportError:
        found = None
    if found is not func:
        raise ValueError(f"{path} is not importable by that name: a job must be a module-level function")
    return path


def jobs_deliver(*, job_ids: list[int]) -> int:
    """Hand waiting, undelivered jobs to RQ (or run them here without Redis). A job another
    process delivered meanwhile is skipped; a delivery Redis refuses is taken back, to be
    delivered by the sweeper. Returns the number delivered."""
    if not redis_enabled():
        for job_id in job_ids:
            job_run(job_id)
        return len(job_ids)
    claimed_at = timezone.now()
    claimed = BackgroundJob.objects.filter(
        pk__in=job_ids, status=Status.WAITING, delivered_at__isnull=True
    ).update(delivered_at=claimed_at, deliveries=F("deliveries") + 1)
    if not claimed:
        return 0
    jobs = list(BackgroundJob.objects.filter(pk__in=job_ids, delivered_at=claimed_at).order_by("pk"))
    try:
        by_queue: dict[str, list[BackgroundJob]] = {}
        for job in jobs:
            by_queue.setdefault(job.queue_name, []).append(job)
        for queue_name, queued in by_queue.items():
            queue = django_rq.get_queue(queue_name)
            with queue.connection.pipeline() as pipeline:
                queue.enqueue_many(
                    [queue.prepare_data(job_run, args=(job.pk,), job_id=job.rq_job_id) for job in queued],
                    pipeline=pipeline,
                )
                pipeline.execute()
    except RedisError:
        log.warning("Redis refused %s job(s); they wait for the sweeper", len(jobs), exc_info=True)
        BackgroundJob.objects.filter(pk__in=[job.pk for job in jobs], delivered_at=claimed_at).update(
            delivered_at=None
        )
        return 0
    return len(jobs)


def job_run(job_id: int):
    """What RQ runs (or this process, without Redis): the job, once, if it is still waiting.
    An exception is recorded on the job (retried later, or failed for good), not raised."""
    now = timezone.now()
    in_worker = redis_enabled()
    claimed = BackgroundJob.objects.filter(pk=job_id, status=Status.WAITING).update(
        status=Status.RUNNING,
        started_at=now,
        heartbeat_at=now if in_worker else None,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None  # done, failed or running elsewhere: a second delivery is harmless
    job = BackgroundJob.objects.get(pk=job_id)
    try:
        with _heartbeat(job_id) if in_worker else contextlib.nullcontext():
            result = import_string(job.name)(*job.args, **job.kwargs)
    except Exception:
        log.exception(
            "Job #%s (%s) failed, attempt %s of %s", job.pk, job.name, job.attempts, job.max_attempts
        )
        _attempt_end(job, reason=traceback.format_exc(limit=8))
        return None
    BackgroundJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
        status=Status.DONE, finished_at=timezone.now(), error=""
    )
    return result


@contextlib.contextmanager
def _heartbeat(job_id: int):
    """Touch the job every JOB_HEARTBEAT_SECONDS while it runs, from a thread of its own: a
    worker killed with the job (SIGKILL, out of memory, a lost machine) stops touching it, and
    the sweeper takes it back after JOB_ABANDONED_AFTER."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                BackgroundJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:
            log.warning("Job #%s: heartbeat failed", job_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def _attempt_end(job: BackgroundJob, *, reason: str, raised: bool = True) -> None:
    """A running attempt ended without success: try again (after a wait if the job raised, at
    once if its worker died), or fail for good."""
    now = timezone.now()
    running = BackgroundJob.objects.filter(pk=job.pk, status=Status.RUNNING, attempts=job.attempts)
    if job.attempts < job.max_attempts:
        wait = RETRY_AFTER[min(job.attempts, len(RETRY_AFTER)) - 1] if raised else dt.timedelta(0)
        running.update(
            status=Status.WAITING, delivered_at=None, not_before=now + wait, heartbeat_at=None, error=reason
        )
        return
    if (
        running.update(status=Status.FAILED, finished_at=now, heartbeat_at=None, error=reason)
        and job.on_failure
    ):
        try:
            import_string(job.on_failure)(*job.args, reason=reason, **job.kwargs)
        except Exception:
            log.exception("Job #%s: its on_failure %s failed", job.pk, job.on_failure)


ABANDONED = "The worker running this job stopped before finishing it (killed, out of memory, or lost)."
OVERDUE = "The job ran longer than its time limit."


@dataclass(frozen=True)
class SweepOutcome:
    abandoned: int = 0  # running jobs whose worker died, retried or failed
    lost: int = 0  # delivered jobs RQ no longer knew, delivered again
    delivered: int = 0


def jobs_sweep() -> SweepOutcome:
    """Deliver what waits, take back what was abandoned or lost. Safe to run anywhere, any
    number of times at once: every change is conditional on the state it saw."""
    now = timezone.now()
    started_in_time = now - dt.timedelta(seconds=settings.JOB_TIME_LIMIT)
    abandoned = BackgroundJob.objects.filter(status=Status.RUNNING).filter(
        Q(heartbeat_at__lt=now - dt.timedelta(seconds=settings.JOB_ABANDONED_AFTER))
        | Q(started_at__lt=started_in_time)
    )
    abandoned_count = 0
    for job in abandoned:
        reason = OVERDUE if job.started_at < started_in_time else ABANDONED
        _attempt_end(job, reason=reason, raised=False)
        abandoned_count += 1
    lost = _lost_deliveries_release(now) if redis_enabled() else 0
    # Read the clock again: what was just taken back is due at once.
    due = BackgroundJob.objects.filter(
        status=Status.WAITING, delivered_at__isnull=True, not_before__lte=timezone.now()
    )
    delivered = 0
    for job_ids in _batches(list(due.order_by("pk").values_list("pk", flat=True))):
        delivered += jobs_deliver(job_ids=job_ids)
    BackgroundJob.objects.filter(status=Status.DONE, finished_at__lt=now - DONE_KEPT).delete()
    BackgroundJob.objects.filter(status=Status.FAILED, finished_at__lt=now - FAILED_KEPT).delete()
    return SweepOutcome(abandoned=abandoned_count, lost=lost, delivered=delivered)


def _lost_deliveries_release(now: dt.datetime) -> int:
    """Delivered jobs still waiting after a while that RQ no longer knows (a Redis that lost its
    data, a job deleted by hand) are marked for delivery again."""
    delivered = BackgroundJob.objects.filter(
        status=Status.WAITING,
        delivered_at__lt=now - dt.timedelta(seconds=settings.JOB_ABANDONED_AFTER),
    )
    released = 0
    for jobs in _batches(list(delivered)):
        connection = django_rq.get_connection(jobs[0].queue_name)
        found = RQJob.fetch_many([job.rq_job_id for job in jobs], connection=connection)
        gone = [
            job.pk
            for job, rq_job in zip(jobs, found, strict=True)
            if rq_job is None or getattr(rq_job.get_status(refresh=False), "value", None) not in RQ_ALIVE
        ]
        released += BackgroundJob.objects.filter(pk__in=gone, status=Status.WAITING).update(delivered_at=None)
    return released


def _batches(items: list) -> Iterable[list]:
    for start in range(0, len(items), DELIVERY_BATCH):
        yield items[start : start + DELIVERY_BATCH]


def redis_reachable() -> bool:
    try:
        return bool(django_rq.get_connection("default").ping())
    except RedisError:
        return False


def jobs_waiting() -> tuple[int, dt.timedelta | None]:
    """How many jobs wait or run, and the age of the oldest (for /healthz/)."""
    unfinished = BackgroundJob.objects.filter(status__in=[Status.WAITING, Status.RUNNING])
    oldest = unfinished.order_by("created_at").values_list("created_at", flat=True).first()
    return unfinished.count(), (timezone.now() - oldest) if oldest else None
