"""Writes to daily metrics: the one upsert every way in (entry page, import, undo) goes through.

Each change keeps the previous values and where the change came from (MetricRevision), and
announces the changed days (signals.daily_metrics_changed) inside the transaction that changes them.
On PostgreSQL, days that all carry the same codes (an import's) are compared by the database
itself (_upsert_staged); otherwise, and on SQLite, in Python (_upsert_chunk). Both find the same.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from stores import metric_sql, metrics, validation
from stores.models import DailyMetric, ImportBatch, MetricRevision, MetricSource, Store
from stores.signals import daily_metrics_changed

WRITE_BATCH = 2000
UPSERT_CHUNK = 5000
PLACES = {
    metrics.Kind.MONEY: Decimal("0.01"),
    metrics.Kind.SCORE: Decimal("0.0001"),
}
AD_SPEND_SPLIT = "ad_spend_split"


@dataclass(frozen=True)
class DayValues:
    """What one source says about one store-day: only the codes it carries are in `values`."""

    store_id: int
    date: dt.date
    values: dict[str, int | Decimal | None]
    ad_spend_split: dict[str, Decimal | None] | None = None


@dataclass
class DayChange:
    """One changed store-day, with the values before and after (as text, as the database holds them)."""

    store_id: int
    date: dt.date
    action: str  # "insert" or "update"
    previous: dict[str, str | None]
    current: dict[str, str | None]


@dataclass
class UpsertOutcome:
    days: Counter = field(default_factory=Counter)  # action ("insert", "update", "unchanged") -> days
    by_date: dict[dt.date, Counter] = field(default_factory=lambda: defaultdict(Counter))
    changed_days: dict[int, set[dt.date]] = field(default_factory=lambda: defaultdict(set))
    # Updated days, and new days other than an import's (which created_by_batch traces instead).
    changes: list[DayChange] = field(default_factory=list)
    values_changed: int = 0  # values of existing days that now differ
    values_written: int = 0  # ... plus the values of traced new days (an import counts its new days)

    def count(self, action: str) -> int:
        return self.days[action]

    def add(self, store_id: int, date: dt.date, action: str, written: int) -> None:
        self.days[action] += 1
        self.by_date[date][action] += 1
        if action != "unchanged":
            self.changed_days[store_id].add(date)
            self.values_written += written
            if action == "update":
                self.values_changed += written


def as_text(code: str, value) -> str | None:
    """A value as the database holds it, for the audit trail."""
    if value is None:
        return None
    if code == AD_SPEND_SPLIT:
        return _split_text(value)
    places = PLACES.get(metrics.BY_CODE[code].kind)
    return str(Decimal(value).quantize(places)) if places else str(int(value))


def stored_value(code: str, text):
    """Text from the audit trail back to a model value."""
    if code == AD_SPEND_SPLIT:
        return {channel: Decimal(amount) for channel, amount in (text or {}).items()}
    if text is None:
        return None
    return Decimal(text) if metrics.BY_CODE[code].kind in PLACES else int(text)


def _split_text(split: dict[str, Decimal | str | None]) -> dict[str, str] | None:
    """{channel: "12.30"} without missing channels; None when nothing is left."""
    texts = {}
    for channel, amount in split.items():
        if amount is None:
            continue
        text = str(amount)
        # Text from the database or the trail, and amounts at 2 places (as the parser gives
        # them), are already as stored; anything else is quantized.
        texts[channel] = text if text[-3:-2] == "." else as_text("ad_spend", amount)
    return texts or None


def _split_of(day: DayValues) -> dict[str, str] | None:
    return None if day.ad_spend_split is None else _split_text(day.ad_spend_split)


def _incoming(day: DayValues) -> dict[str, object]:
    """The values as the model holds them; the split as {channel: "12.30"} (None when empty)."""
    if day.ad_spend_split is None:
        return day.values
    return {**day.values, AD_SPEND_SPLIT: _split_of(day)}


def _lock_stores(store_ids: set[int]) -> None:
    """Writers of one store's numbers take turns, so no one writes back a value read before
    another writer changed it (cheaper than locking every day's row)."""
    list(Store.objects.select_for_update().filter(pk__in=store_ids).order_by("pk").values_list("pk"))


def _existing_rows(days: list[DayValues], codes: list[str]) -> dict[tuple[int, dt.date], tuple]:
    """{(store id, date): (id, store id, date, *values of codes)} of the days that exist."""
    if not days:
        return {}
    store_ids = {day.store_id for day in days}
    first, last = min(day.date for day in days), max(day.date for day in days)
    return {(row[1], row[2]): row for row in metric_sql.select_days(store_ids, first, last, codes)}


def _changed(codes: list[str], old: tuple, incoming: dict) -> dict[str, object]:
    """The incoming values that differ from the stored ones (`old`: id, store, date, *codes);
    numbers compare by value (Decimal("4.85") == Decimal("4.8500"))."""
    if len(incoming) == len(codes) and tuple(map(incoming.__getitem__, codes)) == old[3:]:
        return {}  # the common case of a re-import, compared in one step
    changed = {}
    for position, code in enumerate(codes, start=3):
        if code in incoming and old[position] != incoming[code]:
            changed[code] = incoming[code]
    return changed


@transaction.atomic
def daily_metrics_upsert(
    *,
    days: list[DayValues],
    source: str,
    user=None,
    batch: ImportBatch | None = None,
    dry_run: bool = False,
    progress: Callable[[float], None] | None = None,
) -> UpsertOutcome:
    """Insert or update store-days with exactly the values given; the rest of a row is left alone.

    Every change to an existing day is kept as a MetricRevision (previous and new values); a new
    day is one too, except an import's, which created_by_batch traces (100,000 days, one import).
    A dry run computes the same outcome and writes nothing. `progress` hears the share done (0–1)
    after each chunk.
    """
    if not dry_run:
        _lock_stores({day.store_id for day in days})
    outcome = UpsertOutcome()
    if _stageable(days):
        _upsert_staged(
            days, outcome, source=source, user=user, batch=batch, dry_run=dry_run, progress=progress
        )
    else:
        _upsert_chunks(
            days, outcome, source=source, user=user, batch=batch, dry_run=dry_run, progress=progress
        )
    if not dry_run and outcome.changed_days:
        # Inside the transaction: what listens records its follow-up work (rollups, alerts) in
        # the same commit as the numbers, so one is never saved without the other.
        daily_metrics_changed.send(sender=DailyMetric, store_dates=dict(outcome.changed_days))
    return outcome


def _upsert_chunks(days: list[DayValues], outcome: UpsertOutcome, *, progress, **options) -> None:
    """Store by store, date by date, a chunk at a time: each chunk reads only its own stored
    days, so memory stays flat however long the file."""
    ordered = sorted(days, key=lambda day: (day.store_id, day.date))
    for start in range(0, len(ordered), UPSERT_CHUNK):
        _upsert_chunk(ordered[start : start + UPSERT_CHUNK], outcome, **options)
        if progress:
            progress(min(1.0, (start + UPSERT_CHUNK) / len(ordered)))


def _upsert_chunk(days: list[DayValues], outcome: UpsertOutcome, *, source: str, user, batch, dry_run: bool):
    incoming_days = [(day, _incoming(day)) for day in days]
    codes = sorted({code for _day, incoming in incoming_days for code in incoming})
    existing = _existing_rows(days, codes)
    inserts, updates, changes_before = [], [], len(outcome.changes)
    trace_new_days = _traces_new_days(source)
    for day, incoming in incoming_days:
        old = existing.get((day.store_id, day.date))
        if old is None:
            # Missing values simply stay NULL; a new day needs at least one known value.
            action = "insert" if any(value is not None for value in incoming.values()) else "unchanged"
            values = ()
            if action == "insert":
                inserts.append((day.store_id, day.date, incoming))
            if action == "insert" and trace_new_days:
                values = {code: as_text(code, value) for code, value in incoming.items() if value is not None}
                outcome.changes.append(DayChange(day.store_id, day.date, action, {}, values))
        else:
            values = _changed(codes, old, incoming)
            action = "update" if values else "unchanged"
            if values:
                updates.append((old[0], values))
                previous = {code: as_text(code, old[3 + codes.index(code)]) for code in values}
                current = {code: as_text(code, value) for code, value in values.items()}
                outcome.changes.append(DayChange(day.store_id, day.date, action, previous, current))
        outcome.add(day.store_id, day.date, action, len(values))
    if not dry_run and (inserts or updates):
        _write(outcome.changes[changes_before:], inserts, updates, source=source, user=user, batch=batch)


def _stageable(days: list[DayValues]) -> bool:
    """Whether PostgreSQL can compare the days itself: it can when every day carries the same
    codes (an import's days all do; an undo's may not)."""
    if connection.vendor != "postgresql" or not days:
        return False
    first = days[0]
    carried, has_split = first.values.keys(), first.ad_spend_split is not None
    return all(day.values.keys() == carried and (day.ad_spend_split is not None) == has_split for day in days)


def _upsert_staged(
    days: list[DayValues], outcome: UpsertOutcome, *, source: str, user, batch, dry_run: bool, progress
):
    """The same outcome as _upsert_chunk's, found by PostgreSQL: the days are staged in a
    temporary table, and only the new and the changed ones come back to Python. `progress`
    hears of each of the three steps: staged, compared, written."""
    report = progress or (lambda share: None)
    codes = list(days[0].values)
    compared = codes + ([AD_SPEND_SPLIT] if days[0].ad_spend_split is not None else [])
    metric_sql.stage_days(((day.store_id, day.date, day.values, _split_of(day)) for day in days), codes)
    report(1 / 3)
    trace_new_days = _traces_new_days(source)
    changes = [_staged_change(compared, row) for row in metric_sql.staged_changes(compared)]
    report(2 / 3)
    if dry_run:
        new_days = metric_sql.staged_new_days(codes, with_values=trace_new_days)
    else:
        provenance = _provenance(source, user, batch)
        if changes:
            metric_sql.update_from_staged(compared, provenance)
        batch_id = batch.pk if batch else None
        new_days = metric_sql.insert_from_staged(codes, provenance, batch_id, with_values=trace_new_days)
    if trace_new_days:
        all_codes = [*codes, AD_SPEND_SPLIT]
        changes += [_new_day_change(all_codes, row) for row in new_days]
    changes.sort(key=lambda change: (change.store_id, change.date))
    if not dry_run:
        _write_revisions(changes, source=source, user=user, batch=batch)
    metric_sql.drop_staged()
    _count_staged(outcome, days, [(row[0], row[1]) for row in new_days], changes)
    report(1.0)


def _staged_change(compared: list[str], row: tuple) -> DayChange:
    """A changed day from metric_sql.staged_changes: which columns differ, their old and new values."""
    width = len(compared)
    differs, stored, staged = row[2 : 2 + width], row[2 + width : 2 + 2 * width], row[2 + 2 * width :]
    changed = [position for position, differ in enumerate(differs) if differ]
    previous = {compared[position]: as_text(compared[position], stored[position]) for position in changed}
    current = {compared[position]: as_text(compared[position], staged[position]) for position in changed}
    return DayChange(row[0], row[1], "update", previous, current)


def _new_day_change(columns: list[str], row: tuple) -> DayChange:
    values = {code: as_text(code, value) for code, value in zip(columns, row[2:], strict=True)}
    known = {code: text for code, text in values.items() if text is not None}
    return DayChange(row[0], row[1], "insert", {}, known)


def _count_staged(outcome: UpsertOutcome, days: list[DayValues], inserted: list[tuple], changes) -> None:
    """The outcome's counts, as _upsert_chunk keeps them day by day, from the staged results."""
    per_date = {
        "insert": Counter(date for _store, date in inserted),
        "update": Counter(change.date for change in changes if change.action == "update"),
    }
    per_date["unchanged"] = Counter(day.date for day in days) - per_date["insert"] - per_date["update"]
    for action, dates in per_date.items():
        for date, count in dates.items():
            outcome.by_date[date][action] += count
        outcome.days[action] += dates.total()
    for store_id, date in inserted:
        outcome.changed_days[store_id].add(date)
    for change in changes:
        outcome.changed_days[change.store_id].add(change.date)
        outcome.values_written += len(change.current)
        if change.action == "update":
            outcome.values_changed += len(change.current)
    outcome.changes.extend(changes)


def _traces_new_days(source: str) -> bool:
    """Whether new days get a revision too: all but an import's, which created_by_batch traces."""
    return source != MetricSource.IMPORT


def _provenance(source: str, user, batch) -> dict:
    return {
        "source": source,
        "entered_by_id": user.pk if user else None,
        "import_batch_id": batch.pk if batch else None,
    }


def _write(changes: list[DayChange], inserts: list, updates: list, *, source: str, user, batch) -> None:
    provenance = _provenance(source, user, batch)
    metric_sql.insert_days(inserts, provenance, created_by_batch_id=batch.pk if batch else None)
    metric_sql.update_days(updates, provenance)
    _write_revisions(changes, source=source, user=user, batch=batch)


def _write_revisions(changes: list[DayChange], *, source: str, user, batch) -> None:
    revisions = [
        MetricRevision(
            store_id=change.store_id,
            date=change.date,
            source=source,
            changed_by=user,
            batch=batch,
            previous=change.previous,
            current=change.current,
        )
        for change in changes
    ]
    MetricRevision.objects.bulk_create(revisions, batch_size=WRITE_BATCH)


class DayNotRecordable(ValueError):
    """Numbers for a day that takes none (validation.date_error): nothing was saved."""


def daily_metric_enter(*, store_id: int, date: dt.date, values: dict, user) -> UpsertOutcome:
    """A person typed these values for one store-day (the entry page). A day after today (or
    before the first supported one) raises DayNotRecordable."""
    problem = validation.date_error(date)
    if problem is not None:
        raise DayNotRecordable(problem)
    return daily_metrics_upsert(
        days=[DayValues(store_id, date, values)], source=MetricSource.MANUAL, user=user
    )
