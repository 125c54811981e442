"""The database itself refuses impossible daily metrics (docs/metrics.md#recorded-metrics)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from stores import metrics
from stores.models import DailyMetric
from tests.factories import DailyMetricFactory, StoreFactory

pytestmark = pytest.mark.django_db

COUNT_CODES = [m.code for m in metrics.RECORDED if m.kind is metrics.Kind.COUNT]
MONEY_CODES = [m.code for m in metrics.RECORDED if m.kind is metrics.Kind.MONEY]
DSR_CODES = [m.code for m in metrics.RECORDED if m.kind is metrics.Kind.SCORE]


def _refused(**values) -> bool:
    """Whether the database refuses to store a day with these values (checked by SQL, not Python)."""
    day = DailyMetricFactory.build(store=StoreFactory(), **values)
    try:
        with transaction.atomic():
            day.save()
    except IntegrityError:
        return True
    return False


def test_model_has_one_field_per_recorded_metric():
    fields = {field.name for field in DailyMetric._meta.get_fields()}
    assert set(metrics.RECORDED_CODES) <= fields
    assert not set(metrics.DERIVED_CODES) & fields, "derived metrics are computed, never stored"


def test_a_plausible_day_is_accepted():
    assert not _refused()


@pytest.mark.parametrize("code", COUNT_CODES)
def test_negative_counts_are_refused(code):
    assert _refused(**{code: -1})
    assert not _refused(**{code: 0})


@pytest.mark.parametrize("code", MONEY_CODES)
def test_negative_money_is_refused(code):
    assert _refused(**{code: Decimal("-0.01")})
    assert not _refused(**{code: Decimal("0.00")})


@pytest.mark.parametrize("code", DSR_CODES)
@pytest.mark.parametrize(
    ("score", "refused"), [("-0.01", True), ("0", False), ("5", False), ("5.0001", True)]
)
def test_dsr_must_lie_between_0_and_5(code, score, refused):
    assert _refused(**{code: Decimal(score)}) is refused


def test_missing_values_are_null_not_zero():
    day = DailyMetricFactory(uv=None, gmv=None)
    day.refresh_from_db()
    assert day.uv is None and day.gmv is None
    assert day.with_derived()["conversion"] is None


def test_one_row_per_store_and_day():
    first = DailyMetricFactory(date=dt.date(2026, 11, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyMetricFactory(store=first.store, date=dt.date(2026, 11, 1))


def test_money_keeps_cents_exactly():
    day = DailyMetricFactory(gmv=Decimal("123456789012.34"))
    day.refresh_from_db()
    assert day.gmv == Decimal("123456789012.34")


def test_derived_values_of_a_day():
    day = DailyMetricFactory.build()  # 30 buyers of 1,000 visitors paying ¥4,500
    derived = day.with_derived()
    assert derived["conversion"] == Decimal("0.03")
    assert derived["aov"] == Decimal("150")
    assert derived["uv"] == 1000
