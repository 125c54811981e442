"""The reports' team section names people as colleagues say them, as every other page does
(stores.templatetags.people.person): 王磊, family name first (issue 16: the boss's journey found
"磊 王" on the weekly report, Django's given-name-first full name)."""

import datetime as dt

import pytest
from django.urls import reverse

from kpi.services.kpi_templates import kpi_templates_seed
from kpi.services.scores import period_of, scores_compute
from reports import services as report_services
from stores.models import Store
from tests.factories import DailyMetricFactory

WEEK = period_of("week", dt.date(2026, 11, 16))


@pytest.fixture
def scored(personas):
    personas.promotion.first_name, personas.promotion.last_name = "磊", "王"
    personas.promotion.save()
    kpi_templates_seed(organisation=personas.acme)
    DailyMetricFactory(store=personas.store_a, date=dt.date(2026, 11, 18), ad_spend="500", ad_gmv="2000")
    report_services.rollups_rebuild(stores=Store.objects.all())
    scores_compute(organisation=personas.acme, kind="week", period=WEEK, today=dt.date(2026, 12, 3))
    return personas


def test_the_team_section_names_people_family_name_first(scored, client_for):
    page = client_for(scored.boss).get(reverse("reports:weekly"), {"period": WEEK.label}).content.decode()

    assert ">王磊</a>" in page
    assert "磊 王" not in page
