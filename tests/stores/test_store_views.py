"""Store pages: staff see their stores, and only theirs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from stores import periods
from tests.factories import DailyMetricFactory


@pytest.mark.parametrize(
    ("persona", "listed"),
    [
        ("lead", {"A店", "B店"}),
        ("operator", {"A店"}),
        ("stranger", {"C店"}),
        ("superuser", {"A店", "B店", "C店"}),
    ],
)
def test_store_list_shows_only_visible_stores(personas, client_for, persona, listed):
    page = client_for(personas.user(persona)).get(reverse("stores:list")).content.decode()
    for name in ("A店", "B店", "C店"):
        assert (name in page) is (name in listed)


@pytest.mark.parametrize(
    ("persona", "status"), [("operator", 200), ("lead", 200), ("stranger", 404), ("nobody", 404)]
)
def test_store_page_of_store_a(personas, client_for, persona, status):
    url = reverse("stores:detail", args=["store-a"])
    assert client_for(personas.user(persona)).get(url).status_code == status


def test_operator_cannot_open_a_store_of_their_organisation_they_do_not_work_in(personas, client_for):
    url = reverse("stores:detail", args=["store-b"])
    assert client_for(personas.operator).get(url).status_code == 404


def test_store_page_shows_the_last_30_days_with_derived_metrics(personas, client_for):
    yesterday = periods.yesterday()
    DailyMetricFactory(store=personas.store_a, date=yesterday, uv=2000, paid_buyers=50, gmv=Decimal("9000"))
    DailyMetricFactory(store=personas.store_a, date=yesterday - dt.timedelta(days=30), gmv=Decimal("77777"))
    DailyMetricFactory(store=personas.store_b, date=yesterday, gmv=Decimal("55555"))
    page = client_for(personas.operator).get(reverse("stores:detail", args=["store-a"])).content.decode()
    assert "¥9,000.00" in page  # GMV
    assert "2.50%" in page  # conversion 50 / 2,000
    assert "¥180.00" in page  # AOV 9,000 / 50
    assert "¥77,777.00" not in page, "31 days ago is outside the window"
    assert "¥55,555.00" not in page, "another store's numbers"


@pytest.mark.parametrize(("persona", "links"), [("operator", True), ("lead", True), ("boss", False)])
def test_dates_link_to_their_entry_page_for_those_who_may_enter(personas, client_for, persona, links):
    DailyMetricFactory(store=personas.store_a, date=periods.yesterday())
    page = client_for(personas.user(persona)).get(reverse("stores:detail", args=["store-a"])).content.decode()
    entry_url = reverse("stores:entry_day", args=["store-a", periods.yesterday().isoformat()])
    assert (entry_url in page) is links
