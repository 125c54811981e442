"""Who sees which store: the table the whole product's access rests on."""

import pytest

from stores import access
from stores.access import Home

# persona -> the stores it sees (A and B belong to acme; C to another organisation)
VISIBLE = {
    "superuser": {"store-a", "store-b", "store-c"},
    "boss": {"store-a", "store-b"},
    "lead": {"store-a", "store-b"},
    "operator": {"store-a"},
    "promotion": {"store-a"},
    "designer": {"store-a"},
    "customer_service": {"store-a"},
    "content": {"store-a"},
    "stranger": {"store-c"},
    "nobody": set(),
}


@pytest.mark.parametrize(("persona", "expected"), VISIBLE.items())
def test_stores_visible_to(personas, persona, expected):
    visible = access.stores_visible_to(personas.user(persona))
    assert set(visible.values_list("slug", flat=True)) == expected


@pytest.mark.parametrize(("persona", "expected"), VISIBLE.items())
def test_can_view_store_agrees_with_the_table(personas, persona, expected):
    user = personas.user(persona)
    for store in (personas.store_a, personas.store_b, personas.store_c):
        assert access.can_view_store(user, store) is (store.slug in expected)


def test_anonymous_and_inactive_users_see_nothing(personas):
    from django.contrib.auth.models import AnonymousUser

    assert not access.stores_visible_to(AnonymousUser()).exists()
    personas.lead.is_active = False
    assert not access.stores_visible_to(personas.lead).exists()


def test_staff_with_roles_in_two_stores_sees_both_once(personas):
    from tests.factories import StoreAssignmentFactory

    StoreAssignmentFactory(user=personas.operator, store=personas.store_b, role="operator")
    StoreAssignmentFactory(user=personas.operator, store=personas.store_b, role="content")
    slugs = list(access.stores_visible_to(personas.operator).values_list("slug", flat=True))
    assert sorted(slugs) == ["store-a", "store-b"]


def test_a_new_store_of_the_organisation_is_visible_to_its_lead_at_once(personas):
    from tests.factories import StoreFactory

    new_store = StoreFactory(organisation=personas.acme)
    assert access.can_view_store(personas.lead, new_store)
    assert not access.can_view_store(personas.operator, new_store)


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        ("superuser", Home.DASHBOARD),
        ("lead", Home.DASHBOARD),
        ("boss", Home.WEEKLY_REPORT),
        ("operator", Home.CHECKLIST),
        ("customer_service", Home.CHECKLIST),
        ("stranger", Home.DASHBOARD),
        ("nobody", Home.NO_ROLE),
    ],
)
def test_home_by_role(personas, persona, home):
    assert access.home_for(personas.user(persona)) == home


def test_lead_who_is_also_an_operator_lands_on_the_dashboard(personas):
    from tests.factories import StoreAssignmentFactory

    StoreAssignmentFactory(user=personas.lead, store=personas.store_a, role="operator")
    assert access.home_for(personas.lead) == Home.DASHBOARD


def test_the_user_of_a_request_is_read_with_their_roles_in_one_query(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrgMembershipFactory

    OrgMembershipFactory(user=personas.boss, organisation=personas.store_c.organisation, role="lead")
    with CaptureQueriesContext(connection) as queries:
        user = access.UserWithRolesBackend().get_user(personas.boss.pk)
        assert access.org_roles(user) == {"boss", "lead"}
        assert access.home_for(user) == Home.DASHBOARD
    assert len(queries) == 1
    assert access.org_roles(access.UserWithRolesBackend().get_user(personas.operator.pk)) == set()


def test_an_inactive_or_unknown_user_is_not_the_user_of_a_request(personas):
    personas.lead.is_active = False
    personas.lead.save()
    assert access.UserWithRolesBackend().get_user(personas.lead.pk) is None
    assert access.UserWithRolesBackend().get_user(10**9) is None
    assert access.UserWithRolesBackend().get_user("not a number") is None


def test_a_role_removed_is_gone_at_the_next_request(personas, client_for):
    from django.urls import reverse

    from stores.models import OrgMembership

    client = client_for(personas.lead)
    assert "reports/dashboard.html" in [template.name for template in client.get(reverse("home")).templates]
    OrgMembership.objects.filter(user=personas.lead).delete()
    response = client.get(reverse("home"))
    assert "home/no_role.html" in [template.name for template in response.templates]
    assert client.get(reverse("reports:rollup_status")).status_code == 404
