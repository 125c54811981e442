"""Background jobs of the stores app: thin wrappers over services, safe to run twice."""

import logging

from django.core.cache import cache

from opsdesk import queue
from stores import metric_sql, periods
from stores.imports.services import import_batch_fail_running, import_batch_run
from stores.models import ImportBatch
from stores.periods import PeriodKind

log = logging.getLogger(__name__)
RUNNABLE = (ImportBatch.Status.PENDING, ImportBatch.Status.PREVIEWED, ImportBatch.Status.RUNNING)
ITEM_PARTITIONS_AHEAD = 3  # months after this one


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


def item_partitions_ahead() -> list[str]:
    """The item days' partitions of this month and the next 3 exist (docs/items.md#partitions), so
    an import finds its month's partition made and never waits on making one. Run daily; a
    failed night is made good by the next, three months before any writer needs it. Returns the
    months it made ("2027-03"); safe to run twice or at once. Nothing to do on SQLite."""
    month = periods.period_containing(PeriodKind.MONTH, periods.today())
    months = []
    for _ in range(1 + ITEM_PARTITIONS_AHEAD):
        months.append(month.start)
        month = periods.next_period(month)
    made = [f"{month:%Y-%m}" for month in metric_sql.item_partitions_ensure(months=months)]
    if made:
        log.info("Item days' partitions made for %s", ", ".join(made))
    return made
