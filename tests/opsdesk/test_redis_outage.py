"""Redis is an accelerator, not a dependency (docs/jobs.md): with the test's own Redis stopped,
every page renders and every write succeeds; the follow-up work waits in the database and is
done once Redis is back.

The test commits for real (transaction=True), as the app does, and works the queues with RQ's
own worker in this process, on the same database.
"""

import datetime as dt
from decimal import Decimal

import django_rq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opsdesk import queue
from opsdesk.models import BackgroundJob
from opsdesk.worker import SimpleWorker
from reports.models import RollupRun, StoreRollup
from stores import periods
from stores.models import DailyMetric, ImportBatch
from tasks.models import ChecklistEvent, ChecklistItem, ChecklistTemplate

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _work_the_queues() -> None:
    workers = [
        SimpleWorker([django_rq.get_queue(name)], connection=django_rq.get_connection(name))
        for name in ("default", "nightly")
    ]
    for _ in range(3):  # the totals and alerts each store's rollup queues
        for worker in workers:
            worker.work(burst=True)


def _pages(personas) -> dict:
    store = personas.store_a.slug
    return {
        personas.lead: [
            reverse("home"),
            reverse("store_dashboard", args=[store]),
            reverse("reports:weekly"),
            reverse("reports:alerts"),
            reverse("reports:rollup_status"),
            reverse("imports:list"),
        ],
        personas.operator: [reverse("tasks:checklist"), reverse("stores:entry", args=[store])],
        personas.boss: [reverse("reports:weekly")],
    }


@pytest.fixture
def every_day(personas):
    ChecklistTemplate.objects.filter(organisation=personas.acme).update(also_on_rest_days=True)
    return personas


def test_with_redis_down_pages_render_writes_succeed_and_the_rollups_follow_when_it_returns(
    own_redis, every_day, client
):
    personas = every_day
    own_redis.stop()
    assert client.get(reverse("healthz")).json() | {"jobs_waiting": None} == {
        "status": "degraded",
        "database": "ok",
        "redis": "down",
        "jobs_waiting": None,
        "oldest_job_seconds": None,
    }
    for user, urls in _pages(personas).items():
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, url

    client.force_login(personas.operator)
    client.get(reverse("tasks:checklist"))
    item = ChecklistItem.objects.filter(checklist__user=personas.operator).first()
    assert client.post(reverse("tasks:tick", args=[item.pk]), {"done": "1"}).status_code == 302
    assert ChecklistEvent.objects.filter(item=item, action="tick").count() == 1

    yesterday = periods.yesterday()
    entry = client.post(
        reverse("stores:entry_day", args=[personas.store_a.slug, yesterday.isoformat()]),
        {"uv": "1000", "paid_buyers": "30", "gmv": "4500"},
    )
    assert entry.status_code == 302
    assert DailyMetric.objects.get(store=personas.store_a, date=yesterday).gmv == Decimal("4500.00")

    day = yesterday - dt.timedelta(days=1)
    csv = f"统计日期,访客数,支付金额\n{day.isoformat()},800,3600\n".encode()
    client.force_login(personas.lead)
    client.post(
        reverse("imports:list"),
        {"store": personas.store_b.pk, "file": SimpleUploadedFile("店铺整体.csv", csv)},
    )
    client.post(reverse("imports:apply", args=[ImportBatch.objects.get().pk]))
    assert DailyMetric.objects.filter(store=personas.store_b, date=day).exists()

    # The numbers are in; their rollups wait, and the pages say so.
    assert not StoreRollup.objects.filter(kind="day", period_start=yesterday).exists()
    assert RollupRun.objects.filter(status=RollupRun.Status.QUEUED).exists()
    assert BackgroundJob.objects.filter(status="waiting", delivered_at__isnull=True).exists()
    dashboard = client.get(reverse("home")).content.decode()
    assert "正在更新" in dashboard
    health = client.get(reverse("healthz")).json()
    assert health["status"] == "degraded" and health["jobs_waiting"] >= 2

    own_redis.start()
    assert queue.jobs_sweep().delivered >= 2  # what every worker does at start and each half minute
    _work_the_queues()

    assert not BackgroundJob.objects.exclude(status="done").exists()
    assert set(RollupRun.objects.values_list("status", flat=True)) == {RollupRun.Status.DONE}
    rolled = StoreRollup.objects.get(store=personas.store_a, kind="day", period_start=yesterday)
    assert rolled.gmv == Decimal("4500.00")
    assert StoreRollup.objects.get(store=personas.store_b, kind="day", period_start=day).gmv == Decimal(
        "3600.00"
    )
    assert "正在更新" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("healthz")).json()["status"] == "ok"
