"""The KPI team table puts each person's score and grade right after their name, before the stores
and the items (issue 16: on a 375 px phone the boss's journey found no score on the screen, every
table's last columns being beyond its right edge)."""

import datetime as dt
import re

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


def test_the_score_and_grade_come_right_after_the_person(scored, client_for):
    client = client_for(scored.boss)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("kpi:scores"), {"kind": "week", "period": WEEK.label}).content.decode()

    section = page[page.index('id="role-promotion"') :]
    head = re.sub(r"<[^>]+>", " ", section[section.index("<thead>") : section.index("</thead>")]).split()
    assert head[:4] == ["Person", "Score", "Grade", "Stores"]
    row = section[section.index("<tbody>") :]
    cells = re.findall(r"<t[hd][ >]", row[: row.index("</tr>")])
    assert len(cells) > 5  # the items follow the stores
    assert 'data-figure="score"' in row[: row.index("grade-badge")]  # the score, then the grade
