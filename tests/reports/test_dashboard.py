import pytest
from django.urls import reverse

from stores import periods
from tests.factories import DailyMetricFactory


def test_dashboard_shows_yesterday_per_visible_store(personas, client_for):
    DailyMetricFactory(store=personas.store_a, date=periods.yesterday(), uv=4000, paid_buyers=100)
    DailyMetricFactory(store=personas.store_c, date=periods.yesterday(), uv=999, paid_buyers=1)
    page = client_for(personas.lead).get(reverse("reports:dashboard")).content.decode()
    assert "A店" in page and "B店" in page
    assert "2.50%" in page  # store A: 100 / 4,000
    assert "C店" not in page, "another organisation's store"


@pytest.mark.parametrize("persona", ["boss", "lead", "operator"])
def test_weekly_report_page_lists_visible_stores(personas, client_for, persona):
    page = client_for(personas.user(persona)).get(reverse("reports:weekly")).content.decode()
    assert "A店" in page
    assert ("B店" in page) is (persona != "operator")
    assert "C店" not in page
