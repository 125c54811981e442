"""The morning numbers (reports.dashboard) for a hand-built two-store dataset, a constant number
of queries, alerts acknowledged from the dashboard, the store drill-down."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import dashboard, services
from reports.models import Alert
from stores import periods
from stores.models import DailyMetric, Store
from tasks.selectors import routine_get
from tests.factories import DailyMetricFactory, StoreFactory

D = dt.date


@pytest.fixture
def two_stores(personas, settings):
    """Yesterday store A sold ¥1,200 to 6 of 200 visitors, ¥1,000 the day before, ¥600 a year
    ago; its 4 same weekdays before sold ¥800 each to 4 of 200. Store B has no numbers yesterday."""
    settings.LANGUAGE_CODE = "en"
    day = periods.yesterday()
    a, b = personas.store_a, personas.store_b
    DailyMetricFactory(store=a, date=day, gmv=Decimal("1200.00"), uv=200, paid_buyers=6, refund_amount=0)
    DailyMetricFactory(
        store=a, date=day - dt.timedelta(days=1), gmv=Decimal("1000.00"), uv=200, paid_buyers=5
    )
    DailyMetricFactory(
        store=a, date=day.replace(year=day.year - 1), gmv=Decimal("600.00"), uv=100, paid_buyers=3
    )
    for weeks in range(1, 5):
        DailyMetricFactory(
            store=a, date=day - dt.timedelta(weeks=weeks), gmv=Decimal("800.00"), uv=200, paid_buyers=4
        )
    DailyMetricFactory(store=b, date=day - dt.timedelta(days=1), gmv=Decimal("500.00"))
    services.rollups_rebuild(stores=Store.objects.all())
    return personas


def test_the_numbers_of_a_store_and_the_total(two_stores):
    board = dashboard.dashboard_get(stores=[two_stores.store_a, two_stores.store_b], day=periods.yesterday())
    card_a = next(card for card in board.cards if card.store == two_stores.store_a)
    assert card_a.row.current["gmv"] == Decimal("1200.00")
    assert card_a.row.previous["gmv"] == Decimal("1000.00")
    assert card_a.row.last_year["gmv"] == Decimal("600.00")
    # 4-week same-weekday: ¥800 a day on average; conversion 16 / 800 = 2 % (a ratio of sums).
    assert card_a.same_weekday_average("gmv") == Decimal("800")
    assert card_a.same_weekday_average("conversion") == Decimal("0.02")
    assert card_a.trend[-1] == Decimal("1200.00") and card_a.trend[-2] == Decimal("1000.00")
    # The total: A's ¥1,200 yesterday (B has none), the day before ¥1,500.
    assert board.total.row.current["gmv"] == Decimal("1200.00")
    assert board.total.row.previous["gmv"] == Decimal("1500.00")
    # The total's trend: A and B together, ¥1,500 the day before, ¥1,200 yesterday.
    assert board.total.trend[-2:] == [Decimal("1500.00"), Decimal("1200.00")]
    # As shown: ¥1,200.00, ↑ 20.0% against the day before, ↑ 100.0% against a year ago.
    gmv = card_a.shown("gmv")
    assert (gmv.value, gmv.previous.text, gmv.previous.tone) == ("¥1,200.00", "↑ 20.0%", "good")
    assert (gmv.last_year.text, gmv.weekday_average) == ("↑ 100.0%", "¥800.00")


def test_the_page_shows_them_with_their_comparisons(two_stores, client_for):
    page = client_for(two_stores.lead).get(reverse("home")).content.decode()
    assert "¥1,200.00" in page
    assert "↑ 20.0%" in page  # vs the day before
    assert "↑ 100.0%" in page  # vs a year ago
    assert "¥800.00" in page  # the 4-week same-weekday average
    # A's 14 days, and all stores' together (B alone has one day in them: no line to draw).
    assert page.count('class="sparkline"') == 2
    assert "Yesterday&#x27;s numbers are not in yet." in page or "numbers are not in yet" in page


def test_stores_needing_attention_come_first(two_stores):
    day = periods.yesterday()
    Alert.objects.create(organisation=two_stores.acme, store=two_stores.store_b, rule="data_missing", day=day)
    board = dashboard.dashboard_get(stores=[two_stores.store_a, two_stores.store_b], day=day)
    assert [card.store for card in board.cards] == [two_stores.store_b, two_stores.store_a]
    assert [alert.rule for alert in board.alerts] == ["data_missing"]


def _queries(stores) -> int:
    with CaptureQueriesContext(connection) as queries:
        dashboard.dashboard_get(stores=stores, day=D(2026, 11, 21))
    return len(queries)


def _history(store, *, years: int) -> None:
    last = D(2026, 11, 21)
    DailyMetric.objects.bulk_create(
        DailyMetricFactory.build(store=store, date=last - dt.timedelta(days=n)) for n in range(365 * years)
    )


def test_the_number_of_queries_depends_neither_on_stores_nor_on_history(db):
    one = [StoreFactory()]
    twenty = [StoreFactory() for _ in range(20)]
    for store in one + twenty[:3]:
        _history(store, years=1)
    services.rollups_rebuild(stores=Store.objects.all())
    few = _queries(one)
    assert _queries(twenty) == few
    long_history = StoreFactory()
    _history(long_history, years=3)
    services.rollups_rebuild(stores=Store.objects.all())
    assert _queries([long_history]) == few


def test_the_lead_acknowledges_an_alert_from_the_dashboard(two_stores, client_for):
    alert = Alert.objects.create(
        organisation=two_stores.acme,
        store=two_stores.store_a,
        rule="refund_rate_high",
        day=periods.yesterday(),
    )
    url = reverse("reports:alert_acknowledge", args=[alert.pk])
    assert client_for(two_stores.stranger).post(url, {"note": "x"}).status_code == 404
    response = client_for(two_stores.lead).post(url, {"note": "退款在跟进", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by, alert.note) == (
        Alert.Status.ACKNOWLEDGED,
        two_stores.lead,
        "退款在跟进",
    )


def test_the_store_drill_down_shows_its_last_30_days(two_stores, client_for):
    url = reverse("store_dashboard", args=["store-a"])
    page = client_for(two_stores.operator).get(url).content.decode()
    assert "¥1,200.00" in page and "¥1,000.00" in page
    assert (
        client_for(two_stores.operator).get(reverse("store_dashboard", args=["store-b"])).status_code == 404
    )


def test_alert_history_shows_only_visible_stores(two_stores, client_for):
    day = periods.yesterday()
    Alert.objects.create(organisation=two_stores.acme, store=two_stores.store_b, rule="roi_low", day=day)
    Alert.objects.create(
        organisation=two_stores.store_c.organisation, store=two_stores.store_c, rule="roi_low", day=day
    )
    page = client_for(two_stores.lead).get(reverse("reports:alerts")).content.decode()
    assert "B店" in page and "C店" not in page


def test_the_routine_shows_checklist_completion_and_missing_daily_reports(two_stores, client_for):
    from tests.tasks.factories import ChecklistItemFactory, DailyChecklistFactory

    day = periods.yesterday()
    checklist = DailyChecklistFactory(user=two_stores.operator, store=two_stores.store_a, day=day)
    ChecklistItemFactory(checklist=checklist, done=True)
    ChecklistItemFactory.create_batch(3, checklist=checklist)
    routine = routine_get(stores=[two_stores.store_a, two_stores.store_b], day=day, today=periods.today())
    assert [(store, yesterday.done, yesterday.total) for store, yesterday, _today in routine.stores] == [
        (two_stores.store_a, 1, 4)
    ]
    assert routine.reports_missing == [two_stores.operator]
    client = client_for(two_stores.lead)
    page = client.get(reverse("home")).content.decode()
    assert "25% <small" in page and "operator" in page
    from tasks.services import checklist_item_tick

    checklist_item_tick(item=checklist.items.filter(done=False).first(), user=two_stores.operator, done=True)
    assert "50% <small" in client.get(reverse("home")).content.decode(), "a tick shows at once"


def test_the_boss_reads_alerts_but_is_not_offered_to_acknowledge_them(two_stores, client_for):
    Alert.objects.create(
        organisation=two_stores.acme, store=two_stores.store_a, rule="roi_low", day=periods.yesterday()
    )
    assert 'name="note"' not in client_for(two_stores.boss).get(reverse("reports:alerts")).content.decode()
    assert 'name="note"' in client_for(two_stores.lead).get(reverse("reports:alerts")).content.decode()


def test_the_weekday_average_of_a_dsr_is_the_mean_of_its_days(two_stores):
    """DSR is a level: its 4-week same-weekday figure is the mean of the 4 scores (4.70, 4.80,
    4.90, 5.00 → 4.85), not the lowest (as stores are combined) nor a sum."""
    day = periods.yesterday()
    for weeks, score in zip(range(1, 5), ("4.70", "4.80", "4.90", "5.00"), strict=True):
        DailyMetric.objects.filter(store=two_stores.store_a, date=day - dt.timedelta(weeks=weeks)).update(
            dsr_item=Decimal(score)
        )
    services.rollups_rebuild(stores=Store.objects.all())
    board = dashboard.dashboard_get(stores=[two_stores.store_a, two_stores.store_b], day=day)
    card_a = next(card for card in board.cards if card.store == two_stores.store_a)
    assert card_a.same_weekday_average("dsr_item") == Decimal("4.85")
    assert card_a.shown("dsr_item").weekday_average == "4.85"
    assert board.total.same_weekday_average("dsr_item") == Decimal("4.85"), "B has no scores those days"
