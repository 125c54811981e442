"""The same file imported again: the earlier outcome when nothing it covers has changed, else
the file is read and compared in full, with exactly the outcome any other file would get."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from stores.imports.services import import_batch_create, import_batch_revert, import_batch_run
from stores.models import DailyMetric, ImportBatch
from stores.services import daily_metric_enter
from tests.factories import StoreFactory
from tests.stores.test_import_batches import _metrics_snapshot

pytestmark = pytest.mark.django_db
HEADER = "统计日期,访客数,支付买家数,支付金额,成功退款金额,支付转化率\n"
# 2 November's 支付转化率 says 5 %, its numbers 3 %: a warning, which the same file repeats.
ROWS = ("2026-11-01,1000,30,4500.00,120,3.00%", "2026-11-02,1200,36,5400,-,5.00%")
STORE_HEADER = "统计日期,店铺名称,访客数\n"


def _csv(*lines: str, header: str = HEADER, ending: str = "\n") -> bytes:
    return (header + ending.join(lines) + ending).encode("utf-8-sig")


def _import(content: bytes, *, store=None, user=None, dry_run=False) -> ImportBatch:
    batch = import_batch_create(content=content, file_name="店铺整体.csv", user=user, store=store)
    return import_batch_run(batch=batch, dry_run=dry_run)


def _outcome(batch: ImportBatch) -> tuple:
    fields = ("status", "rows_total", "rows_inserted", "rows_updated", "rows_unchanged", "values_changed")
    return (*(getattr(batch, name) for name in fields), batch.warnings, batch.ignored_columns, batch.summary)


def test_the_same_file_again_takes_the_earlier_outcome_which_reading_it_would_give():
    store = StoreFactory()
    first = _import(_csv(*ROWS), store=store)
    before = _metrics_snapshot()
    again = _import(_csv(*ROWS), store=store)
    assert again.same_as == first and again.status == ImportBatch.Status.APPLIED
    assert (again.rows_inserted, again.rows_updated, again.rows_unchanged) == (0, 0, 2)
    assert _metrics_snapshot() == before
    # The same rows in other bytes (Windows line ends) are read and compared in full: same answer.
    read_in_full = _import(_csv(*ROWS, ending="\r\n"), store=store)
    assert read_in_full.same_as is None
    assert _outcome(again) == _outcome(read_in_full)
    assert len(again.warnings) == 1 and "第 3 行“支付转化率”列" in again.warnings[0]


def test_each_import_of_the_same_unchanged_file_answers_for_the_next():
    store = StoreFactory()
    first = _import(_csv(*ROWS), store=store)
    second = _import(_csv(*ROWS), store=store)
    third = _import(_csv(*ROWS), store=store)
    assert (second.same_as, third.same_as) == (first, second)
    assert third.rows_unchanged == 2


def test_a_value_changed_since_is_put_back_as_any_file_would():
    store = StoreFactory()
    _import(_csv(*ROWS), store=store)
    daily_metric_enter(store_id=store.pk, date=dt.date(2026, 11, 1), values={"uv": 999}, user=None)
    again = _import(_csv(*ROWS), store=store)
    assert again.same_as is None
    assert (again.rows_updated, again.rows_unchanged, again.values_changed) == (1, 1, 1)
    assert DailyMetric.objects.get(store=store, date=dt.date(2026, 11, 1)).uv == 1000


def test_a_day_deleted_since_comes_back():
    store = StoreFactory()
    _import(_csv(*ROWS), store=store)
    DailyMetric.objects.filter(store=store, date=dt.date(2026, 11, 2)).delete()  # as from the admin
    again = _import(_csv(*ROWS), store=store)
    assert again.same_as is None and (again.rows_inserted, again.rows_unchanged) == (1, 1)


def test_a_value_edited_without_a_revision_is_noticed_by_its_update_time():
    store = StoreFactory()
    _import(_csv(*ROWS), store=store)
    day = DailyMetric.objects.get(store=store, date=dt.date(2026, 11, 2))
    day.paid_buyers = 35
    day.save()  # the admin's change form: no revision, but updated_at moves
    again = _import(_csv(*ROWS), store=store)
    assert again.same_as is None and (again.rows_updated, again.values_changed) == (1, 1)


def test_a_day_added_within_the_files_dates_is_noticed():
    store = StoreFactory()
    _import(_csv(ROWS[0], "2026-11-03,900,20,3000,0,2.22%"), store=store)
    _import(_csv(ROWS[1]), store=store)  # 2 November, between the first file's dates
    again = _import(_csv(ROWS[0], "2026-11-03,900,20,3000,0,2.22%"), store=store)
    assert again.same_as is None and again.rows_unchanged == 2


def test_after_an_undo_the_same_file_is_imported_again():
    store = StoreFactory()
    first = _import(_csv(*ROWS), store=store)
    import_batch_revert(batch=first, user=None)
    assert not DailyMetric.objects.exists()
    again = _import(_csv(*ROWS), store=store)
    assert again.same_as is None and again.rows_inserted == 2


def test_undoing_an_import_that_took_the_earlier_outcome_changes_nothing():
    store = StoreFactory()
    _import(_csv(*ROWS), store=store)
    before = _metrics_snapshot()
    again = _import(_csv(*ROWS), store=store)
    outcome = import_batch_revert(batch=again, user=None)
    assert (outcome.restored, outcome.removed_days, outcome.kept) == (0, 0, [])
    assert _metrics_snapshot() == before


def test_a_dry_run_of_the_same_file_says_nothing_would_change():
    store = StoreFactory()
    first = _import(_csv(*ROWS), store=store)
    preview = _import(_csv(*ROWS), store=store, dry_run=True)
    assert preview.status == ImportBatch.Status.PREVIEWED and preview.same_as == first
    assert (preview.rows_inserted, preview.rows_updated, preview.rows_unchanged) == (0, 0, 2)
    assert preview.coverage is None, "a preview covers nothing: it wrote nothing"


def test_the_same_file_for_another_chosen_store_is_that_stores_first_import():
    first_store = StoreFactory()
    other = StoreFactory(organisation=first_store.organisation)
    _import(_csv(*ROWS), store=first_store)
    again = _import(_csv(*ROWS), store=other)
    assert again.same_as is None and again.rows_inserted == 2


def test_a_store_renamed_since_makes_the_file_name_an_unknown_store():
    store = StoreFactory(name="山岚家居旗舰店", slug="shanlan")
    content = _csv("2026-11-01,山岚家居旗舰店,1000", header=STORE_HEADER)
    _import(content)
    store.name = "山岚家居官方旗舰店"
    store.save()
    again = _import(content)
    assert again.status == ImportBatch.Status.REFUSED and again.same_as is None
    assert "山岚家居旗舰店" in again.errors[0] and "店铺名称" in again.errors[0]


def test_a_name_two_stores_now_share_no_longer_picks_one():
    store = StoreFactory(name="山岚家居旗舰店", slug="shanlan")
    content = _csv("2026-11-01,山岚家居旗舰店,1000", header=STORE_HEADER)
    _import(content)
    StoreFactory(organisation=store.organisation, name="山岚家居旗舰店", slug="shanlan-2")
    assert _import(content).status == ImportBatch.Status.REFUSED


def test_someone_without_access_to_the_files_store_is_refused(personas):
    content = _csv("2026-11-01,A店,1000", header=STORE_HEADER)
    assert _import(content, user=personas.lead).status == ImportBatch.Status.APPLIED
    again = _import(content, user=personas.stranger)  # the lead of another company
    assert again.status == ImportBatch.Status.REFUSED and again.same_as is None


def test_warnings_come_in_the_language_of_whoever_imports():
    store = StoreFactory()
    with translation.override("en"):
        _import(_csv(*ROWS), store=store)
    with translation.override("zh-hans"):
        again = _import(_csv(*ROWS), store=store)
    assert again.same_as is None and again.rows_unchanged == 2
    assert again.warnings == [
        "店铺整体.csv，第 3 行“支付转化率”列：文件中是 5.00%，但按这一行的数据计算应为 3.00%"
    ]


def test_a_release_that_reads_files_differently_reads_the_file_again():
    store = StoreFactory()
    first = _import(_csv(*ROWS), store=store)
    # As if an older release had imported it: its reading rules were other than today's.
    first.coverage = {**first.coverage, "reading_rules": "an older release"}
    first.save(update_fields=["coverage"])
    again = _import(_csv(*ROWS), store=store)
    assert again.same_as is None and again.rows_unchanged == 2


def test_a_row_limit_lowered_since_refuses_the_file(settings):
    store = StoreFactory()
    _import(_csv(*ROWS), store=store)
    settings.IMPORT_MAX_ROWS = 1
    assert _import(_csv(*ROWS), store=store).status == ImportBatch.Status.REFUSED


def test_the_command_line_says_the_file_was_not_read_again(tmp_path):
    StoreFactory(slug="shanlan")
    path = tmp_path / "店铺整体.csv"
    path.write_bytes(_csv(*ROWS))
    out = StringIO()
    with translation.override("en"):
        call_command("import_metrics", str(path), "--store", "shanlan", stdout=StringIO(), stderr=StringIO())
        call_command("import_metrics", str(path), "--store", "shanlan", stdout=out, stderr=StringIO())
    first = ImportBatch.objects.order_by("pk").first()
    assert "0 days added, 0 changed (0 values), 2 unchanged" in out.getvalue()
    assert f"The same file as import #{first.pk}" in out.getvalue()


def test_the_import_page_links_to_the_earlier_import(personas, client_for):
    first = _import(_csv(*ROWS), store=personas.store_a, user=personas.operator)
    again = _import(_csv(*ROWS), store=personas.store_a, user=personas.operator)
    page = client_for(personas.operator).get(reverse("imports:detail", args=[again.pk])).content.decode()
    assert reverse("imports:detail", args=[first.pk]) in page
    assert f"导入 #{first.pk}" in page
