"""The daily entry page: staff of a store type in a day's numbers; errors block, oddities ask."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from stores import metrics
from stores.forms import SECTIONS
from stores.models import DailyMetric, MetricRevision
from tests.factories import DailyMetricFactory

DAY = dt.date(2026, 11, 2)  # a Monday


def _url(store, day=DAY):
    return reverse("stores:entry_day", args=[store.slug, day.isoformat()])


def test_every_recorded_metric_has_a_place_on_the_form():
    placed = [code for _title, codes in SECTIONS for code in codes]
    assert sorted(placed) == sorted(metrics.RECORDED_CODES)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("operator", 200),
        ("customer_service", 200),
        ("lead", 200),
        ("superuser", 200),
        ("boss", 404),
        ("stranger", 404),
        ("nobody", 404),
    ],
)
def test_who_may_enter_numbers_for_store_a(personas, client_for, persona, status):
    assert client_for(personas.user(persona)).get(_url(personas.store_a)).status_code == status


def test_operator_cannot_post_numbers_for_another_store(personas, client_for):
    response = client_for(personas.operator).post(_url(personas.store_b), {"uv": "100"})
    assert response.status_code == 404 and not DailyMetric.objects.exists()


def test_the_form_is_prefilled_and_shows_the_derived_formulas(personas, client_for):
    DailyMetricFactory(
        store=personas.store_a, date=DAY, uv=1000, gmv=Decimal("4500.00"), dsr_item=Decimal("4.85")
    )
    page = client_for(personas.operator).get(_url(personas.store_a)).content.decode()
    assert 'name="uv" value="1000"' in page
    assert 'name="gmv" value="4500.00"' in page
    assert 'name="dsr_item" value="4.85"' in page
    assert '"numerator": "paid_buyers", "denominator": "uv"' in page


def test_saving_writes_only_the_submitted_fields_and_keeps_the_trail(personas, client_for):
    DailyMetricFactory(store=personas.store_a, date=DAY, uv=1000, pv=3000, gmv=Decimal("4500.00"))
    response = client_for(personas.operator).post(_url(personas.store_a), {"uv": "1,100", "gmv": "¥4,600.50"})
    assert response.status_code == 302
    day = DailyMetric.objects.get()
    assert (day.uv, day.gmv, day.pv) == (1100, Decimal("4600.50"), 3000)
    assert day.entered_by == personas.operator and day.source == "manual"
    revision = MetricRevision.objects.get()
    assert revision.previous == {"uv": "1000", "gmv": "4500.00"} and revision.changed_by == personas.operator
    page = client_for(personas.operator).get(_url(personas.store_a)).content.decode()
    assert "¥4,500.00 → ¥4,600.50" in page


def test_an_empty_field_clears_the_value(personas, client_for):
    DailyMetricFactory(store=personas.store_a, date=DAY, refund_amount=Decimal("12.00"))
    client_for(personas.operator).post(_url(personas.store_a), {"refund_amount": ""})
    assert DailyMetric.objects.get().refund_amount is None


@pytest.mark.parametrize(
    ("posted", "field"),
    [
        ({"uv": "-1"}, "uv"),
        ({"uv": "12.5"}, "uv"),
        ({"gmv": "abc"}, "gmv"),
        ({"gmv": "1.005"}, "gmv"),
        ({"dsr_item": "5.1"}, "dsr_item"),
        ({"uv": "10", "paid_buyers": "11"}, "paid_buyers"),
    ],
)
def test_hard_errors_block_saving(personas, client_for, posted, field):
    response = client_for(personas.operator).post(_url(personas.store_a), posted)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not DailyMetric.objects.exists()


def test_paid_buyers_are_checked_against_the_stored_visitors_too(personas, client_for):
    DailyMetricFactory(store=personas.store_a, date=DAY, uv=10, paid_buyers=5)
    response = client_for(personas.operator).post(_url(personas.store_a), {"paid_buyers": "11"})
    assert "paid_buyers" in response.context["form"].errors
    assert DailyMetric.objects.get().paid_buyers == 5


def test_suspicious_conversion_warns_and_saves_only_when_confirmed(personas, client_for):
    client = client_for(personas.operator)
    posted = {"uv": "100", "paid_buyers": "40"}  # 40 % conversion
    first = client.post(_url(personas.store_a), posted)
    assert first.status_code == 200 and "paid_buyers" in first.context["warnings"]
    assert 'name="confirm_warnings" value="1"' in first.content.decode()
    assert not DailyMetric.objects.exists()
    second = client.post(_url(personas.store_a), {**posted, "confirm_warnings": "1"})
    assert second.status_code == 302
    assert DailyMetric.objects.get().paid_buyers == 40


def test_gmv_far_from_the_same_weekday_median_warns(personas, client_for):
    for weeks, gmv in ((1, "1000"), (2, "1200"), (3, "900"), (4, "1100")):  # median ¥1,050
        DailyMetricFactory(store=personas.store_a, date=DAY - dt.timedelta(weeks=weeks), gmv=Decimal(gmv))
    client = client_for(personas.operator)
    assert "gmv" in client.post(_url(personas.store_a), {"gmv": "5300"}).context["warnings"]  # > 5 × 1,050
    assert client.post(_url(personas.store_a), {"gmv": "5200"}).status_code == 302  # within 5×
    assert "gmv" in client.post(_url(personas.store_a), {"gmv": "200"}).context["warnings"]  # < 1,050 / 5


def test_the_entry_page_defaults_to_yesterday(personas, client_for):
    from stores import periods

    response = client_for(personas.operator).get(reverse("stores:entry", args=[personas.store_a.slug]))
    assert response.context["day"] == periods.yesterday()


def test_a_bad_date_in_the_address_is_not_found(personas, client_for):
    url = reverse("stores:entry_day", args=[personas.store_a.slug, "2026-13-01"])
    assert client_for(personas.operator).get(url).status_code == 404
