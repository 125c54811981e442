"""Background jobs of the stores app: thin wrappers over services, safe to run twice."""

import logging

from django.core.cache import cache

from stores.imports.services import import_batch_run
from stores.models import ImportBatch

log = logging.getLogger(__name__)
RUNNABLE = (ImportBatch.Status.PENDING, ImportBatch.Status.PREVIEWED, ImportBatch.Status.RUNNING)


def progress_key(batch_id: int) -> str:
    return f"import-progress:{batch_id}"


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
