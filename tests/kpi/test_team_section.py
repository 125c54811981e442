"""The weekly and monthly reports end with the team's KPI scores of their period, for the boss and
the ops lead; staff do not see the others' scores there."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from kpi.services.kpi_templates import kpi_templates_seed
from kpi.services.scores import period_of, scores_compute
from reports import services as report_services
from stores.models import Store
from tests.factories import DailyMetricFactory

WEEK = period_of("week", dt.date(2026, 11, 16))


@pytest.fixture
def scored(personas):
    kpi_templates_seed(organisation=personas.acme)
    DailyMetricFactory(store=personas.store_a, date=dt.date(2026, 11, 18), ad_spend="500", ad_gmv="2000")
    report_services.rollups_rebuild(stores=Store.objects.all())
    scores_compute(organisation=personas.acme, kind="week", period=WEEK, today=dt.date(2026, 12, 3))
    return personas


def _weekly(client) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse("reports:weekly"), {"period": WEEK.label}).content.decode()


@pytest.mark.parametrize("persona", ["boss", "lead"])
def test_the_weekly_report_ends_with_the_teams_scores(scored, client_for, persona):
    page = _weekly(client_for(scored.user(persona)))
    assert "Team (KPI scores)" in page
    assert reverse("kpi:person", args=["promotion"]) in page
    assert "120.00" in page  # the promotion specialist: ROI 4 against 3, at its cap


def test_staff_do_not_see_the_teams_scores_on_the_report(scored, client_for):
    assert "Team (KPI scores)" not in _weekly(client_for(scored.operator))
