"""Background jobs of the reports app: thin wrappers over services, safe to run twice.

Every rollup job is recorded as a RollupRun (queued → running → done or failed) so the ops lead's
job-status page can show it and re-run it. The runs and their jobs are written in the
transaction that changed the numbers (opsdesk.queue's outbox), so no change is left without
its rollup; a job that raises or loses its worker is tried ATTEMPTS times in all.
"""

import datetime as dt
import logging
import traceback
import uuid

from django.db.models import F
from django.utils import timezone

from opsdesk import queue
from reports import services
from reports.models import RollupRun
from reports.signals import rollups_written
from stores import periods
from stores.models import Store

log = logging.getLogger(__name__)
ATTEMPTS = 4  # the first and three retries, after 30 s, 2 min and 10 min (opsdesk.queue)
RUNS_KEPT_DAYS = 90
ALERT_DAYS_BACK = 7  # alerts concern the last week; a change to older numbers raises none
# The nightly worker runs jobs without forking (docker-compose's nightly-worker).
QUEUES = {
    RollupRun.Trigger.NIGHTLY: "nightly",
    RollupRun.Trigger.CHANGE: "default",
    RollupRun.Trigger.RERUN: "default",
}


def rollup_run_execute(run_id: int, days: list[str] | None = None) -> str:
    """Do one recorded rollup: a store's periods, or its organisation's totals (a re-run does
    both). `days` (ISO dates) narrows a run to the days that changed; without it the run's own
    `days`, else every day from first_day to last_day."""
    run = RollupRun.objects.get(pk=run_id)
    RollupRun.objects.filter(pk=run_id).update(
        status=RollupRun.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, error=""
    )
    touched = [dt.date.fromisoformat(day) for day in (days or run.days)] or periods.days_between(
        run.first_day, run.last_day
    )
    with_totals = run.store_id is None or run.trigger == RollupRun.Trigger.RERUN
    try:
        if run.store_id:
            services.store_rollups_refresh(store_id=run.store_id, days=touched)
        if with_totals:
            services.organisation_rollups_refresh(organisation_id=run.organisation_id, days=touched)
    except Exception:
        log.exception("Rollup run #%s failed", run_id)
        RollupRun.objects.filter(pk=run_id).update(
            status=RollupRun.Status.FAILED, finished_at=timezone.now(), error=traceback.format_exc(limit=5)
        )
        _totals_when_stores_done(run)
        raise
    RollupRun.objects.filter(pk=run_id).update(status=RollupRun.Status.DONE, finished_at=timezone.now())
    _totals_when_stores_done(run)
    if with_totals:
        _alerts_after(run, touched)
        rollups_written.send(sender=RollupRun, organisation_id=run.organisation_id, days=touched)
    return RollupRun.Status.DONE


def _totals_when_stores_done(run: RollupRun) -> None:
    """Fan-in: the store that finishes its batch last (one night, or one change of several
    stores' numbers) queues its organisation's totals, computed once for all of them.

    Each store marks itself finished before it looks, so the last one always sees the rest
    finished (two finishing together may both queue the totals, which is harmless). RQ's
    depends_on would do the same but checks every dependency after every job: quadratic, and
    half the night's time with 500 stores. A failed store counts as finished; its retry, once
    it succeeds, queues the totals again.
    """
    if not run.batch or run.store_id is None:
        return
    batch = RollupRun.objects.filter(batch=run.batch)
    if batch.filter(store__isnull=False, status__in=RollupRun.UNFINISHED).exists():
        return
    totals = batch.filter(store__isnull=True).order_by("-pk").first()
    if totals:
        _run_enqueue([totals])


def _alerts_after(run: RollupRun, days: list[dt.date]) -> None:
    """The alerts look at rollups: evaluate the organisation's recent days once its totals are
    written (after the night, after a change, after a re-run)."""
    recent = sorted(day for day in set(days) if day >= periods.today() - dt.timedelta(days=ALERT_DAYS_BACK))
    store_id = run.store_id if run.trigger == RollupRun.Trigger.RERUN else None
    for day in recent:
        queue.enqueue(alerts_evaluate_for, run.organisation_id, day.isoformat(), store_id, attempts=ATTEMPTS)


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
        queue.enqueue(
            alerts_evaluate_for, organisation_id, periods.yesterday().isoformat(), attempts=ATTEMPTS
        )
    return len(organisation_ids)


def _batch_queue(*, trigger: str, store_days: dict[Store, set[dt.date]]) -> int:
    """Record one batch of rollups per organisation (its stores' runs, then one for the totals)
    and queue the stores' jobs. Returns the number of store jobs queued."""
    by_organisation: dict[int, dict[Store, set[dt.date]]] = {}
    for store, days in store_days.items():
        if days:
            by_organisation.setdefault(store.organisation_id, {})[store] = days
    queued = 0
    for organisation_id, stores in by_organisation.items():
        batch = f"{trigger}:{uuid.uuid4().hex}"
        every_day = sorted(set().union(*stores.values()))
        # The totals' run is recorded first, so the last store to finish finds it.
        RollupRun.objects.create(
            organisation_id=organisation_id,
            trigger=trigger,
            batch=batch,
            first_day=every_day[0],
            last_day=every_day[-1],
            days=[day.isoformat() for day in every_day] if len(every_day) > 1 else [],
        )
        runs = RollupRun.objects.bulk_create(
            RollupRun(
                organisation_id=organisation_id,
                store=store,
                trigger=trigger,
                batch=batch,
                first_day=min(days),
                last_day=max(days),
                days=[day.isoformat() for day in sorted(days)] if len(days) > 1 else [],
            )
            for store, days in stores.items()
        )
        _run_enqueue(runs)
        queued += len(runs)
    return queued


def _run_enqueue(runs: list[RollupRun]) -> None:
    """Queue the jobs of runs of one trigger, in one statement."""
    queue.enqueue_each(
        rollup_run_execute,
        [(run.pk,) for run in runs],
        queue_name=QUEUES[runs[0].trigger],
        attempts=ATTEMPTS,
        on_failure=rollup_run_job_failed,
    )


def rollup_run_job_failed(run_id: int, days: list[str] | None = None, *, reason: str) -> None:
    """The run's job failed for good. A run that raised is failed already; one whose worker
    died every time is still "running": it fails now, with the reason, for the re-run button.
    Either way it counts as finished for its organisation's totals."""
    unfinished = RollupRun.objects.filter(pk=run_id, status__in=RollupRun.UNFINISHED)
    unfinished.update(status=RollupRun.Status.FAILED, finished_at=timezone.now(), error=reason)
    run = RollupRun.objects.filter(pk=run_id).first()
    if run is not None:
        _totals_when_stores_done(run)


def rollup_nightly(day: str | None = None) -> int:
    """Roll up one day (default: yesterday in Asia/Shanghai) for every active store: one job per
    store so several workers share the load, then, once all its stores are done, one job for
    each organisation's totals. Returns the number of store jobs queued."""
    rolled_day = dt.date.fromisoformat(day) if day else periods.yesterday()
    RollupRun.objects.filter(queued_at__lt=timezone.now() - dt.timedelta(days=RUNS_KEPT_DAYS)).delete()
    stores = Store.objects.filter(active=True).order_by("organisation_id", "pk")
    return _batch_queue(
        trigger=RollupRun.Trigger.NIGHTLY, store_days={store: {rolled_day} for store in stores}
    )


def rollups_after_change(*, store_dates: dict[int, set[dt.date]]) -> None:
    """Queue the recomputation of exactly the periods touched by changed days: each store's,
    then its organisation's totals once (an import of 100 stores sums them once, not 100 times)."""
    stores = Store.objects.in_bulk(list(store_dates))
    _batch_queue(
        trigger=RollupRun.Trigger.CHANGE,
        store_days={
            stores[store_id]: set(days) for store_id, days in store_dates.items() if store_id in stores
        },
    )


def rollup_rerun(*, run: RollupRun, requested_by) -> RollupRun:
    """Run a recorded rollup again (the ops lead's re-run button), as a new recorded run: a
    store's periods and its organisation's totals, then the alerts."""
    rerun = RollupRun.objects.create(
        organisation_id=run.organisation_id,
        store_id=run.store_id,
        trigger=RollupRun.Trigger.RERUN,
        first_day=run.first_day,
        last_day=run.last_day,
        days=run.days,
        requested_by=requested_by,
    )
    _run_enqueue([rerun])
    return rerun


def weekly_report_emails_send(week: str | None = None) -> int:
    """Queue the email of the last complete week's report (or of `week`, e.g. "2026-W47") to each
    organisation now, whatever its send time (by hand; the schedule runs weekly_report_emails_due):
    one retried job per organisation so one failing mail server conversation holds up no other.
    The week is fixed here, so a retry late in the day still sends the same week; an organisation
    that switched its email off, or got that week already, gets nothing. Returns the number of
    jobs queued."""
    from stores.models import Organisation

    label = week or periods.last_complete_period(periods.PeriodKind.WEEK).label
    organisation_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    for organisation_id in organisation_ids:
        queue.enqueue(weekly_report_email_for, organisation_id, label, attempts=ATTEMPTS)
    return len(organisation_ids)


# The schedule's last run of a Monday (every 15 minutes): it sends a send time later than itself too.
WEEKLY_EMAIL_LAST_RUN = dt.time(23, 45)


def weekly_report_emails_due(now: str | None = None) -> int:
    """Every 15 minutes on Monday (TIME_ZONE, Asia/Shanghai): queue last week's email of each
    organisation whose send time has come and that has not had it yet (emails.organisations_due),
    one retried job each. Any other day it does nothing: the schedule's UTC cron covers more than
    Monday in Shanghai. Safe to re-run: the WeeklyEmail row sends a week once. `now` (ISO date
    and time, for tests and by hand): the moment to decide for. Returns the number of jobs queued."""
    from reports import emails

    moment = dt.datetime.fromisoformat(now) if now else timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    local = timezone.localtime(moment)
    if local.isoweekday() != 1:
        return 0
    at = dt.time.max if local.time() >= WEEKLY_EMAIL_LAST_RUN else local.time()
    week = periods.last_complete_period(periods.PeriodKind.WEEK, on=local.date())
    due = [
        organisation
        for organisation in emails.organisations_due(week=week, at=at)
        # Nobody to send to: not queued every 15 minutes; once someone has an address, it goes.
        if emails.weekly_report_recipients(organisation=organisation)
    ]
    for organisation in due:
        queue.enqueue(weekly_report_email_for, organisation.pk, week.label, attempts=ATTEMPTS)
    return len(due)


def weekly_report_email_for(organisation_id: int, week: str) -> bool:
    """One organisation's weekly report email; safe to run twice (sent once per week)."""
    from reports import emails
    from stores.models import Organisation

    organisation = Organisation.objects.get(pk=organisation_id)
    period = periods.period_parse(periods.PeriodKind.WEEK, week)
    return emails.weekly_report_email_send(organisation=organisation, week=period) is not None
