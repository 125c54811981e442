"""The dashboard page: composed of the sections each app registers, each shown only to whoever may
see it (docs/access.md#pages-and-sections), with links only to pages the user may open; a fixed
number of queries whatever the stores and history; nothing kept between visits."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opsdesk import sections
from reports import services
from reports.models import Alert
from stores import periods
from stores.models import DailyMetric, Store
from tests.factories import DailyMetricFactory, StoreFactory
from tests.tasks.factories import ChecklistItemFactory, DailyChecklistFactory


@pytest.fixture
def morning(personas, settings):
    """Yesterday A店 sold ¥1,200 and has an open alert; the operator has a list yesterday (1 of 2
    done) and no 日报, and a list today."""
    settings.LANGUAGE_CODE = "en"
    day = periods.yesterday()
    DailyMetricFactory(store=personas.store_a, date=day, gmv=Decimal("1200.00"))
    DailyMetricFactory(store=personas.store_b, date=day, gmv=Decimal("800.00"))
    services.rollups_rebuild(stores=Store.objects.all())
    Alert.objects.create(organisation=personas.acme, store=personas.store_a, rule="roi_low", day=day)
    yesterday_list = DailyChecklistFactory(user=personas.operator, store=personas.store_a, day=day)
    ChecklistItemFactory(checklist=yesterday_list, done=True)
    ChecklistItemFactory(checklist=yesterday_list, done=False)
    ChecklistItemFactory(
        checklist=DailyChecklistFactory(user=personas.operator, store=personas.store_a, day=periods.today())
    )
    return personas


def _sections(client) -> list[str]:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return [section.code for section in response.context["sections"]]


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("lead", ["yesterday", "alerts", "store_cards", "routine"]),
        ("boss", ["yesterday", "alerts", "store_cards", "routine"]),
        ("superuser", ["yesterday", "alerts", "store_cards", "routine"]),
        ("operator", ["my_day", "yesterday", "alerts", "store_cards"]),
        ("designer", ["my_day", "yesterday", "alerts", "store_cards"]),
        ("nobody", []),
    ],
)
def test_each_role_sees_the_sections_it_may(morning, client_for, persona, shown):
    assert _sections(client_for(morning.user(persona))) == shown


def test_staff_do_not_see_the_teams_checklists_or_who_has_not_handed_in_a_daily_report(morning, client_for):
    page = client_for(morning.designer).get(reverse("dashboard")).content.decode()
    assert reverse("tasks:team") not in page
    assert "50%" not in page, "the team's completion yesterday (1 of 2)"
    assert "operator" not in page, "the list of missing 日报"
    lead_page = client_for(morning.lead).get(reverse("dashboard")).content.decode()
    assert reverse("tasks:team") in lead_page and "50%" in lead_page and "operator" in lead_page


def test_staff_see_their_own_checklist_of_today(morning, client_for):
    page = client_for(morning.operator).get(reverse("dashboard")).content.decode()
    assert "0 of 1 done (0%)" in page and reverse("tasks:checklist") in page


def test_a_lead_of_one_company_sees_the_routine_of_that_company_only(morning, client_for):
    """A lead who also works in another company's store sees that store's numbers, not its team."""
    from tests.factories import StoreAssignmentFactory

    StoreAssignmentFactory(user=morning.lead, store=morning.store_c, role="operator")
    DailyChecklistFactory(user=morning.stranger, store=morning.store_c, day=periods.yesterday())
    page = client_for(morning.lead).get(reverse("dashboard")).content.decode()
    assert "C店" in page
    routine = page[page.index('class="card routine"') :]
    assert "C店" not in routine and "stranger" not in routine


def test_the_boss_reads_the_alerts_without_acknowledging_them(morning, client_for):
    assert 'name="note"' not in client_for(morning.boss).get(reverse("dashboard")).content.decode()
    assert 'name="note"' in client_for(morning.lead).get(reverse("dashboard")).content.decode()
    assert 'name="note"' in client_for(morning.operator).get(reverse("dashboard")).content.decode()


FORMS_ONLY = ("/logout/", "/i18n/setlang/")


def _followed(client, url: str) -> list[tuple[str, int]]:
    """Every page the page at `url` links to, with the status it answers."""
    page = client.get(url).content.decode()
    links = {
        link
        for link in re.findall(r'href="(/[^"]*)"', page)
        if not link.startswith(("/static/", *FORMS_ONLY))
    }
    return [(link, client.get(link.replace("&amp;", "&")).status_code) for link in sorted(links)]


@pytest.mark.parametrize("persona", ["lead", "boss", "operator", "customer_service", "nobody", "superuser"])
@pytest.mark.parametrize("page", ["dashboard", "store_dashboard", "stores:list"])
def test_every_link_leads_to_a_page_the_user_may_open(morning, client_for, persona, page):
    client = client_for(morning.user(persona))
    url = reverse(page, args=["store-a"]) if page == "store_dashboard" else reverse(page)
    if client.get(url).status_code == 404:
        assert persona == "nobody", "only a user without a role has no store to see"
        return
    refused = [(link, status) for link, status in _followed(client, url) if status >= 400]
    assert refused == []


def _history(store, *, days: int) -> None:
    last = periods.yesterday()
    DailyMetric.objects.bulk_create(
        DailyMetricFactory.build(store=store, date=last - dt.timedelta(days=n)) for n in range(days)
    )


def _page_queries(client) -> int:
    client.get(reverse("dashboard"))  # the CSRF cookie and the session as in a later visit
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(queries)


def test_the_page_asks_a_fixed_number_of_queries_whatever_the_stores_and_their_history(morning, client_for):
    client = client_for(morning.lead)
    few = _page_queries(client)
    for _ in range(18):
        _history(StoreFactory(organisation=morning.acme), days=400)
    services.rollups_rebuild(stores=Store.objects.all())
    assert _page_queries(client) == few
    # The session, the user, their roles, the stores, whether a rollup of theirs is pending, the
    # day rollups (the days compared, and the trend's other days), the alerts, the routine's
    # completion and missing 日报; the cards' pacing (kpi.pacing): the financial years' first
    # months, the planned days, the actual days, the plans' floor and stretch.
    assert few == 14


def test_nothing_is_kept_between_visits(morning, client_for, monkeypatch):
    """Every visit reads afresh: a correction shows at once, and no address fills the cache."""
    writes = []
    for name in ("set", "add", "set_many"):
        original = getattr(cache, name)
        monkeypatch.setattr(cache, name, lambda *args, _original=original, **kwargs: writes.append(args))
    client = client_for(morning.lead)
    for number in range(3):
        assert client.get(reverse("home"), {"x": number}).status_code == 200
    assert writes == []
    DailyMetric.objects.filter(store=morning.store_a, date=periods.yesterday()).update(gmv=Decimal("1300.00"))
    services.store_rollups_refresh(store_id=morning.store_a.pk, days=[periods.yesterday()])
    assert "¥1,300.00" in client.get(reverse("home")).content.decode()


def test_a_section_an_app_registers_shows_on_the_page(morning, client_for, tmp_path, settings):
    """The page knows no section: one registered from outside appears in its order."""
    template = tmp_path / "extra.html"
    template.write_text("<p id='extra'>{{ stores_count }} stores</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    extra = sections.Section(
        "extra", "extra.html", 15, lambda view: {"stores_count": len(view.stores)}, lambda user: True
    )
    sections.section_register(page="dashboard", section=extra)
    try:
        assert _sections(client_for(morning.lead)) == [
            "yesterday",
            "extra",
            "alerts",
            "store_cards",
            "routine",
        ]
        assert (
            "<p id='extra'>2 stores</p>"
            in client_for(morning.lead).get(reverse("dashboard")).content.decode()
        )
    finally:
        sections._registry["dashboard"].pop("extra")
