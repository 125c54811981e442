"""Import batches: a file into the database all or nothing, previewed first, undoable later."""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from stores import access, metric_sql, metrics, periods, validation
from stores.exports import formula_neutralising_undone
from stores.imports import messages, same_file
from stores.imports.parse import ParsedFile, gc_paused, parse_metrics_file
from stores.models import DailyMetric, ImportBatch, MetricRevision, MetricSource, Store
from stores.services import AD_SPEND_SPLIT, DayValues, UpsertOutcome, daily_metrics_upsert, stored_value

Progress = Callable[[int], None]
PREVIEW_CHANGES_SHOWN = 200
# What running an import writes back to its batch (never the kept file: megabytes, unchanged).
RESULT_FIELDS = (
    "organisation",
    "status",
    "progress",
    "finished_at",
    "rows_total",
    "rows_inserted",
    "rows_updated",
    "rows_unchanged",
    "values_changed",
    "errors",
    "warnings",
    "ignored_columns",
    "summary",
    "revision_watermark",
    "coverage",
    "same_as",
)


class ImportRefused(Exception):
    """The file breaks a rule; `errors` says every place, nothing was saved."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def import_batch_create(
    *, content: bytes, file_name: str, user=None, store: Store | None = None, keep_content: bool = True
) -> ImportBatch:
    """Record a file to import. `user` None means the command line. An upload keeps its bytes,
    since it is imported later (after the preview, or by a worker); the command line's file
    stays on disk, and its SHA-256 says which one it was."""
    with transaction.atomic():  # the record and its kept bytes, or neither
        batch = ImportBatch.objects.create(
            file_name=file_name[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            size_bytes=len(content),
            store=store,
            organisation=store.organisation if store else None,
            uploaded_by=user,
        )
        if keep_content:
            metric_sql.import_content_save(batch.pk, content)
            batch.content = content
    return batch


def import_batch_run(
    *, batch: ImportBatch, dry_run: bool, progress: Progress | None = None, content: bytes | None = None
) -> ImportBatch:
    """Check the file (`content`, or the bytes the batch kept) and, unless a dry run, apply it.
    A refused file saves nothing but the batch's record of why."""
    report = progress or (lambda percent: None)
    content = bytes(batch.content) if content is None else content
    try:
        # The parsed file's objects live until the end: a collection would only walk them again
        # (0.25 s of a 100,000-row import). Collections resume before the commit runs its
        # callbacks (the rollups, when there is no worker).
        with transaction.atomic(), gc_paused():
            outcome = _apply(batch, content, dry_run, report)
    except ImportRefused as refused:
        batch.status, batch.errors = ImportBatch.Status.REFUSED, refused.errors
    else:
        batch.status = ImportBatch.Status.PREVIEWED if dry_run else ImportBatch.Status.APPLIED
        _record_outcome(batch, outcome)
    batch.finished_at = timezone.now()
    batch.progress = 100
    batch.save(update_fields=[name for name in RESULT_FIELDS])
    report(100)
    return batch


def import_batch_fail_running(*, batch_id: int) -> bool:
    """A running batch whose run ended without finishing it (its job killed or lost): failed.
    Its run wrote in one transaction, so nothing of it was saved. A batch that has finished
    after all is left as it is; True when this call failed it."""
    running = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.RUNNING)
    return running.update(status=ImportBatch.Status.FAILED, finished_at=timezone.now()) > 0


def import_batch_retry(*, batch: ImportBatch) -> bool:
    """A failed batch back to pending, to be checked again from its kept file as if just
    uploaded. True when this call reset it (a batch that is not failed is left alone)."""
    failed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.FAILED, content__isnull=False)
    return failed.update(status=ImportBatch.Status.PENDING, progress=0, finished_at=None) > 0


def _apply(batch: ImportBatch, content: bytes, dry_run: bool, report: Progress) -> UpsertOutcome:
    if batch.size_bytes > settings.IMPORT_MAX_BYTES:
        limit_mb = settings.IMPORT_MAX_BYTES // (1024 * 1024)
        raise ImportRefused(
            [_("%(file)s is larger than %(limit)s MB.") % {"file": batch.file_name, "limit": limit_mb}]
        )
    stores_by_name = _stores_by_name(batch)
    earlier = same_file.unchanged_earlier_import(batch=batch, stores_by_name=stores_by_name)
    if earlier is not None:
        return _outcome_again(batch, earlier, dry_run)
    parsed = parse_metrics_file(
        content=content,
        file_name=batch.file_name,
        max_rows=settings.IMPORT_MAX_ROWS,
        last_day=periods.last_recordable_day(),
    )
    report(40)
    batch.rows_total, batch.ignored_columns = parsed.data_rows, parsed.ignored_columns
    batch.warnings = [issue.message for issue in parsed.warnings]
    days, store_names, row_errors = _days_of(parsed, batch, stores_by_name) if parsed.rows else ([], {}, [])
    # Every error of the file at once: the parser's, then those of rows the parser could read.
    errors = [issue.message for issue in parsed.errors] + row_errors
    if errors:
        raise ImportRefused(errors)
    batch.organisation_id = _one_organisation(days, batch)
    report(50)
    outcome = daily_metrics_upsert(
        days=days,
        source=MetricSource.IMPORT,
        user=batch.uploaded_by,
        batch=batch,
        dry_run=dry_run,
        progress=lambda share: report(50 + round(45 * share)),
    )
    if not dry_run:
        _mark_applied(batch)
        if days:
            first, last = min(day.date for day in days), max(day.date for day in days)
            batch.coverage = same_file.coverage_of(store_names=store_names, first=first, last=last)
    return outcome


def _outcome_again(batch: ImportBatch, earlier: ImportBatch, dry_run: bool) -> UpsertOutcome:
    """The same file as `earlier`, nothing of it changed since: its outcome, every day unchanged."""
    batch.rows_total, batch.ignored_columns = earlier.rows_total, earlier.ignored_columns
    batch.warnings, batch.organisation_id = earlier.warnings, earlier.organisation_id
    batch.same_as = earlier
    if not dry_run:
        _mark_applied(batch)
        batch.coverage = earlier.coverage  # still true: the next time, this import answers too
    return same_file.outcome_again(earlier)


def _mark_applied(batch: ImportBatch) -> None:
    batch.revision_watermark = MetricRevision.objects.aggregate(last=Max("pk"))["last"] or 0


def _importable_stores(batch: ImportBatch) -> QuerySet[Store]:
    if batch.uploaded_by is None:  # the command line runs with the server's full rights
        return Store.objects.all()
    return access.stores_importable_by(batch.uploaded_by)


def _days_of(
    parsed: ParsedFile, batch: ImportBatch, stores_by_name: dict[str, Store]
) -> tuple[list[DayValues], dict[str, int], list[str]]:
    """Each parsed row with its store; the store each name (or no name) led to; and the errors
    of rows naming an unknown store or breaking a rule between metrics of one day (paid buyers
    above visitors…)."""
    store_column = next((header for header, code in parsed.columns.items() if code == "store"), None)
    if batch.store is None and store_column is None:
        no_column = _("%(file)s has no 店铺名称 column: choose the store it belongs to.")
        return [], {}, [no_column % {"file": batch.file_name}]
    headers_by_code = {code: header for header, code in parsed.columns.items()}
    days, store_names, errors = [], {}, []
    chosen = batch.store
    for row in parsed.rows:
        # Our own exports quote a name a spreadsheet would run as a formula ('=A店): read it back.
        name = formula_neutralising_undone(row.store_name) if row.store_name else same_file.NO_STORE_NAME
        store = stores_by_name.get(name) if row.store_name else chosen
        if store is None or (chosen and store != chosen):
            errors.append(_store_error(row, store_column, batch))
            continue
        store_names[name] = store.id
        for code, problem in validation.day_errors(row.values).items():
            errors.append(
                messages.at_cell(batch.file_name, row.row, headers_by_code.get(code, code), problem)
            )
        days.append(DayValues(store.id, row.date, row.values, row.ad_spend_split or None))
    return days, store_names, errors


def _one_organisation(days: list[DayValues], batch: ImportBatch) -> int | None:
    organisations = set(
        Store.objects.filter(pk__in={day.store_id for day in days}).values_list("organisation_id", flat=True)
    )
    if len(organisations) > 1:
        several = _("%(file)s holds stores of several companies; import one company per file.")
        raise ImportRefused([several % {"file": batch.file_name}])
    return organisations.pop() if organisations else batch.organisation_id


def _stores_by_name(batch: ImportBatch) -> dict[str, Store]:
    """Stores by slug and by name; a name two stores share is left out (their slugs still work).

    Asked afresh each time the batch runs, inside its transaction: an uploader who has lost a
    store since the preview may no longer apply it. The chosen store is refused outright; a
    store the file names is then unknown to them, and its rows are errors (_store_error)."""
    if batch.store is None:
        stores = list(_importable_stores(batch))
    elif _importable_stores(batch).filter(pk=batch.store_id).exists():
        stores = [batch.store]
    else:
        refused = _("%(file)s: you may no longer import into %(store)s, so nothing was saved.")
        raise ImportRefused([refused % {"file": batch.file_name, "store": batch.store.name}])
    names = Counter(store.name for store in stores)
    by_name = {store.name: store for store in stores if names[store.name] == 1}
    return {**by_name, **{store.slug: store for store in stores}}


def _store_error(row, store_column: str | None, batch: ImportBatch) -> str:
    if batch.store is not None:
        problem = _("“%(store)s” is not the chosen store %(chosen)s") % {
            "store": row.store_name,
            "chosen": batch.store.name,
        }
    elif not row.store_name:
        problem = messages.cell_problem("store_missing", "")
    else:
        problem = _("there is no store “%(store)s” that you may import into") % {"store": row.store_name}
    return messages.at_cell(batch.file_name, row.row, store_column or "店铺名称", problem)


def _record_outcome(batch: ImportBatch, outcome: UpsertOutcome) -> None:
    batch.rows_inserted = outcome.count("insert")
    batch.rows_updated = outcome.count("update")
    batch.rows_unchanged = outcome.count("unchanged")
    batch.values_changed = outcome.values_changed
    batch.summary = _summary(outcome)


def _summary(outcome: UpsertOutcome) -> dict:
    """Per date: days added, changed, unchanged; and the first changed values, old and new."""
    by_date = [
        [date.isoformat(), {action: counts[action] for action in ("insert", "update", "unchanged")}]
        for date, counts in sorted(outcome.by_date.items())
    ]
    changes = [
        {
            "store": change.store_id,
            "date": change.date.isoformat(),
            "previous": change.previous,
            "current": change.current,
        }
        for change in outcome.changes[:PREVIEW_CHANGES_SHOWN]
    ]
    return {"by_date": by_date, "changes": changes}


# --- Undo --------------------------------------------------------------------------------------


@dataclass
class RevertOutcome:
    restored: int = 0
    removed_days: int = 0
    # Values the import set that a later import or edit has changed since: left as they are.
    kept: list[dict] = field(default_factory=list)


@transaction.atomic
def import_batch_revert(*, batch: ImportBatch, user) -> RevertOutcome:
    """Put back what the import changed, except what was changed again after it."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.APPLIED:
        raise ImportRefused([_("Only an applied import can be undone.")])
    changed_later = _changed_since(batch)
    restore: dict[tuple, dict] = defaultdict(dict)
    outcome = RevertOutcome()
    for revision in batch.revisions.filter(source=MetricSource.IMPORT):
        for code in revision.current:
            _restore_or_keep(
                restore,
                outcome,
                changed_later,
                revision.store_id,
                revision.date,
                code,
                revision.previous.get(code),
            )
    created = list(DailyMetric.objects.filter(created_by_batch=batch))
    for row in created:
        for code in _codes_with_values(row):
            _restore_or_keep(restore, outcome, changed_later, row.store_id, row.date, code, None)
    days = [_day_values(store_id, date, texts) for (store_id, date), texts in restore.items()]
    outcome.restored = daily_metrics_upsert(
        days=days, source=MetricSource.REVERT, user=user, batch=batch
    ).values_changed
    outcome.removed_days = _remove_emptied_days(created)
    batch.status, batch.reverted_at, batch.reverted_by = ImportBatch.Status.REVERTED, timezone.now(), user
    batch.summary = {
        **batch.summary,
        "revert": {"restored": outcome.restored, "removed_days": outcome.removed_days, "kept": outcome.kept},
    }
    batch.save()
    return outcome


def _changed_since(batch: ImportBatch) -> dict[tuple, set[str]]:
    later = MetricRevision.objects.filter(pk__gt=batch.revision_watermark or 0)
    changed = defaultdict(set)
    for store_id, date, current in later.values_list("store_id", "date", "current"):
        changed[(store_id, date)] |= set(current)
    return changed


def _restore_or_keep(restore, outcome, changed_later, store_id, date, code, previous_text) -> None:
    if code in changed_later.get((store_id, date), ()):
        outcome.kept.append({"store": store_id, "date": date.isoformat(), "code": code})
    else:
        restore[(store_id, date)][code] = previous_text


def _codes_with_values(row: DailyMetric) -> list[str]:
    codes = [code for code in metrics.RECORDED_CODES if getattr(row, code) is not None]
    return codes + ([AD_SPEND_SPLIT] if row.ad_spend_split else [])


def _day_values(store_id: int, date, texts: dict) -> DayValues:
    """Audit-trail texts back to model values; the split only where the import had set one."""
    values = {code: stored_value(code, text) for code, text in texts.items() if code != AD_SPEND_SPLIT}
    split = stored_value(AD_SPEND_SPLIT, texts[AD_SPEND_SPLIT]) if AD_SPEND_SPLIT in texts else None
    return DayValues(store_id, date, values, split)


def _remove_emptied_days(created: list[DailyMetric]) -> int:
    empty = {code: None for code in metrics.RECORDED_CODES}
    ids = [row.pk for row in created]
    deleted, _counts = DailyMetric.objects.filter(pk__in=ids, ad_spend_split={}, **empty).delete()
    return deleted
