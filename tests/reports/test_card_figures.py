"""Card figures of another app (reports.card_figures) on the dashboard's cards: each store's card,
a store's own card and the total's, and the order of the stores' cards, from one registration
made here (a fake of what kpi will register: each store's pacing gap, negative when behind)."""

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import card_figures, dashboard, services
from reports.card_figures import CardFigures
from reports.models import Alert
from stores import periods
from stores.models import Store
from tests.factories import DailyMetricFactory, StoreFactory

TEMPLATE = "tests/fake_pacing_card.html"
GAPS = {"store-a": -10, "store-b": -2}  # percentage points behind the month's pacing
TOTAL_GAP = -6


class FakePacing:
    calls = 0

    @classmethod
    def compute(cls, stores, day: dt.date) -> dict:
        cls.calls += 1
        # One query whatever the number of stores, as a provider must.
        slugs = dict(Store.objects.filter(pk__in=[store.pk for store in stores]).values_list("pk", "slug"))
        figures = {pk: {"gap": GAPS[slug]} for pk, slug in slugs.items() if slug in GAPS}
        return figures | {None: {"gap": TOTAL_GAP}}


FAKE = CardFigures(
    code="fake_pacing",
    compute=FakePacing.compute,
    template=TEMPLATE,
    attention=lambda figures: figures["gap"] if figures else 0,
)


def templates_with(settings, templates: dict[str, str]) -> None:
    """The project's templates, and the test's own ones (a locmem loader first)."""
    engine = copy.deepcopy(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"]["loaders"] = [
        ("django.template.loaders.locmem.Loader", templates),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = [engine]


@pytest.fixture
def two_stores(personas):
    """Yesterday A店 sold ¥1,200 (¥1,000 the day before), B店 nothing (¥500 the day before): by GMV
    drop alone, B店 needs attention first."""
    day = periods.yesterday()
    DailyMetricFactory(store=personas.store_a, date=day, gmv=Decimal("1200.00"))
    DailyMetricFactory(store=personas.store_a, date=day - dt.timedelta(days=1), gmv=Decimal("1000.00"))
    DailyMetricFactory(store=personas.store_b, date=day - dt.timedelta(days=1), gmv=Decimal("500.00"))
    services.rollups_rebuild(stores=Store.objects.all())
    return personas


@pytest.fixture
def no_figures():
    """No provider registered: those of other apps (kpi's) are set aside by tests/reports/conftest.py."""
    assert card_figures.card_figures_all() == []


@pytest.fixture
def fake_pacing(no_figures, settings):
    templates_with(
        settings,
        {TEMPLATE: '<p class="fake-pacing">{{ card.store.name|default:"all" }} gap {{ figures.gap }}</p>'},
    )
    FakePacing.calls = 0
    card_figures.card_figures_register(FAKE)
    card_figures.card_figures_register(FAKE)  # twice is harmless
    yield FAKE
    card_figures.card_figures_unregister(FAKE.code)
    assert card_figures.card_figures_all() == []


def _board(personas) -> dashboard.Dashboard:
    return dashboard.dashboard_get(stores=[personas.store_a, personas.store_b], day=periods.yesterday())


def _alert_each(personas) -> None:
    for store in (personas.store_a, personas.store_b):
        Alert.objects.create(organisation=personas.acme, store=store, rule="dsr_low", day=periods.yesterday())


def test_every_card_carries_its_figures_computed_once(two_stores, fake_pacing):
    board = _board(two_stores)
    assert FakePacing.calls == 1
    card_a = next(card for card in board.cards if card.store == two_stores.store_a)
    assert card_a.figures == {"fake_pacing": {"gap": -10}}
    assert [(part.template, part.figures) for part in card_a.figure_parts] == [(TEMPLATE, {"gap": -10})]
    assert board.total.figures == {"fake_pacing": {"gap": TOTAL_GAP}}


def test_among_equal_alerts_the_furthest_behind_comes_first(two_stores, fake_pacing, monkeypatch):
    _alert_each(two_stores)
    # A店 10 points behind, B店 2: A店 first, although B店's GMV dropped and A店's rose.
    assert [card.store for card in _board(two_stores).cards] == [two_stores.store_a, two_stores.store_b]
    monkeypatch.setattr(f"{__name__}.GAPS", {"store-a": -2, "store-b": -10})
    assert [card.store for card in _board(two_stores).cards] == [two_stores.store_b, two_stores.store_a]


def test_alerts_still_come_before_the_providers_attention(two_stores, fake_pacing):
    Alert.objects.create(
        organisation=two_stores.acme, store=two_stores.store_b, rule="dsr_low", day=periods.yesterday()
    )
    assert [card.store for card in _board(two_stores).cards] == [two_stores.store_b, two_stores.store_a]


def test_without_registrations_the_order_is_by_alerts_then_gmv_drop(two_stores, no_figures):
    _alert_each(two_stores)
    board = _board(two_stores)
    assert [card.store for card in board.cards] == [two_stores.store_b, two_stores.store_a]
    assert all(card.figures == {} and card.figure_parts == [] for card in [*board.cards, board.total])


def test_a_card_without_figures_has_no_part_and_sorts_as_the_provider_says(
    two_stores, fake_pacing, monkeypatch
):
    _alert_each(two_stores)
    monkeypatch.setattr(f"{__name__}.GAPS", {"store-b": 5})  # A店 none: attention(None) is 0
    board = _board(two_stores)
    card_a = next(card for card in board.cards if card.store == two_stores.store_a)
    assert card_a.figures == {"fake_pacing": None} and card_a.figure_parts == []
    assert [card.store for card in board.cards] == [two_stores.store_a, two_stores.store_b]


def test_the_dashboard_shows_them_in_each_card_and_the_total(two_stores, fake_pacing, client_for):
    page = client_for(two_stores.lead).get(reverse("home")).content.decode()
    assert '<p class="fake-pacing">A店 gap -10</p>' in page
    assert '<p class="fake-pacing">B店 gap -2</p>' in page
    assert '<p class="fake-pacing">all gap -6</p>' in page, "the total's card"
    cards = page[page.index('class="store-cards"') :]
    assert cards.count('class="fake-pacing"') == 2, "one in each store's card"


def test_a_stores_dashboard_shows_its_own(two_stores, fake_pacing, client_for):
    url = reverse("store_dashboard", args=[two_stores.store_a.slug])
    page = client_for(two_stores.lead).get(url).content.decode()
    assert '<p class="fake-pacing">A店 gap -10</p>' in page
    assert "B店 gap" not in page


def test_the_dashboard_page_without_registrations_shows_none(two_stores, no_figures, client_for):
    page = client_for(two_stores.lead).get(reverse("home")).content.decode()
    assert "fake-pacing" not in page


def _queries(stores) -> int:
    with CaptureQueriesContext(connection) as queries:
        dashboard.dashboard_get(stores=stores, day=periods.yesterday())
    return len(queries)


def test_the_dashboards_queries_do_not_grow_with_the_stores(db, fake_pacing, monkeypatch):
    stores = [StoreFactory() for _ in range(6)]
    monkeypatch.setattr(f"{__name__}.GAPS", {store.slug: -index for index, store in enumerate(stores)})
    FakePacing.calls = 0
    assert _queries(stores[:2]) == _queries(stores)
    assert FakePacing.calls == 2, "once per dashboard"
    board = dashboard.dashboard_get(stores=stores, day=periods.yesterday())
    assert [card.store for card in board.cards] == stores[::-1], "the fake is wired: most behind first"
