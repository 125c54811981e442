"""Background jobs of the reports app: thin wrappers over services, safe to run twice.

Every rollup job is recorded as a RollupRun (queued → running → done or failed) so the ops lead's
job-status page can show it and re-run it. RQ retries a failed job with backoff.
"""

import datetime as dt
import logging
import traceback

from django.db.models import F
from django.utils import timezone
from rq import Retry

from opsdesk import queue
from reports import services
from reports.models import RollupRun
from stores import periods
from stores.models import Store

log = logging.getLogger(__name__)
RETRY = Retry(max=3, interval=[30, 120, 600])
RUNS_KEPT_DAYS = 90
ALERT_DAYS_BACK = 31  # alerts concern recent days; a change to older numbers raises none
UNFINISHED = (RollupRun.Status.QUEUED, RollupRun.Status.RUNNING)


def rollup_run_execute(run_id: int, days: list[str] | None = None) -> str:
    """Do one recorded rollup: a store's periods (and, outside the nightly fan-out, its
    organisation's totals), or an organisation's totals alone. `days` (ISO dates) narrows a
    run to the days that changed; without it every day from first_day to last_day counts."""
    run = RollupRun.objects.select_related("store").get(pk=run_id)
    RollupRun.objects.filter(pk=run_id).update(
        status=RollupRun.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, error=""
    )
    touched = (
        [dt.date.fromisoformat(day) for day in days]
        if days
        else periods.days_between(run.first_day, run.last_day)
    )
    try:
        if run.store_id:
            services.store_rollups_refresh(store_id=run.store_id, days=touched)
        if run.store_id is None or run.trigger != RollupRun.Trigger.NIGHTLY:
            services.organisation_rollups_refresh(organisation_id=run.organisation_id, days=touched)
    except Exception:
        log.exception("Rollup run #%s failed", run_id)
        RollupRun.objects.filter(pk=run_id).update(
            status=RollupRun.Status.FAILED, finished_at=timezone.now(), error=traceback.format_exc(limit=5)
        )
        _nightly_totals_when_stores_done(run)
        raise
    RollupRun.objects.filter(pk=run_id).update(status=RollupRun.Status.DONE, finished_at=timezone.now())
    _nightly_totals_when_stores_done(run)
    _alerts_after(run, touched)
    return RollupRun.Status.DONE


def _alerts_after(run: RollupRun, days: list[dt.date]) -> None:
    """The alerts look at rollups: evaluate them once these are written. After the night, for
    every store of the organisation (its totals' run comes last); after a change or a re-run,
    for that store's recent days."""
    if run.trigger == RollupRun.Trigger.NIGHTLY and run.store_id is not None:
        return
    recent = [day for day in days if day >= periods.today() - dt.timedelta(days=ALERT_DAYS_BACK)]
    for day in recent:
        queue.enqueue(alerts_evaluate_for, run.organisation_id, day.isoformat(), run.store_id)


def alerts_evaluate_for(organisation_id: int, day: str, store_id: int | None = None) -> dict:
    """Evaluate the alerts of one day for one store, or every active store of an organisation."""
    stores = Store.objects.filter(organisation_id=organisation_id, active=True)
    if store_id is not None:
        stores = stores.filter(pk=store_id)
    return services.alerts_evaluate(stores=list(stores), day=dt.date.fromisoformat(day))


def alerts_daily_check() -> int:
    """10:00 (Asia/Shanghai): yesterday's alerts for every organisation, missing numbers included."""
    organisation_ids = list(
        Store.objects.filter(active=True).values_list("organisation_id", flat=True).distinct()
    )
    for organisation_id in organisation_ids:
        queue.enqueue(alerts_evaluate_for, organisation_id, periods.yesterday().isoformat(), retry=RETRY)
    return len(organisation_ids)


def _nightly_totals_when_stores_done(run: RollupRun) -> None:
    """Fan-in: the store that finishes its organisation's night last queues the totals.

    Each store marks itself finished before it looks, so the last one always sees the rest
    finished (two finishing together may both queue the totals, which is harmless). RQ's
    depends_on would do the same but checks every dependency after every job: quadratic, and
    half the night's time with 500 stores. A failed store counts as finished; its retry, once
    it succeeds, queues the totals again.
    """
    if run.trigger != RollupRun.Trigger.NIGHTLY or run.store_id is None:
        return
    night = RollupRun.objects.filter(
        organisation_id=run.organisation_id, trigger=RollupRun.Trigger.NIGHTLY, first_day=run.first_day
    )
    if night.filter(store__isnull=False, status__in=UNFINISHED).exists():
        return
    totals = night.filter(store__isnull=True).order_by("-pk").first()
    if totals:
        queue.enqueue(rollup_run_execute, totals.pk, queue_name="nightly", retry=RETRY)


def rollup_nightly(day: str | None = None) -> int:
    """Roll up one day (default: yesterday in Asia/Shanghai) for every active store: one job per
    store so several workers share the load, then, once all its stores are done, one job for
    each organisation's totals. Returns the number of store jobs queued."""
    rolled_day = dt.date.fromisoformat(day) if day else periods.yesterday()
    RollupRun.objects.filter(queued_at__lt=timezone.now() - dt.timedelta(days=RUNS_KEPT_DAYS)).delete()
    stores = Store.objects.filter(active=True).order_by("organisation_id", "pk")
    by_organisation: dict[int, list[RollupRun]] = {}
    for store in stores:
        by_organisation.setdefault(store.organisation_id, []).append(
            RollupRun(
                organisation_id=store.organisation_id,
                store=store,
                trigger=RollupRun.Trigger.NIGHTLY,
                first_day=rolled_day,
                last_day=rolled_day,
            )
        )
    queued = 0
    for organisation_id, store_runs in by_organisation.items():
        # The totals' run is recorded first, so the last store to finish finds it.
        RollupRun.objects.create(
            organisation_id=organisation_id,
            trigger=RollupRun.Trigger.NIGHTLY,
            first_day=rolled_day,
            last_day=rolled_day,
        )
        for run in RollupRun.objects.bulk_create(store_runs):
            queue.enqueue(rollup_run_execute, run.pk, queue_name="nightly", retry=RETRY)
            queued += 1
    return queued


def rollups_after_change(*, store_dates: dict[int, set[dt.date]]) -> None:
    """Queue the recomputation of exactly the periods touched by changed days, per store."""
    organisations = dict(Store.objects.filter(pk__in=store_dates).values_list("pk", "organisation_id"))
    for store_id, days in store_dates.items():
        if not days or store_id not in organisations:
            continue
        run = RollupRun.objects.create(
            organisation_id=organisations[store_id],
            store_id=store_id,
            trigger=RollupRun.Trigger.CHANGE,
            first_day=min(days),
            last_day=max(days),
        )
        queue.enqueue(rollup_run_execute, run.pk, sorted(day.isoformat() for day in days), retry=RETRY)


def rollup_rerun(*, run: RollupRun, requested_by) -> RollupRun:
    """Run a recorded rollup again (the ops lead's re-run button), as a new recorded run."""
    rerun = RollupRun.objects.create(
        organisation_id=run.organisation_id,
        store_id=run.store_id,
        trigger=RollupRun.Trigger.RERUN,
        first_day=run.first_day,
        last_day=run.last_day,
        requested_by=requested_by,
    )
    queue.enqueue(rollup_run_execute, rerun.pk, retry=RETRY)
    return rerun


def weekly_report_emails_send(week: str | None = None) -> int:
    """Monday morning: queue the email of the last complete week's report (or of `week`, e.g.
    "2026-W47") to each organisation's boss and ops lead, one retried job per organisation so
    one failing mail server conversation holds up no other. The week is fixed here, so a retry
    late in the day still sends the same week. Returns the number of jobs queued."""
    from stores.models import Organisation

    label = week or periods.last_complete_period(periods.PeriodKind.WEEK).label
    organisation_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    for organisation_id in organisation_ids:
        queue.enqueue(weekly_report_email_for, organisation_id, label, retry=RETRY)
    return len(organisation_ids)


def weekly_report_email_for(organisation_id: int, week: str) -> bool:
    """One organisation's weekly report email; safe to run twice (sent once per week)."""
    from reports import emails
    from stores.models import Organisation

    organisation = Organisation.objects.get(pk=organisation_id)
    period = periods.period_parse(periods.PeriodKind.WEEK, week)
    return emails.weekly_report_email_send(organisation=organisation, week=period) is not None
