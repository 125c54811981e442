"""Applying an import asks again, at that moment, whether its uploader may still write to every
store it touches: a preview made before they lost a store saves nothing and says why."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stores.imports.services import import_batch_create, import_batch_run
from stores.models import DailyMetric, ImportBatch, StoreAssignment

CHOSEN = "统计日期,访客数,支付金额\n2026-11-01,1000,4500\n2026-11-02,1100,4700\n".encode()
NAMED = "统计日期,店铺名称,访客数,支付金额\n2026-11-01,A店,1000,4500\n2026-11-02,A店,1100,4700\n".encode()


def _preview(client, store, content, name="店铺整体.csv") -> ImportBatch:
    client.post(
        reverse("imports:list"),
        {"store": store.pk if store else "", "file": SimpleUploadedFile(name, content)},
    )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors
    return batch


def _lose_store_a(personas) -> None:
    assert StoreAssignment.objects.filter(user=personas.operator, store=personas.store_a).delete()[0]


def test_a_preview_of_the_chosen_store_cannot_be_applied_after_losing_it(personas, client_for):
    client = client_for(personas.operator)
    batch = _preview(client, personas.store_a, CHOSEN)
    _lose_store_a(personas)

    client.post(reverse("imports:apply", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED
    assert not DailyMetric.objects.exists()
    assert batch.errors == ["店铺整体.csv：你已无权向店铺“A店”导入数据，未保存任何内容。"]
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "你已无权向店铺“A店”导入数据" in page


def test_a_preview_of_a_file_naming_the_store_cannot_be_applied_after_losing_it(personas, client_for):
    client = client_for(personas.operator)
    batch = _preview(client, None, NAMED)
    _lose_store_a(personas)

    client.post(reverse("imports:apply", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED
    assert not DailyMetric.objects.exists()
    assert len(batch.errors) == 2 and all("A店" in error for error in batch.errors)


def test_the_same_file_again_is_refused_after_losing_the_store(personas):
    """The same bytes as an applied import are not waved through as "unchanged" either."""
    first = import_batch_create(
        content=CHOSEN, file_name="x.csv", user=personas.operator, store=personas.store_a
    )
    assert import_batch_run(batch=first, dry_run=False).status == ImportBatch.Status.APPLIED
    _lose_store_a(personas)
    again = import_batch_create(
        content=CHOSEN, file_name="x.csv", user=personas.operator, store=personas.store_a
    )
    again = import_batch_run(batch=again, dry_run=False)
    assert again.status == ImportBatch.Status.REFUSED and again.same_as is None
    assert again.rows_inserted == again.rows_unchanged == 0


def test_an_uploader_who_keeps_the_store_applies_as_before(personas, client_for):
    client = client_for(personas.operator)
    batch = _preview(client, personas.store_a, CHOSEN)
    # Another store's assignment goes: store A's stays.
    StoreAssignment.objects.create(user=personas.operator, store=personas.store_b, role="operator")
    StoreAssignment.objects.filter(user=personas.operator, store=personas.store_b).delete()

    client.post(reverse("imports:apply", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert DailyMetric.objects.filter(store=personas.store_a).count() == 2


def test_the_command_line_keeps_its_full_rights(personas):
    batch = import_batch_create(content=CHOSEN, file_name="x.csv", store=personas.store_a)
    assert import_batch_run(batch=batch, dry_run=False).status == ImportBatch.Status.APPLIED
