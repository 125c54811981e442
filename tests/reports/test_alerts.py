"""Alert rules at, below and above their thresholds; per-store overrides; one alert per rule,
store and day; acknowledging; when missing numbers count as missing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from reports import alerts, services
from reports.alerts import StoreDay
from reports.models import Alert, AlertThreshold, RollupRun
from stores import metrics
from stores.models import Store
from tests.factories import DailyMetricFactory, StoreFactory

D = dt.date
DAY = D(2026, 11, 20)  # a Friday
THRESHOLDS = {
    "dsr_floor": Decimal("4.8"),
    "conversion_drop": Decimal("0.20"),
    "refund_rate_limit": Decimal("0.15"),
    "roi_floor": Decimal("1.5"),
    "ad_spend_cap": Decimal("1000"),
    "pacing_gap": Decimal("0.05"),
}


def store_day(values=None, same_weekday=None, **changes) -> StoreDay:
    fields = {
        "values": metrics.with_derived(values) if values is not None else None,
        "same_weekday": metrics.with_derived(same_weekday) if same_weekday else None,
        "thresholds": THRESHOLDS,
        "nightly_failed": False,
        "data_due": True,
    }
    return StoreDay(**{**fields, **changes})


@pytest.mark.parametrize(
    ("score", "fires"), [(Decimal("4.7999"), True), (Decimal("4.8"), False), (Decimal("4.81"), False)]
)
def test_dsr_below_the_floor_on_any_of_the_three(score, fires):
    day = store_day({"dsr_item": Decimal("4.9"), "dsr_service": score, "dsr_logistics": Decimal("4.9")})
    found = alerts.dsr_low(day)
    assert (found is not None) is fires
    if fires:
        assert found.detail == {"low": {"dsr_service": "4.7999"}}


@pytest.mark.parametrize(("buyers", "fires"), [(23, True), (24, False), (25, False)])
def test_conversion_more_than_20_percent_below_its_same_weekday_level(buyers, fires):
    # Usual: 120 buyers from 4,000 UV = 3 %; the floor is 3 % × 0.8 = 2.4 %: 24 of 1,000 is not below it.
    day = store_day({"uv": 1000, "paid_buyers": buyers}, {"uv": 4000, "paid_buyers": 120})
    assert (alerts.conversion_drop(day) is not None) is fires


def test_no_usual_level_no_conversion_alert():
    assert alerts.conversion_drop(store_day({"uv": 1000, "paid_buyers": 1})) is None


@pytest.mark.parametrize(("refunds", "fires"), [("150.01", True), ("150.00", False), ("149.99", False)])
def test_refund_rate_above_its_limit(refunds, fires):
    day = store_day({"gmv": Decimal("1000.00"), "refund_amount": Decimal(refunds)})
    assert (alerts.refund_rate_high(day) is not None) is fires


@pytest.mark.parametrize(("ad_gmv", "fires"), [("1499.99", True), ("1500.00", False), ("1500.01", False)])
def test_roi_below_its_floor(ad_gmv, fires):
    day = store_day({"ad_spend": Decimal("1000.00"), "ad_gmv": Decimal(ad_gmv)})
    assert (alerts.roi_low(day) is not None) is fires


def test_no_ad_spend_no_roi_alert():
    assert alerts.roi_low(store_day({"ad_spend": Decimal("0"), "ad_gmv": Decimal("0")})) is None


@pytest.mark.parametrize(("spend", "fires"), [("1000.01", True), ("1000.00", False), ("999.99", False)])
def test_ad_spend_above_the_daily_cap(spend, fires):
    assert (alerts.ad_spend_over_cap(store_day({"ad_spend": Decimal(spend)})) is not None) is fires


def test_a_rule_switched_off_never_fires():
    day = store_day({"ad_spend": Decimal("99999")}, thresholds={**THRESHOLDS, "ad_spend_cap": None})
    assert alerts.ad_spend_over_cap(day) is None


def test_pacing_has_no_alert_until_targets_exist():
    from kpi.alerts import pacing_behind

    assert pacing_behind(store_day({"gmv": Decimal("1")})) is None


def test_missing_numbers_only_once_they_are_due():
    assert alerts.data_missing(store_day(None, data_due=True)) is not None
    assert alerts.data_missing(store_day(None, data_due=False)) is None
    assert alerts.data_missing(store_day({"gmv": Decimal("1")})) is None


def test_numbers_are_due_at_ten_the_next_morning(settings):
    from reports.selectors import data_due

    shanghai = timezone.get_current_timezone()
    assert not data_due(day=DAY, now=dt.datetime(2026, 11, 21, 9, 59, tzinfo=shanghai))
    assert data_due(day=DAY, now=dt.datetime(2026, 11, 21, 10, 0, tzinfo=shanghai))
    settings.ALERT_DATA_DUE = "08:30"
    assert data_due(day=DAY, now=dt.datetime(2026, 11, 21, 8, 30, tzinfo=shanghai))


# --- stored alerts --------------------------------------------------------------------------


@pytest.fixture
def store(db):
    store = StoreFactory()
    # The 4 Fridays before: 1,000 UV and 30 buyers each (3 %); this Friday: 20 buyers (2 %) and
    # refunds of 20 % of GMV.
    for weeks in range(1, 5):
        DailyMetricFactory(store=store, date=DAY - dt.timedelta(weeks=weeks))
    DailyMetricFactory(store=store, date=DAY, paid_buyers=20, refund_amount=Decimal("900.00"))
    services.rollups_rebuild(stores=Store.objects.all())
    return store


NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def test_evaluation_raises_each_alert_once(store):
    services.alerts_evaluate(stores=[store], day=DAY, now=NOW)
    assert set(Alert.objects.values_list("rule", flat=True)) == {"conversion_drop", "refund_rate_high"}
    counts = services.alerts_evaluate(stores=[store], day=DAY, now=NOW)
    assert counts == {"raised": 0, "updated": 2, "resolved": 0}
    assert Alert.objects.count() == 2


def test_a_stores_own_threshold_wins(store):
    AlertThreshold.objects.create(store=store, name="refund_rate_limit", value=Decimal("0.25"))
    AlertThreshold.objects.create(store=store, name="conversion_drop", value=None)  # off for this store
    services.alerts_evaluate(stores=[store], day=DAY, now=NOW)
    assert not Alert.objects.exists()


def test_corrected_numbers_resolve_the_alert_and_worse_ones_reopen_it(store):
    services.alerts_evaluate(stores=[store], day=DAY, now=NOW)
    day = store.daily_metrics.get(date=DAY)
    day.refund_amount = Decimal("100.00")
    day.save()
    services.store_rollups_refresh(store_id=store.pk, days=[DAY])
    services.alerts_evaluate(stores=[store], day=DAY, now=NOW)
    assert Alert.objects.get(rule="refund_rate_high").status == Alert.Status.RESOLVED
    day.refund_amount = Decimal("2000.00")
    day.save()
    services.store_rollups_refresh(store_id=store.pk, days=[DAY])
    services.alerts_evaluate(stores=[store], day=DAY, now=NOW)
    assert Alert.objects.get(rule="refund_rate_high").status == Alert.Status.OPEN
    assert Alert.objects.filter(rule="refund_rate_high").count() == 1


def test_an_acknowledged_alert_stays_acknowledged_while_it_holds(store, personas):
    services.alerts_evaluate(stores=[store], day=DAY, now=NOW)
    alert = Alert.objects.get(rule="refund_rate_high")
    services.alert_acknowledge(alert=alert, user=personas.lead, note="客服在跟进尺码退货")
    services.alerts_evaluate(stores=[store], day=DAY, now=NOW)
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by, alert.note) == (
        Alert.Status.ACKNOWLEDGED,
        personas.lead,
        "客服在跟进尺码退货",
    )


def test_a_store_without_yesterdays_numbers_at_ten(db):
    store = StoreFactory()
    services.alerts_evaluate(stores=[store], day=DAY, now=dt.datetime(2026, 11, 21, 1, 0, tzinfo=dt.UTC))
    assert not Alert.objects.exists(), "09:00 in Shanghai: not due yet"
    services.alerts_evaluate(stores=[store], day=DAY, now=dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC))
    assert Alert.objects.get().rule == "data_missing"


def test_a_failed_night_alerts_until_its_re_run_succeeds(store):
    night = {"organisation": store.organisation, "store": store, "first_day": DAY, "last_day": DAY}
    RollupRun.objects.create(trigger=RollupRun.Trigger.NIGHTLY, status=RollupRun.Status.FAILED, **night)
    services.alerts_evaluate(stores=[store], day=DAY, now=NOW)
    assert Alert.objects.filter(rule="nightly_failed", status=Alert.Status.OPEN).exists()
    RollupRun.objects.create(trigger=RollupRun.Trigger.RERUN, status=RollupRun.Status.DONE, **night)
    services.alerts_evaluate(stores=[store], day=DAY, now=NOW)
    assert Alert.objects.get(rule="nightly_failed").status == Alert.Status.RESOLVED
