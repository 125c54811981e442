"""Import pages: upload, preview, apply, undo — with the same access rules as every page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from rq import SimpleWorker

from stores.imports.services import import_batch_create, import_batch_run
from stores.models import DailyMetric, ImportBatch

CSV = "统计日期,访客数,支付金额\n2026-11-01,1000,4500\n2026-11-02,1100,4700\n".encode()


def _upload(client, store, content=CSV, name="店铺整体.csv"):
    return client.post(
        reverse("imports:list"),
        {"store": store.pk if store else "", "file": SimpleUploadedFile(name, content)},
    )


def test_upload_shows_a_preview_and_saves_nothing_until_confirmed(personas, client_for):
    client = client_for(personas.operator)
    response = _upload(client, personas.store_a)
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("imports:detail", args=[batch.pk])
    assert batch.status == ImportBatch.Status.PREVIEWED and not DailyMetric.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "2026-11-01" in page and reverse("imports:apply", args=[batch.pk]) in page

    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert DailyMetric.objects.filter(store=personas.store_a).count() == 2


def test_a_refused_file_shows_every_error(personas, client_for):
    client = client_for(personas.operator)
    _upload(client, personas.store_a, content="统计日期,访客数\n2026-11-01,abc\n2026-11-02,-1\n".encode())
    batch = ImportBatch.objects.get()
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert batch.status == ImportBatch.Status.REFUSED
    assert page.count("访客数") >= 2 and not DailyMetric.objects.exists()


def test_staff_cannot_import_into_a_store_they_do_not_work_in(personas, client_for):
    response = _upload(client_for(personas.operator), personas.store_b)
    assert response.status_code == 200 and "store" in response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_a_store_column_naming_another_store_is_refused_for_staff(personas, client_for):
    content = "统计日期,店铺名称,访客数\n2026-11-01,B店,1000\n".encode()
    _upload(client_for(personas.operator), None, content=content)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED and "B店" in batch.errors[0]


def test_the_boss_reads_but_does_not_import(personas, client_for):
    response = _upload(client_for(personas.boss), personas.store_a)
    assert "store" in response.context["form"].errors


def _applied_batch(personas, uploader):
    batch = import_batch_create(content=CSV, file_name="x.csv", user=uploader, store=personas.store_a)
    return import_batch_run(batch=batch, dry_run=False)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("operator", 200), ("lead", 200), ("boss", 200), ("designer", 200), ("stranger", 404)],
)
def test_who_sees_an_import_of_store_a(personas, client_for, persona, status):
    batch = _applied_batch(personas, personas.operator)
    assert (
        client_for(personas.user(persona)).get(reverse("imports:detail", args=[batch.pk])).status_code
        == status
    )


def test_only_the_ops_lead_may_undo(personas, client_for):
    batch = _applied_batch(personas, personas.operator)
    url = reverse("imports:revert", args=[batch.pk])
    assert client_for(personas.operator).post(url).status_code == 403
    assert client_for(personas.boss).post(url).status_code == 403
    assert client_for(personas.stranger).post(url).status_code == 404
    assert client_for(personas.lead).post(url).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REVERTED and not DailyMetric.objects.exists()


def test_only_the_uploader_applies_their_preview(personas, client_for):
    _upload(client_for(personas.operator), personas.store_a)
    batch = ImportBatch.objects.get()
    assert client_for(personas.lead).post(reverse("imports:apply", args=[batch.pk])).status_code == 403


def test_progress_answers_json(personas, client_for):
    batch = _applied_batch(personas, personas.operator)
    response = client_for(personas.operator).get(reverse("imports:progress", args=[batch.pk]))
    assert response.json() == {"status": "applied", "progress": 100}


@pytest.mark.redis
def test_a_large_file_goes_to_a_background_job(
    personas, client_for, redis_queue, django_capture_on_commit_callbacks
):
    client = client_for(personas.operator)
    with override_settings(IMPORT_INLINE_MAX_BYTES=10):
        with django_capture_on_commit_callbacks(execute=True):
            _upload(client, personas.store_a)
        batch = ImportBatch.objects.get()
        assert batch.status == ImportBatch.Status.RUNNING and redis_queue.count == 1
        page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
        assert "<progress" in page
        SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.rows_inserted == 2


def test_after_undo_the_page_lists_values_left_alone(personas, client_for):
    from stores.services import daily_metric_enter

    batch = _applied_batch(personas, personas.operator)
    import datetime as dt

    daily_metric_enter(store_id=personas.store_a.pk, date=dt.date(2026, 11, 1), values={"uv": 999}, user=None)
    client = client_for(personas.lead)
    client.post(reverse("imports:revert", args=[batch.pk]))
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "2026-11-01 A店 · 访客数" in page


def test_the_uploader_tries_a_failed_import_again_from_its_kept_file(personas, client_for):
    client = client_for(personas.operator)
    _upload(client, personas.store_a)
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED)  # its job died
    retry = reverse("imports:retry", args=[batch.pk])
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "导入未完成就中止了" in page and retry in page

    assert client_for(personas.lead).post(retry).status_code == 403, "only the uploader"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED

    client = client_for(personas.operator)
    assert client.post(retry)["Location"] == reverse("imports:detail", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.rows_total == 2
    assert client.post(retry).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED, "a batch that has not failed is left alone"
    assert not DailyMetric.objects.exists()
