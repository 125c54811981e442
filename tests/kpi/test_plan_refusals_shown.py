"""A refusal of the plan pages is said once, in the error box above the form (issue 16: the ops
lead's journey found the override's refusal printed twice, in the box and again above the fields,
and so was a refused target's)."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from kpi.models import PlanSettings
from kpi.services.changes import plan_lock
from kpi.services.plans import target_set
from stores import periods

YEAR = periods.today().year + 1  # every day still to come
MAY = f"{YEAR}-05"


@pytest.fixture
def lead(personas, client_for):
    client = client_for(personas.lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_refused_override_says_why_once(personas, lead):
    plan = target_set(store=personas.store_a, year=YEAR, annual=Decimal("3650000.00"))
    plan_lock(plan=plan, label=MAY)
    plan.refresh_from_db()
    data = {"label": MAY, "amount": "600,000", "reason": "618", "version": plan.version, "action": "preview"}

    page = lead.post(reverse("kpi:plan", args=[personas.store_a.slug, YEAR]), data).content.decode()

    assert page.count(f"{MAY} is locked: unlock it first.") == 1
    assert 'class="error-box"' in page


def test_a_field_error_stays_beside_its_field(personas, lead):
    plan = target_set(store=personas.store_a, year=YEAR, annual=Decimal("3650000.00"))
    data = {"label": MAY, "amount": "lots", "reason": "618", "version": plan.version, "action": "preview"}

    page = lead.post(reverse("kpi:plan", args=[personas.store_a.slug, YEAR]), data).content.decode()

    assert page.count("Enter a number.") == 1
    assert 'class="error-box"' not in page


def test_a_refused_target_says_why_once(personas, lead):
    target_set(store=personas.store_a, year=YEAR, annual=Decimal("3650000.00"))
    # From April, this year's financial year would share January to March of next year's plan.
    PlanSettings.objects.create(organisation=personas.acme, first_month=4)
    url = f"{reverse('kpi:targets')}?organisation=acme&year={YEAR - 1}"

    page = lead.post(url, {"store": "store-a", "annual": "100"}).content.decode()

    assert page.count("already has a plan covering part of these days") == 1
