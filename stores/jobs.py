"""Background jobs of the stores app: thin wrappers over services, safe to run twice."""

import logging
import time

from django.core.cache import cache
from redis.exceptions import RedisError

from opsdesk import queue
from stores.imports.services import import_batch_fail_running, import_batch_run
from stores.models import ImportBatch

log = logging.getLogger(__name__)
RUNNABLE = (ImportBatch.Status.PENDING, ImportBatch.Status.PREVIEWED, ImportBatch.Status.RUNNING)
# RQ's words for a job that may still run the import; any other (failed, stopped, canceled,
# finished) means it has ended, and a batch it left running will never finish.
JOB_ALIVE = frozenset({"created", "queued", "started", "deferred", "scheduled"})
# A running batch whose job Redis does not know is taken as lost after this many seconds: the
# job reaches Redis only once the page's transaction has committed, just after the batch shows
# as running.
LOST_JOB_GRACE = 60


def progress_key(batch_id: int) -> str:
    return f"import-progress:{batch_id}"


def running_since_key(batch_id: int) -> str:
    return f"import-running-since:{batch_id}"


def import_job_id(batch: ImportBatch, *, dry_run: bool) -> str:
    """The RQ job of the batch's check (dry run) or import: one of each per batch, never the
    id of another batch's job, even in a Redis that outlived a database."""
    return f"import-{batch.pk}-{batch.created_at:%Y%m%d%H%M%S%f}-{'check' if dry_run else 'apply'}"


def import_batch_enqueue(batch: ImportBatch, *, dry_run: bool) -> None:
    """Check or apply the batch in a background job; its page shows a progress bar meanwhile."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, progress=0)
    cache.set(running_since_key(batch.pk), time.time(), 24 * 3600)
    queue.enqueue(
        import_batch_process,
        batch.pk,
        dry_run,
        job_id=import_job_id(batch, dry_run=dry_run),
        on_failure=import_batch_job_failed,
    )


def import_batch_process(batch_id: int, dry_run: bool) -> str:
    """Check or apply an uploaded file. A batch already finished is left as it is."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status not in RUNNABLE:
        return batch.status
    try:
        batch = import_batch_run(
            batch=batch,
            dry_run=dry_run,
            progress=lambda percent: cache.set(progress_key(batch_id), percent, 3600),
        )
    except Exception:
        log.exception("Import #%s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.FAILED)
        raise
    return batch.status


def import_batch_job_failed(job, connection, *exc_info) -> None:
    """RQ's on_failure of an import job: it raised (import_batch_process has already failed the
    batch) or was found abandoned, its worker gone. The batch ends failed, not running."""
    batch_id = job.args[0]
    if import_batch_fail_running(batch_id=batch_id):
        log.error("Import #%s failed: its job %s ended without finishing it", batch_id, job.id)


def import_batch_settled(batch: ImportBatch) -> ImportBatch:
    """The batch as it stands, once a running batch whose job has ended or is lost is failed.

    RQ runs no callback when a job's work horse is killed (the kernel's out-of-memory killer,
    a SIGKILL): it only marks the job failed. So whoever looks at a running batch (its page and
    its progress) asks RQ about its job; nothing needs to run for the answer to be right.
    """
    if batch.status != ImportBatch.Status.RUNNING or not queue.redis_enabled():
        return batch
    # A batch is checked first, and only a checked batch is applied: its check set finished_at.
    job_id = import_job_id(batch, dry_run=batch.finished_at is None)
    try:
        status = queue.job_status(job_id)
        if status in JOB_ALIVE:
            return batch
        if status is None:
            since = cache.get(running_since_key(batch.pk))
            if since is not None and time.time() - since < LOST_JOB_GRACE:
                return batch  # not in Redis yet
    except RedisError:
        log.warning("Import #%s: its job %s could not be looked up", batch.pk, job_id, exc_info=True)
        return batch
    if import_batch_fail_running(batch_id=batch.pk):
        log.error("Import #%s failed: its job %s is %s", batch.pk, job_id, status or "lost")
    batch.refresh_from_db(fields=["status", "finished_at", "progress"])
    return batch
