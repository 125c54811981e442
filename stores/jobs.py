"""Background jobs of the stores app: thin wrappers over services, safe to run twice."""

import logging

from django.core.cache import cache

from opsdesk import queue
from stores.imports.services import import_batch_fail_running, import_batch_run
from stores.models import ImportBatch

log = logging.getLogger(__name__)
RUNNABLE = (ImportBatch.Status.PENDING, ImportBatch.Status.PREVIEWED, ImportBatch.Status.RUNNING)


def progress_key(batch_id: int) -> str:
    return f"import-progress:{batch_id}"


def import_batch_enqueue(batch: ImportBatch, *, dry_run: bool) -> None:
    """Check or apply the batch in a background job; its page shows a progress bar meanwhile.
    The job is written with the batch's new status, so it survives Redis being down; it is
    not retried (a file that killed its worker would likely kill the next one): a job that
    fails or dies fails the batch."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, progress=0)
    queue.enqueue(import_batch_process, batch.pk, dry_run, on_failure=import_batch_job_failed)


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


def import_batch_job_failed(batch_id: int, dry_run: bool, *, reason: str) -> None:
    """The import's job failed for good (it raised, or its worker died): the batch ends failed,
    not running."""
    if import_batch_fail_running(batch_id=batch_id):
        log.error("Import #%s failed: its job ended without finishing it: %s", batch_id, reason)
