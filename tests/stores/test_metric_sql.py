"""The set-based writer stores exactly what the ORM would, on SQLite and PostgreSQL alike."""

import datetime as dt
from decimal import Decimal

import pytest

from stores import metric_sql
from stores.models import DailyMetric
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db
PROVENANCE = {"source": "demo", "entered_by_id": None, "import_batch_id": None}


def test_new_days_read_back_as_written_with_missing_values_null():
    store = StoreFactory()
    values = {
        "uv": 1200,
        "gmv": Decimal("4500.50"),
        "dsr_item": Decimal("4.8123"),
        "ad_spend_split": {"site": "1.20"},
    }
    metric_sql.insert_days(
        [(store.pk, dt.date(2026, 11, 1), values)], PROVENANCE, None, source_note="a\tb\\c\nd"
    )
    day = DailyMetric.objects.get()
    assert (day.uv, day.gmv, day.dsr_item, day.pv) == (1200, Decimal("4500.50"), Decimal("4.8123"), None)
    assert day.ad_spend_split == {"site": "1.20"}
    assert day.source_note == "a\tb\\c\nd", "free text survives COPY's escaping"
    assert day.created_at and day.updated_at


def test_updates_touch_only_the_given_columns():
    store = StoreFactory()
    metric_sql.insert_days([(store.pk, dt.date(2026, 11, 1), {"uv": 1, "pv": 2})], PROVENANCE, None)
    row_id = DailyMetric.objects.get().pk
    metric_sql.update_days([(row_id, {"uv": 5})], {**PROVENANCE, "source": "manual"})
    day = DailyMetric.objects.get()
    assert (day.uv, day.pv, day.source) == (5, 2, "manual")


def test_stored_days_are_read_as_the_model_holds_them():
    store = StoreFactory()
    split = {"keyword": "3.00"}
    metric_sql.insert_days(
        [(store.pk, dt.date(2026, 11, 1), {"gmv": Decimal("0.10"), "ad_spend_split": split})],
        PROVENANCE,
        None,
    )
    metric_sql.insert_days([(store.pk, dt.date(2026, 11, 2), {"gmv": Decimal("7.00")})], PROVENANCE, None)
    rows = metric_sql.select_days(
        {store.pk}, dt.date(2026, 11, 1), dt.date(2026, 11, 2), ["ad_spend_split", "gmv"]
    )
    by_date = {row[2]: row[3:] for row in rows}
    assert by_date[dt.date(2026, 11, 1)] == (split, Decimal("0.10"))
    assert by_date[dt.date(2026, 11, 2)] == (None, Decimal("7.00")), "an empty split reads as no split"
