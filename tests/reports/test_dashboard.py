"""The morning dashboard: numbers for a hand-built two-store dataset, a constant number of
queries, alerts acknowledged from it, the store drill-down."""

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
    assert card_a.pacing is None, "no targets yet"


def test_the_page_shows_them_with_their_comparisons(two_stores, client_for):
    page = client_for(two_stores.lead).get(reverse("home")).content.decode()
    assert "¥1,200.00" in page
    assert "↑ 20.0%" in page  # vs the day before
    assert "↑ 100.0%" in page  # vs a year ago
    assert "¥800.00" in page  # the 4-week same-weekday average
    assert "not set up yet" in page
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
    url = reverse("reports:store_dashboard", args=["store-a"])
    page = client_for(two_stores.operator).get(url).content.decode()
    assert "¥1,200.00" in page and "¥1,000.00" in page
    assert (
        client_for(two_stores.operator).get(reverse("reports:store_dashboard", args=["store-b"])).status_code
        == 404
    )


def test_alert_history_shows_only_visible_stores(two_stores, client_for):
    day = periods.yesterday()
    Alert.objects.create(organisation=two_stores.acme, store=two_stores.store_b, rule="roi_low", day=day)
    Alert.objects.create(
        organisation=two_stores.store_c.organisation, store=two_stores.store_c, rule="roi_low", day=day
    )
    page = client_for(two_stores.lead).get(reverse("reports:alerts")).content.decode()
    assert "B店" in page and "C店" not in page


def test_a_kept_dashboard_is_shown_again_until_its_numbers_change(two_stores, client_for):
    client = client_for(two_stores.lead)
    client.get(reverse("home"))  # sets the CSRF cookie, which the kept page depends on
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("home"))
    with CaptureQueriesContext(connection) as again:
        assert "¥1,200.00" in client.get(reverse("home")).content.decode()
    assert len(again) < len(first), "the second visit reuses the kept page"
    # A correction of yesterday's GMV is rolled up: the next visit shows it.
    day = two_stores.store_a.daily_metrics.get(date=periods.yesterday())
    day.gmv = Decimal("1300.00")
    day.save()
    services.store_rollups_refresh(store_id=two_stores.store_a.pk, days=[day.date])
    assert "¥1,300.00" in client.get(reverse("home")).content.decode()
    # So does a new alert, and its acknowledgement.
    alert = Alert.objects.create(
        organisation=two_stores.acme, store=two_stores.store_a, rule="roi_low", day=day.date
    )
    assert "ROI" in client.get(reverse("home")).content.decode()
    services.alert_acknowledge(alert=alert, user=two_stores.lead, note="预算已调整")
    assert "预算已调整" in client.get(reverse("home")).content.decode()


def test_the_routine_shows_checklist_completion_and_missing_daily_reports(two_stores, client_for):
    from tests.tasks.factories import ChecklistItemFactory, DailyChecklistFactory

    day = periods.yesterday()
    checklist = DailyChecklistFactory(user=two_stores.operator, store=two_stores.store_a, day=day)
    ChecklistItemFactory(checklist=checklist, done=True)
    ChecklistItemFactory.create_batch(3, checklist=checklist)
    routine = dashboard.routine_get(
        stores=[two_stores.store_a, two_stores.store_b], day=day, today=periods.today()
    )
    assert [(store, yesterday.done, yesterday.total) for store, yesterday, _today in routine.stores] == [
        (two_stores.store_a, 1, 4)
    ]
    assert routine.reports_missing == [two_stores.operator]
    client = client_for(two_stores.lead)
    page = client.get(reverse("home")).content.decode()
    assert "25% <small" in page and "operator" in page
    client.get(reverse("home"))  # now kept
    from tasks.services import checklist_item_tick

    checklist_item_tick(item=checklist.items.filter(done=False).first(), user=two_stores.operator, done=True)
    assert "50% <small" in client.get(reverse("home")).content.decode(), "a tick shows at once"


def test_the_boss_reads_alerts_but_is_not_offered_to_acknowledge_them(two_stores, client_for):
    Alert.objects.create(
        organisation=two_stores.acme, store=two_stores.store_a, rule="roi_low", day=periods.yesterday()
    )
    assert 'name="note"' not in client_for(two_stores.boss).get(reverse("reports:alerts")).content.decode()
    assert 'name="note"' in client_for(two_stores.lead).get(reverse("reports:alerts")).content.decode()


def test_a_kept_dashboard_follows_the_stores_its_user_sees(two_stores, client_for):
    from stores.models import OrgMembership

    client = client_for(two_stores.lead)
    client.get(reverse("home"))
    assert "B店" in client.get(reverse("reports:dashboard")).content.decode()  # kept from now on
    # A new store of the organisation shows at the next visit…
    StoreFactory(organisation=two_stores.acme, name="新店")
    assert "新店" in client.get(reverse("reports:dashboard")).content.decode()
    # …and a lead whose role is removed sees none of its stores at the next visit.
    OrgMembership.objects.filter(user=two_stores.lead).delete()
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "A店" not in page and "B店" not in page and "新店" not in page


def test_a_store_renamed_shows_at_the_next_visit(two_stores, client_for):
    client = client_for(two_stores.lead)
    client.get(reverse("home"))
    assert "B店" in client.get(reverse("home")).content.decode()
    Store.objects.filter(pk=two_stores.store_b.pk).update(name="B旗舰店")
    assert "B旗舰店" in client.get(reverse("home")).content.decode()


def test_a_kept_visit_asks_the_same_few_queries_for_two_stores_or_twenty(two_stores, client_for, settings):
    client = client_for(two_stores.lead)

    def kept_visit() -> int:
        client.get(reverse("home"))
        client.get(reverse("home"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    few = kept_visit()
    for _ in range(18):
        _history(StoreFactory(organisation=two_stores.acme), years=1)
    services.rollups_rebuild(stores=Store.objects.all())
    assert kept_visit() == few
    # The session (unless the cache holds it), the user with their roles, the page's version.
    cached_sessions = settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert few == (2 if cached_sessions else 3)


def _kept(client, url: str = reverse("home")) -> str:
    """The dashboard, visited until it is kept whole, then once more."""
    client.get(url)
    client.get(url)
    return client.get(url).content.decode()


def test_a_kept_page_still_shows_a_waiting_message_once(two_stores, client_for):
    alert = Alert.objects.create(
        organisation=two_stores.acme, store=two_stores.store_a, rule="roi_low", day=periods.yesterday()
    )
    client = client_for(two_stores.lead)
    assert "Alert acknowledged." not in _kept(client)
    client.post(reverse("reports:alert_acknowledge", args=[alert.pk]), {"note": "", "next": "/"})
    assert "Alert acknowledged." in client.get(reverse("home")).content.decode()
    assert "Alert acknowledged." not in client.get(reverse("home")).content.decode(), "shown once"


def test_a_kept_page_follows_the_language_and_the_users_name(two_stores, client_for):
    client = client_for(two_stores.lead)
    assert '<html lang="en">' in _kept(client)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get(reverse("home")).content.decode()
    type(two_stores.lead).objects.filter(pk=two_stores.lead.pk).update(last_name="李", first_name="思雨")
    assert "李思雨" in client.get(reverse("home")).content.decode()


def test_a_kept_page_follows_a_change_of_role_over_the_same_stores(two_stores, client_for):
    """A lead made boss sees the same stores, but is no longer offered to acknowledge alerts,
    nor the rollup jobs."""
    from stores.models import OrgMembership

    Alert.objects.create(
        organisation=two_stores.acme, store=two_stores.store_a, rule="roi_low", day=periods.yesterday()
    )
    client = client_for(two_stores.lead)
    page = _kept(client, reverse("reports:dashboard"))
    assert 'name="note"' in page and reverse("reports:rollup_status") in page
    OrgMembership.objects.filter(user=two_stores.lead).update(role="boss")
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "A店" in page
    assert 'name="note"' not in page and reverse("reports:rollup_status") not in page


def test_on_postgresql_each_connection_plans_the_version_once(two_stores):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for _ in range(3):
        dashboard.dashboard_version(user=two_stores.lead, day=periods.yesterday(), today=periods.today())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%reports_storerollupstamp%"],
        )
        assert cursor.fetchone()[0] == 1
