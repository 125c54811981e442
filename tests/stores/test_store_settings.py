"""The ops lead manages the stores (issue 15, docs/access.md#managing-stores): adds a store, edits
one, archives and unarchives it; the boss, staff and other organisations' leads get 404. An archived
store leaves the stores page (but for its lead), the dashboard, the checklists and the alerts; its
history stays in the reports of the periods it traded."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports import jobs as report_jobs
from reports import services as report_services
from reports.models import Alert
from stores import access, periods
from stores.models import OrgMembership, OrgRole, Store
from stores.periods import PeriodKind
from stores.store_settings import registry, services
from tasks import services as task_services
from tasks.models import ChecklistTemplate, DailyChecklist
from tests.factories import DailyMetricFactory, OrganisationFactory, StoreAssignmentFactory

# persona -> may manage acme's stores (store A)
MANAGES = {
    "lead": True,
    "superuser": True,
    "boss": False,
    "operator": False,
    "designer": False,
    "stranger": False,  # the lead of another organisation
    "nobody": False,
}
NEW_STORE = {
    "name": "D店",
    "slug": "store-d",
    "platform": "tmall",
    "shop_type": "flagship",
    "category": "女装",
}


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "may"), MANAGES.items())
def test_the_access_rule(personas, persona, may):
    user = personas.user(persona)
    assert access.can_manage_stores(user, personas.acme.pk) is may
    assert (personas.store_a in access.stores_manageable_by(user)) is may


@pytest.mark.parametrize(("persona", "may"), MANAGES.items())
def test_the_add_and_edit_pages_are_the_leads_others_get_404(personas, english, persona, may):
    client = english(personas.user(persona))
    edit = client.get(reverse("stores:edit", args=["store-a"]))
    assert edit.status_code == (200 if may else 404)
    new = client.get(reverse("stores:new"))
    # The other organisation's lead adds stores to their own organisation, not to acme.
    assert new.status_code == (200 if may or persona == "stranger" else 404)


@pytest.mark.parametrize(("persona", "may"), MANAGES.items())
def test_archive_and_unarchive_posts_are_the_leads_others_get_404(personas, english, persona, may):
    client = english(personas.user(persona))
    archived = client.post(reverse("stores:archive", args=["store-a"]))
    assert archived.status_code == (302 if may else 404)
    personas.store_a.refresh_from_db()
    assert personas.store_a.active is not may
    Store.objects.filter(pk=personas.store_a.pk).update(active=False)
    unarchived = client.post(reverse("stores:unarchive", args=["store-a"]))
    assert unarchived.status_code == (302 if may else 404)
    personas.store_a.refresh_from_db()
    assert personas.store_a.active is may


@pytest.mark.parametrize(("persona", "may"), MANAGES.items())
def test_an_edit_post_by_anyone_but_the_lead_changes_nothing(personas, english, persona, may):
    client = english(personas.user(persona))
    response = client.post(reverse("stores:edit", args=["store-a"]), {**NEW_STORE, "slug": "store-a"})
    assert response.status_code == (302 if may else 404)
    personas.store_a.refresh_from_db()
    assert (personas.store_a.name == "D店") is may


def test_archiving_is_a_post(personas, english):
    client = english(personas.lead)
    assert client.get(reverse("stores:archive", args=["store-a"])).status_code == 405
    personas.store_a.refresh_from_db()
    assert personas.store_a.active


def test_every_write_checks_the_role_at_the_moment_of_the_write(personas):
    """A lead whose role is taken away between opening the page and saving changes nothing."""
    store = Store.objects.get(pk=personas.store_a.pk)
    OrgMembership.objects.filter(user=personas.lead, role=OrgRole.LEAD).delete()
    for write in (services.store_archive, services.store_unarchive):
        with pytest.raises(PermissionDenied):
            write(user=personas.lead, store=store)
    with pytest.raises(PermissionDenied):
        services.store_update(user=personas.lead, store=store, **NEW_STORE)
    with pytest.raises(PermissionDenied):
        services.store_create(user=personas.lead, organisation=personas.acme, **NEW_STORE)
    with pytest.raises(PermissionDenied):
        services.store_create(user=personas.boss, organisation=personas.acme, **NEW_STORE)
    store.refresh_from_db()
    assert store.active and store.name == "A店"
    assert not Store.objects.filter(slug="store-d").exists()


# --- the stores page --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["lead", "superuser"])
def test_the_lead_is_offered_to_add_and_edit_stores(personas, english, persona):
    page = _page(english(personas.user(persona)), reverse("stores:list"))
    assert reverse("stores:new") in page and "Add a store" in page
    assert reverse("stores:edit", args=["store-a"]) in page
    assert reverse("stores:edit", args=["store-b"]) in page


@pytest.mark.parametrize("persona", ["boss", "operator", "stranger"])
def test_others_are_offered_no_edit_link_of_acmes_stores(personas, english, persona):
    page = _page(english(personas.user(persona)), reverse("stores:list"))
    assert reverse("stores:edit", args=["store-a"]) not in page
    assert (reverse("stores:new") in page) is (persona == "stranger")


def test_archived_stores_are_listed_apart_for_the_lead_only(personas, english):
    Store.objects.filter(pk=personas.store_b.pk).update(active=False)
    lead_page = _page(english(personas.lead), reverse("stores:list"))
    listed, archived = lead_page.split('id="archived"')
    assert "A店" in listed and "B店" not in listed
    assert "B店" in archived and reverse("stores:unarchive", args=["store-b"]) in archived
    boss_page = _page(english(personas.boss), reverse("stores:list"))
    assert "A店" in boss_page and "B店" not in boss_page and "Archived" not in boss_page


def test_an_archived_store_of_their_own_is_not_listed_for_staff(personas, english):
    Store.objects.filter(pk=personas.store_a.pk).update(active=False)
    page = _page(english(personas.operator), reverse("stores:list"))
    assert "A店" not in page


# --- adding and editing -----------------------------------------------------------------------------


def test_the_lead_adds_a_store_to_their_organisation(personas, english):
    client = english(personas.lead)
    page = _page(client, reverse("stores:new"))
    assert 'name="organisation"' not in page, "one organisation led: nothing to choose"
    response = client.post(reverse("stores:new"), NEW_STORE)
    assert response.status_code == 302 and response["Location"] == reverse("stores:edit", args=["store-d"])
    store = Store.objects.get(slug="store-d")
    assert (
        store.organisation,
        store.name,
        store.platform,
        store.shop_type,
        store.category,
        store.active,
    ) == (
        personas.acme,
        "D店",
        "tmall",
        "flagship",
        "女装",
        True,
    )
    assert store in access.stores_visible_to(personas.boss)
    assert "The store “D店” is added." in _page(client, response["Location"])


def test_a_lead_of_several_organisations_chooses_among_those_they_lead(personas, english):
    second = OrganisationFactory(name="Second Co", slug="second")
    OrgMembership.objects.create(user=personas.lead, organisation=second, role=OrgRole.LEAD)
    client = english(personas.lead)
    page = _page(client, reverse("stores:new"))
    assert "Second Co" in page and "Acme" in page and "Other Co" not in page
    refused = client.post(
        reverse("stores:new"), {**NEW_STORE, "organisation": personas.store_c.organisation_id}
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not Store.objects.filter(slug="store-d").exists()
    assert client.post(reverse("stores:new"), {**NEW_STORE, "organisation": second.pk}).status_code == 302
    assert Store.objects.get(slug="store-d").organisation == second


def test_a_superuser_adds_a_store_to_any_organisation(personas, english):
    client = english(personas.superuser)
    other = personas.store_c.organisation
    assert client.post(reverse("stores:new"), {**NEW_STORE, "organisation": other.pk}).status_code == 302
    assert Store.objects.get(slug="store-d").organisation == other


def test_the_lead_edits_a_store_and_its_organisation_stays(personas, english):
    client = english(personas.lead)
    response = client.post(
        reverse("stores:edit", args=["store-a"]),
        {
            "name": "A旗舰店",
            "slug": "store-a1",
            "platform": "taobao",
            "shop_type": "c_shop",
            "category": "童装",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("stores:edit", args=["store-a1"])
    store = Store.objects.get(pk=personas.store_a.pk)
    assert (store.name, store.slug, store.platform, store.shop_type, store.category) == (
        "A旗舰店",
        "store-a1",
        "taobao",
        "c_shop",
        "童装",
    )
    assert store.organisation == personas.acme
    assert "The store “A旗舰店” is saved." in _page(client, response["Location"])


@pytest.mark.parametrize(
    ("url_name", "args"), [("stores:new", []), ("stores:edit", ["store-b"])], ids=["new", "edit"]
)
def test_a_slug_another_store_has_is_refused_with_a_clear_error(personas, english, url_name, args):
    """Slugs are unique among all stores, also another organisation's."""
    client = english(personas.lead)
    for taken in ("store-a", "store-c"):
        response = client.post(reverse(url_name, args=args), {**NEW_STORE, "slug": taken})
        assert response.status_code == 200
        assert f"Another store already has the slug “{taken}”; choose another." in response.content.decode()
    assert Store.objects.filter(slug__in=["store-a", "store-c"]).count() == 2
    assert not Store.objects.filter(name="D店").exists()


def test_a_store_keeps_its_own_slug_when_edited(personas, english):
    response = english(personas.lead).post(
        reverse("stores:edit", args=["store-b"]), {**NEW_STORE, "slug": "store-b"}
    )
    assert response.status_code == 302
    assert Store.objects.get(slug="store-b").name == "D店"


def test_the_address_of_the_add_page_is_not_a_slug(personas, english):
    response = english(personas.lead).post(reverse("stores:new"), {**NEW_STORE, "slug": "new"})
    assert "“new” is the address of a page of OpsDesk; choose another slug." in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.store_create(user=personas.lead, organisation=personas.acme, **{**NEW_STORE, "slug": "new"})
    assert "slug" in refused.value.message_dict


def test_the_service_refuses_a_taken_slug_too(personas):
    with pytest.raises(ValidationError) as refused:
        services.store_update(user=personas.lead, store=personas.store_b, **{**NEW_STORE, "slug": "store-a"})
    assert list(refused.value.message_dict) == ["slug"]


# --- the store's settings links (registry) ----------------------------------------------------------


def test_the_edit_page_shows_the_registered_settings_links_the_user_may_follow(
    personas, english, monkeypatch
):
    monkeypatch.setattr(registry, "_registry", dict(registry._registry))
    registry.settings_link_register(
        registry.SettingsLink(
            code="never",
            title="A page nobody may open",
            allowed=lambda user, store: False,
            url_name="stores:detail",
        )
    )
    registry.settings_link_register(
        registry.SettingsLink(
            code="numbers",
            title="The numbers page",
            allowed=lambda user, store: True,
            url_name="stores:detail",
        )
    )
    page = _page(english(personas.lead), reverse("stores:edit", args=["store-a"]))
    assert "The numbers page" in page and "A page nobody may open" not in page
    assert reverse("stores:detail", args=["store-a"]) in page


# --- what archiving does ----------------------------------------------------------------------------


@pytest.fixture
def trading(personas):
    """Both acme stores traded yesterday and through the last complete week."""
    week = periods.last_complete_period(PeriodKind.WEEK)
    days = {week.start + dt.timedelta(days=offset) for offset in range(7)} | {periods.yesterday()}
    for day in sorted(days):
        DailyMetricFactory(store=personas.store_a, date=day, gmv=Decimal("1234.00"))
        DailyMetricFactory(store=personas.store_b, date=day, gmv=Decimal("500.00"))
    report_services.rollups_rebuild(stores=Store.objects.all())
    personas.week = week
    return personas


def _archive(personas, english) -> None:
    response = english(personas.lead).post(reverse("stores:archive", args=["store-a"]), follow=True)
    assert response.redirect_chain == [(reverse("stores:list"), 302)]
    assert "“A店” is archived" in response.content.decode()


def test_an_archived_store_leaves_the_dashboard(trading, english):
    assert "A店" in _page(english(trading.lead), reverse("dashboard"))
    _archive(trading, english)
    for persona in ("lead", "boss", "operator"):
        page = _page(english(trading.user(persona)), reverse("dashboard"))
        assert "A店" not in page, persona
    assert "B店" in _page(english(trading.lead), reverse("dashboard"))


def test_an_archived_store_gives_no_checklists_from_tomorrow(personas, english):
    ChecklistTemplate.objects.filter(organisation=personas.acme).update(also_on_rest_days=True)
    StoreAssignmentFactory(user=personas.operator, store=personas.store_b, role="operator")
    _archive(personas, english)
    tomorrow = periods.today() + dt.timedelta(days=1)
    task_services.checklist_generate(day=tomorrow)
    given = set(
        DailyChecklist.objects.filter(user=personas.operator, day=tomorrow).values_list(
            "store__slug", flat=True
        )
    )
    assert given == {"store-b"}


def test_an_archived_store_raises_no_alerts(trading, english):
    _archive(trading, english)
    report_jobs.alerts_evaluate_for(trading.acme.pk, (trading.week.start - dt.timedelta(days=1)).isoformat())
    assert not Alert.objects.filter(store=trading.store_a).exists()
    assert Alert.objects.filter(store=trading.store_b, rule="data_missing").exists(), "B is still looked at"


@pytest.mark.parametrize("persona", ["lead", "boss"])
def test_an_archived_stores_history_stays_in_the_weekly_report(trading, english, persona):
    _archive(trading, english)
    page = _page(english(trading.user(persona)), reverse("reports:weekly") + f"?period={trading.week.label}")
    assert "A店" in page
    assert "¥8,638.00" in page, "A: 7 days × ¥1,234"
    assert "¥12,138.00" in page, "the total: A and B (7 × ¥500)"


def test_unarchiving_brings_the_store_back(trading, english):
    _archive(trading, english)
    response = english(trading.lead).post(reverse("stores:unarchive", args=["store-a"]))
    assert response.status_code == 302
    assert "A店" in _page(english(trading.boss), reverse("stores:list"))
    assert "A店" in _page(english(trading.lead), reverse("dashboard"))


def test_the_store_page_links_to_its_edit_page_for_whoever_may_follow(personas, english):
    edit = f'href="{reverse("stores:edit", args=["store-a"])}"'
    assert edit in english(personas.lead).get(reverse("stores:detail", args=["store-a"])).content.decode()
    for persona in ("boss", "operator"):
        page = english(getattr(personas, persona)).get(reverse("stores:detail", args=["store-a"]))
        assert edit not in page.content.decode(), persona
