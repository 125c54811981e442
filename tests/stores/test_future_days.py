"""No numbers for a day that has not happened: after today (stores.periods.last_recordable_day,
the business date in TIME_ZONE) the entry page answers 404, its form and the entry service
refuse the day, and an import refuses the whole file, naming file, row and the date column."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stores import periods
from stores.forms import DailyEntryForm
from stores.imports.services import import_batch_create, import_batch_run
from stores.models import DailyMetric, ImportBatch
from stores.services import DayNotRecordable, daily_metric_enter
from tests.stores.imports.files import csv_bytes, xlsx_bytes

TITLE = [["店铺整体日报"], []]  # the header is row 3, the first data row row 4
HEADER = ["统计日期", "访客数", "支付金额"]


def _tomorrow() -> dt.date:
    return periods.today() + dt.timedelta(days=1)


def test_the_last_recordable_day_is_today_in_the_business_time_zone():
    assert periods.last_recordable_day() == periods.today()


# The entry form and page ------------------------------------------------------------------------


def _form(store, day, data=None):
    return DailyEntryForm(data or {"uv": "100"}, store=store, date=day, stored_values={})


def test_the_form_refuses_a_day_after_today(personas):
    form = _form(personas.store_a, _tomorrow())
    assert not form.is_valid()
    assert _tomorrow().isoformat() in " ".join(form.non_field_errors())


def test_the_form_takes_today_and_yesterday(personas):
    assert _form(personas.store_a, periods.today()).is_valid()
    assert _form(personas.store_a, periods.yesterday()).is_valid()


def test_the_entry_page_of_a_day_after_today_is_not_found_and_saves_nothing(personas, client_for):
    client = client_for(personas.operator)
    url = reverse("stores:entry_day", args=[personas.store_a.slug, _tomorrow().isoformat()])
    assert client.get(url).status_code == 404
    assert client.post(url, {"uv": "100"}).status_code == 404
    assert not DailyMetric.objects.exists()


def test_the_entry_page_of_today_saves(personas, client_for):
    url = reverse("stores:entry_day", args=[personas.store_a.slug, periods.today().isoformat()])
    response = client_for(personas.operator).post(url, {"uv": "100"})
    assert response.status_code == 302
    assert DailyMetric.objects.get().date == periods.today()


# The entry service ------------------------------------------------------------------------------


def test_the_entry_service_refuses_a_day_after_today(personas):
    with pytest.raises(DayNotRecordable) as refused:
        daily_metric_enter(store_id=personas.store_a.pk, date=_tomorrow(), values={"uv": 1}, user=None)
    assert _tomorrow().isoformat() in str(refused.value)
    assert not DailyMetric.objects.exists()


def test_the_entry_service_refuses_a_day_before_the_first_supported_one(personas):
    with pytest.raises(DayNotRecordable):
        daily_metric_enter(
            store_id=personas.store_a.pk, date=dt.date(1999, 12, 31), values={"uv": 1}, user=None
        )
    assert not DailyMetric.objects.exists()


def test_the_entry_service_takes_today(personas):
    daily_metric_enter(store_id=personas.store_a.pk, date=periods.today(), values={"uv": 1}, user=None)
    assert DailyMetric.objects.get().uv == 1


# Imports ------------------------------------------------------------------------------------------


def _rows(*days: dt.date) -> list[list]:
    return [*TITLE, HEADER, *([day.isoformat(), "1000", "4500.00"] for day in days)]


FILES = {
    "csv": lambda rows: csv_bytes(rows),
    "xlsx": lambda rows: xlsx_bytes({"店铺整体": rows}),
}


@pytest.mark.parametrize("kind", FILES)
def test_an_import_with_a_row_after_today_is_refused_whole(personas, kind):
    content = FILES[kind](_rows(periods.yesterday(), _tomorrow(), periods.today()))
    name = f"店铺整体.{kind}"
    batch = import_batch_create(
        content=content, file_name=name, user=personas.operator, store=personas.store_a
    )
    batch = import_batch_run(batch=batch, dry_run=False)
    assert batch.status == ImportBatch.Status.REFUSED
    assert not DailyMetric.objects.exists()
    (error,) = batch.errors
    # File, row as seen in Excel (title rows counted), the date column and the day itself.
    day, today = _tomorrow().isoformat(), periods.today().isoformat()
    assert error == f"{name}，第 5 行“统计日期”列：“{day}”这一天还没有到来（今天是 {today}）"


@pytest.mark.parametrize("kind", FILES)
def test_an_import_of_days_through_today_is_applied(personas, kind):
    content = FILES[kind](_rows(periods.yesterday(), periods.today()))
    batch = import_batch_create(
        content=content, file_name=f"店铺整体.{kind}", user=personas.operator, store=personas.store_a
    )
    batch = import_batch_run(batch=batch, dry_run=False)
    assert batch.status == ImportBatch.Status.APPLIED, batch.errors
    assert DailyMetric.objects.count() == 2


def test_the_upload_page_lists_the_future_row_in_chinese(personas, client_for, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client = client_for(personas.operator)
    upload = SimpleUploadedFile("店铺整体.csv", csv_bytes(_rows(_tomorrow())))
    client.post(reverse("imports:list"), {"store": personas.store_a.pk, "file": upload})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED and not DailyMetric.objects.exists()
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "第 4 行“统计日期”列" in page and "还没有到来" in page
