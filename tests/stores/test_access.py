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


def test_a_users_roles_are_read_once_in_one_query(personas):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrgMembershipFactory, StoreAssignmentFactory

    OrgMembershipFactory(user=personas.boss, organisation=personas.store_c.organisation, role="lead")
    StoreAssignmentFactory(user=personas.boss, store=personas.store_c, role="operator")
    user = get_user_model().objects.get(pk=personas.boss.pk)  # as a request reads it
    with CaptureQueriesContext(connection) as queries:
        assert access.org_roles(user) == {"boss", "lead"}
        assert access.store_roles(user) == {"operator"}
        assert access.home_for(user) == Home.DASHBOARD
        assert access.oversees_an_organisation(user) and access.leads_an_organisation(user)
    assert len(queries) == 1


def test_an_inactive_user_holds_no_roles(personas):
    personas.lead.is_active = False
    assert access.roles_of(personas.lead) == access.NO_ROLES
    assert not access.sees_stores(personas.lead)


@pytest.mark.parametrize(
    ("persona", "writable"),
    [
        ("lead", {"store-a", "store-b"}),
        ("operator", {"store-a"}),
        ("boss", set()),
        ("superuser", {"store-a", "store-b", "store-c"}),
    ],
)
def test_the_stores_whose_numbers_a_user_looks_after_agree_with_the_import_rule(personas, persona, writable):
    user = personas.user(persona)
    stores = [personas.store_a, personas.store_b, personas.store_c]
    ids = access.store_ids_writable(user, stores)
    assert {store.slug for store in stores if store.pk in ids} == writable
    assert ids == set(access.stores_importable_by(user).filter(pk__in=ids).values_list("pk", flat=True))
    assert ids == {store.pk for store in stores if access.can_enter_metrics(user, store)}


def test_team_stores_are_those_of_companies_the_user_oversees(personas):
    from tests.factories import StoreAssignmentFactory

    StoreAssignmentFactory(user=personas.lead, store=personas.store_c, role="operator")
    stores = [personas.store_a, personas.store_b, personas.store_c]
    assert access.team_stores(personas.lead, stores) == [personas.store_a, personas.store_b]
    assert access.team_stores(personas.operator, stores) == []
    assert access.team_stores(personas.superuser, stores) == stores


def test_a_role_removed_is_gone_at_the_next_request(personas, client_for):
    from django.urls import reverse

    from stores.models import OrgMembership

    client = client_for(personas.lead)
    assert "dashboard/dashboard.html" in [template.name for template in client.get(reverse("home")).templates]
    OrgMembership.objects.filter(user=personas.lead).delete()
    response = client.get(reverse("home"))
    assert "home/no_role.html" in [template.name for template in response.templates]
    assert client.get(reverse("reports:rollup_status")).status_code == 404
