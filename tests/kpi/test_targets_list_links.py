"""On the targets list a planned store's name opens its plan (issue 16: on a phone the row's 计划
link, in the table's last column, is off the screen; the name is the first thing in the row)."""

from decimal import Decimal

from django.urls import reverse

from kpi.services.plans import target_set
from stores import periods


def test_a_planned_stores_name_opens_its_plan(personas, client_for):
    year = periods.today().year + 1
    target_set(store=personas.store_a, year=year, annual=Decimal("3650000.00"))
    url = f"{reverse('kpi:targets')}?organisation=acme&year={year}"

    page = client_for(personas.lead).get(url).content.decode()

    plan = reverse("kpi:plan", args=[personas.store_a.slug, year])
    assert f'<th scope="row"><a href="{plan}">{personas.store_a.name}</a></th>' in page
    assert f'<th scope="row">{personas.store_b.name}</th>' in page  # no plan: no link
