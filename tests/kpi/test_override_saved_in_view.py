"""A confirmed override lands at the top of the plan page, where its message is (issue 16: the
browser kept the form's #change through the redirect, so the ops lead landed on the emptied
override form, the "is set" message above it out of view, and could not tell the save was done)."""

from decimal import Decimal

from django.urls import reverse

from kpi.services.plans import target_set
from stores import periods

YEAR = periods.today().year + 1  # every day still to come


def test_a_saved_override_goes_to_the_top_of_the_plan(personas, client_for):
    plan = target_set(store=personas.store_a, year=YEAR, annual=Decimal("3650000.00"))
    url = reverse("kpi:plan", args=[personas.store_a.slug, YEAR])
    data = {"label": f"{YEAR}-05", "amount": "600,000", "reason": "618", "version": plan.version}

    response = client_for(personas.lead).post(url, {**data, "action": "save"})

    assert response.status_code == 302
    assert response["Location"] == f"{url}#"  # an empty fragment: the top, not the form's #change
