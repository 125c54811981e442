"""The same file again: when nothing it covers has changed since it was imported, the answer
is already known ("every day unchanged"), and the file is not read again.

People upload an export twice (did it go through?), and a scheduled command imports the same
file again; reading and comparing 100,000 days to find that nothing changed takes seconds.
An applied import records what it covered (`coverage_of`); a later import of the same bytes,
for the same chosen store, in the same language, takes the earlier outcome when
- the file's store names still lead to the same stores for this user (renames, new stores of
  the same name and lost access all change that, and then the file is read as any other);
- the stored days of those stores in the file's dates are as the earlier import left them:
  as many, none updated since, no revision since (`_stored_state` and the revision watermark);
- the code that reads a file into values is the same (`reading_rules`): a release that reads
  some cell differently must be able to correct what an older one stored.
Anything else, or any doubt, and the file is read and compared in full.
"""

import datetime as dt
import functools
import hashlib
import importlib
import importlib.metadata
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import get_language

from stores.models import DailyMetric, ImportBatch, MetricRevision, Store
from stores.services import UpsertOutcome

NO_STORE_NAME = ""  # the key of rows without a 店铺名称 cell: they went to the chosen store
# What turns an uploaded file into stored values and its messages.
READING_MODULES = (
    "stores.imports.reader",
    "stores.imports.extent",
    "stores.imports.headers",
    "stores.imports.cells",
    "stores.imports.parse",
    "stores.imports.messages",
    "stores.imports.services",
    "stores.validation",
    "stores.metrics",
    "stores.services",
    "stores.exports",
)


def coverage_of(*, store_names: dict[str, int], first: dt.date, last: dt.date) -> dict:
    """What an applied import covered, to recognise later that nothing of it has changed.
    `store_names`: each store name (or slug) the file used → the store it led to. Read inside
    the import's transaction, after its writes."""
    store_ids = sorted(set(store_names.values()))
    return {
        "store_names": store_names,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "stored": _stored_state(store_ids, first, last),
        "language": get_language(),
        "reading_rules": reading_rules(),
    }


@functools.cache
def reading_rules() -> str:
    """A fingerprint of the code that reads files (and of the workbook reader it runs on):
    changes with any release that changes it."""
    digest = hashlib.sha256(importlib.metadata.version("python-calamine").encode())
    for name in READING_MODULES:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    return digest.hexdigest()


def unchanged_earlier_import(*, batch: ImportBatch, stores_by_name: dict[str, Store]) -> ImportBatch | None:
    """The last applied import of the same bytes whose outcome still holds for `batch`, if any.
    `stores_by_name`: the stores `batch`'s file may name, as its uploader sees them now."""
    earlier = (
        ImportBatch.objects.filter(
            sha256=batch.sha256,
            store_id=batch.store_id,
            status=ImportBatch.Status.APPLIED,
            coverage__isnull=False,
        )
        .exclude(pk=batch.pk)
        .defer("content")  # megabytes, not needed
        .order_by("-pk")
        .first()
    )
    if earlier is None or not _still_holds(earlier, batch, stores_by_name):
        return None
    return earlier


def _still_holds(earlier: ImportBatch, batch: ImportBatch, stores_by_name: dict[str, Store]) -> bool:
    coverage = earlier.coverage
    if (coverage["language"], coverage["reading_rules"]) != (get_language(), reading_rules()):
        return False
    if earlier.rows_total > settings.IMPORT_MAX_ROWS:
        return False
    for name, store_id in coverage["store_names"].items():
        store = batch.store if name == NO_STORE_NAME else stores_by_name.get(name)
        if store is None or store.pk != store_id:
            return False
    store_ids = sorted(set(coverage["store_names"].values()))
    first, last = dt.date.fromisoformat(coverage["first"]), dt.date.fromisoformat(coverage["last"])
    revised = MetricRevision.objects.filter(
        pk__gt=earlier.revision_watermark or 0, store_id__in=store_ids, date__range=(first, last)
    )
    return _stored_state(store_ids, first, last) == coverage["stored"] and not revised.exists()


def _stored_state(store_ids: list[int], first: dt.date, last: dt.date) -> list:
    """How many days are stored for these stores and dates, and their latest update: any
    write, addition or removal since changes one of the two."""
    state = DailyMetric.objects.filter(store_id__in=store_ids, date__range=(first, last)).aggregate(
        days=Count("pk"), updated=Max("updated_at")
    )
    return [state["days"], state["updated"].isoformat() if state["updated"] else None]


def outcome_again(earlier: ImportBatch) -> UpsertOutcome:
    """The earlier import's days, every one of them unchanged this time."""
    outcome = UpsertOutcome()
    for date, counts in earlier.summary["by_date"]:
        days = sum(counts.values())
        outcome.days["unchanged"] += days
        outcome.by_date[dt.date.fromisoformat(date)]["unchanged"] += days
    return outcome
