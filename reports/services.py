"""Writing rollups: exactly the periods a change touches, or everything from scratch.

A store's rollups are replaced in one transaction (its row locked, so two jobs for one store
queue up rather than interleave): a reader sees the old numbers or the new ones, never half.
The organisation's totals are then summed from its stores' rollups, under the organisation's lock.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from reports import alerts, rollup_sql, selectors
from reports.models import Alert, OrganisationRollup, StoreRollup, WeeklyCommentary
from stores.models import DailyMetric, Organisation, Store
from stores.periods import DateRange, Period, PeriodKind, period_containing, periods_touching

RangesByKind = dict[PeriodKind, list[DateRange]]
REBUILD_CHUNK = 50  # stores per transaction in a full rebuild


def _lock(model, pks: Sequence[int]) -> None:
    """Row locks (in primary-key order, so two jobs never wait on each other in a circle)."""
    list(model.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk", flat=True))


def _ranges_touching(days: Iterable[dt.date]) -> RangesByKind:
    """Every period of every kind that contains one of `days`, as merged date ranges."""
    return {kind: rollup_sql.merged_ranges(periods) for kind, periods in periods_touching(set(days)).items()}


def _ranges_spanning(first: dt.date, last: dt.date) -> RangesByKind:
    """For each kind, the whole periods from the one containing `first` to the one containing `last`."""
    return {
        kind: [DateRange(period_containing(kind, first).start, period_containing(kind, last).end)]
        for kind in PeriodKind
    }


def _periods_filter(ranges: RangesByKind) -> Q:
    """Rollup rows of each kind starting in that kind's ranges."""
    condition = Q(pk__in=[])
    for kind, kind_ranges in ranges.items():
        starts = Q()
        for date_range in kind_ranges:
            starts |= Q(period_start__range=(date_range.start, date_range.end))
        condition |= Q(starts, kind=kind)
    return condition


def _store_rollups_replace(*, store_ids: Sequence[int], ranges: RangesByKind) -> int:
    """The one writer of store rollups."""
    StoreRollup.objects.filter(_periods_filter(ranges), store_id__in=store_ids).delete()
    return rollup_sql.store_rollups_insert(store_ids=store_ids, ranges=ranges, computed_at=timezone.now())


def _organisation_rollups_replace(*, organisation_ids: Sequence[int], ranges: RangesByKind) -> int:
    OrganisationRollup.objects.filter(_periods_filter(ranges), organisation_id__in=organisation_ids).delete()
    return rollup_sql.organisation_rollups_insert(
        organisation_ids=organisation_ids, ranges=ranges, computed_at=timezone.now()
    )


def store_rollups_refresh(*, store_id: int, days: Iterable[dt.date]) -> int:
    """Recompute one store's day, week, month, quarter and year containing each of `days`."""
    days = set(days)
    if not days:
        return 0
    with transaction.atomic():
        _lock(Store, [store_id])
        return _store_rollups_replace(store_ids=[store_id], ranges=_ranges_touching(days))


def organisation_rollups_refresh(*, organisation_id: int, days: Iterable[dt.date]) -> int:
    """Recompute an organisation's totals for every period containing one of `days`."""
    days = set(days)
    if not days:
        return 0
    with transaction.atomic():
        _lock(Organisation, [organisation_id])
        return _organisation_rollups_replace(
            organisation_ids=[organisation_id], ranges=_ranges_touching(days)
        )


def rollups_rebuild(
    *,
    stores: QuerySet[Store],
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute every period from `date_from` to `date_to` (default: all recorded days) for
    `stores`, and their organisations' totals. Periods cut by either end are recomputed whole."""
    store_ids = list(stores.order_by("pk").values_list("pk", flat=True))
    span = DailyMetric.objects.filter(store_id__in=store_ids).aggregate(first=Min("date"), last=Max("date"))
    first, last = date_from or span["first"], date_to or span["last"]
    if first is None or last is None or first > last:
        return 0
    ranges = _ranges_spanning(first, last)
    written = 0
    for offset in range(0, len(store_ids), REBUILD_CHUNK):
        chunk = store_ids[offset : offset + REBUILD_CHUNK]
        with transaction.atomic():
            _lock(Store, chunk)
            written += _store_rollups_replace(store_ids=chunk, ranges=ranges)
        if progress:
            progress(min(offset + REBUILD_CHUNK, len(store_ids)), len(store_ids))
    organisation_ids = sorted(
        set(Store.objects.filter(pk__in=store_ids).values_list("organisation_id", flat=True))
    )
    for organisation_id in organisation_ids:
        with transaction.atomic():
            _lock(Organisation, [organisation_id])
            written += _organisation_rollups_replace(organisation_ids=[organisation_id], ranges=ranges)
    return written


def weekly_commentary_save(
    *, organisation: Organisation, week: Period, author, wins: str, problems: str, next_week_plan: str
) -> WeeklyCommentary:
    """The ops lead's commentary on one week (one per organisation and week, last save wins)."""
    commentary, _created = WeeklyCommentary.objects.update_or_create(
        organisation=organisation,
        week_start=week.start,
        defaults={"wins": wins, "problems": problems, "next_week_plan": next_week_plan, "updated_by": author},
    )
    return commentary


def alerts_evaluate(
    *, stores: Sequence[Store], day: dt.date, now: dt.datetime | None = None
) -> dict[str, int]:
    """Raise, update or resolve each store's alerts of `day`. One alert per rule, store and day:
    evaluating again never adds a second; an acknowledged alert stays acknowledged while it
    still holds; one that no longer holds is resolved (and reopened if it comes back)."""
    now = now or timezone.now()
    inputs = selectors.alert_inputs_get(stores=stores, day=day, now=now)
    existing = {
        (alert.store_id, alert.rule): alert for alert in Alert.objects.filter(store__in=stores, day=day)
    }
    new, changed, counts = [], [], {"raised": 0, "updated": 0, "resolved": 0}
    for store in stores:
        found = alerts.findings(inputs[store.pk])
        for rule, finding in found.items():
            alert = existing.get((store.pk, rule))
            fields = {"value": finding.value, "threshold": finding.threshold, "detail": finding.detail}
            if alert is None:
                new.append(
                    Alert(organisation_id=store.organisation_id, store=store, rule=rule, day=day, **fields)
                )
                continue
            for name, value in fields.items():
                setattr(alert, name, value)
            if alert.status == Alert.Status.RESOLVED:
                alert.status, alert.resolved_at = Alert.Status.OPEN, None
            changed.append(alert)
            counts["updated"] += 1
        for (store_id, rule), alert in existing.items():
            if store_id == store.pk and rule not in found and alert.status != Alert.Status.RESOLVED:
                alert.status, alert.resolved_at = Alert.Status.RESOLVED, now
                changed.append(alert)
                counts["resolved"] += 1
    # A concurrent evaluation may have raised the same alert: the unique constraint keeps one.
    Alert.objects.bulk_create(new, ignore_conflicts=True)
    for alert in changed:
        alert.updated_at = now
    Alert.objects.bulk_update(
        changed, ["value", "threshold", "detail", "status", "resolved_at", "updated_at"]
    )
    counts["raised"] = len(new)
    return counts


def alert_acknowledge(*, alert: Alert, user, note: str) -> Alert:
    """The ops lead has seen it (and says what is being done): who and when are kept."""
    alert.status = Alert.Status.ACKNOWLEDGED if alert.status != Alert.Status.RESOLVED else alert.status
    alert.acknowledged_by, alert.acknowledged_at, alert.note = user, timezone.now(), note
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "note", "updated_at"])
    return alert
