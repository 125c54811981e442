"""The ops lead edits a role's KPI template on one form; weights that do not add up to 100 % are
refused with the sum; nobody else may open it."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from kpi.models import KpiItem, KpiTemplate
from kpi.services.kpi_templates import DEFAULT_TEMPLATES
from kpi.template_forms import initial_of


def _url(role="designer"):
    return reverse("kpi:kpi_template", args=[role]) + "?org=acme"


def _post(client, rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0"}
    for number, row in enumerate(rows):
        data |= {f"form-{number}-{key}": value for key, value in row.items()}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(_url(), data)


ROW = {
    "direction": "higher",
    "week_target": "",
    "month_target": "",
    "band_low": "",
    "band_high": "",
    "floor": "",
    "cap": "120",
}


def test_a_role_without_its_own_template_starts_from_the_defaults_and_saves_nothing(personas, client_for):
    page = client_for(personas.lead).get(_url())
    assert page.status_code == 200
    assert page.context["formset"].initial == initial_of(DEFAULT_TEMPLATES["designer"])
    assert not KpiTemplate.objects.exists()


def test_the_lead_saves_a_template_whose_weights_add_up_to_100(personas, client_for):
    rows = [
        {
            **ROW,
            "code": "conversion",
            "label": "转化率",
            "source": "conversion",
            "weight": "70",
            "week_target": "0.03",
        },
        {**ROW, "code": "pages", "label": "页面", "source": "manual", "weight": "30", "floor": "50"},
    ]
    assert _post(client_for(personas.lead), rows).status_code == 302
    items = list(KpiItem.objects.filter(template__role="designer").order_by("position"))
    assert [(item.code, item.weight, item.floor, item.cap) for item in items] == [
        ("conversion", Decimal("70.00"), None, Decimal("1.2000")),
        ("pages", Decimal("30.00"), Decimal("0.5000"), Decimal("1.2000")),
    ]


def test_weights_that_do_not_add_up_are_refused_with_their_sum(personas, client_for):
    rows = [{**ROW, "code": "conversion", "label": "转化率", "source": "conversion", "weight": "90"}]
    page = _post(client_for(personas.lead), rows).content.decode()
    assert "The weights add up to 90 %, not 100 %." in page
    assert not KpiItem.objects.exists()


@pytest.mark.parametrize("persona", ["boss", "operator", "stranger"])
def test_nobody_but_the_lead_opens_or_saves_it(personas, client_for, persona):
    client = client_for(personas.user(persona))
    assert client.get(_url()).status_code == 404
    rows = [{**ROW, "code": "conversion", "label": "转化率", "source": "conversion", "weight": "100"}]
    assert _post(client, rows).status_code == 404
    assert not KpiItem.objects.exists()
