"""A store's alert thresholds page (/alerts/thresholds/<slug>/, issue 15): the ops lead sets, per
rule, the default, the store's own value or off; the settings' defaults are shown beside each, in
the units a person reads (20 for 20 %); out-of-range values are refused by name; the alert rules use
what is saved. Only the store's ops lead (and a superuser) opens or posts it; others get 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports import selectors, services, thresholds
from reports.models import Alert, AlertThreshold
from reports.thresholds import DEFAULT, OFF, OWN, ThresholdSetting
from stores import periods
from stores.models import Store
from tests.factories import DailyMetricFactory

MAY = {
    "lead": True,
    "superuser": True,
    "boss": False,
    "operator": False,
    "stranger": False,
    "nobody": False,
}
DAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def _url(slug: str = "store-a") -> str:
    return reverse("reports:alert_thresholds", args=[slug])


def _every_default() -> dict[str, str]:
    """The form as it opens for a store without thresholds of its own."""
    return {f"{name}_mode": DEFAULT for name in settings.ALERT_THRESHOLDS} | {
        name: "" for name in settings.ALERT_THRESHOLDS
    }


def _own(store) -> dict[str, Decimal | None]:
    return dict(AlertThreshold.objects.filter(store=store).values_list("name", "value"))


# --- who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "may"), MAY.items())
def test_only_the_lead_opens_the_page_others_get_404(personas, english, persona, may):
    assert english(personas.user(persona)).get(_url()).status_code == (200 if may else 404)


@pytest.mark.parametrize(("persona", "may"), MAY.items())
def test_only_the_lead_saves_others_get_404_and_nothing_changes(personas, english, persona, may):
    response = english(personas.user(persona)).post(
        _url(), {**_every_default(), "refund_rate_limit_mode": OWN, "refund_rate_limit": "20"}
    )
    assert response.status_code == (302 if may else 404)
    assert _own(personas.store_a) == ({"refund_rate_limit": Decimal("0.2")} if may else {})


def test_the_service_checks_the_role_at_the_moment_of_the_write(personas):
    for user in (personas.boss, personas.operator, personas.stranger):
        with pytest.raises(PermissionDenied):
            thresholds.alert_thresholds_save(
                store=personas.store_a, thresholds={"roi_floor": ThresholdSetting(OFF)}, user=user
            )
    assert _own(personas.store_a) == {}


def test_the_stores_edit_page_links_the_thresholds_for_the_lead(personas, english):
    page = english(personas.lead).get(reverse("stores:edit", args=["store-a"])).content.decode()
    assert _url() in page and "Alert thresholds and daily ad-spend cap" in page


# --- the page ---------------------------------------------------------------------------------------


def test_each_threshold_is_shown_with_its_default_and_unit(personas, english):
    page = english(personas.lead).get(_url()).content.decode()
    for label, default in [
        ("DSR floor", "Default: 4.8 points"),
        ("Conversion drop", "Default: 20.00%"),
        ("Refund rate limit", "Default: 15.00%"),
        ("ROI floor", "Default: 1.50"),
        ("Daily ad-spend cap", "Default: off"),
        ("Pacing gap", "Default: 5 percentage points"),
    ]:
        assert label in page and default in page, label
    assert "Own value (%)" in page and "Own value (¥ per day)" in page and "Own value (× ad spend)" in page
    assert page.count('value="default" selected') == len(settings.ALERT_THRESHOLDS)


def test_default_own_and_off_round_trip(personas, english):
    client = english(personas.lead)
    form = {
        **_every_default(),
        "refund_rate_limit_mode": OWN,
        "refund_rate_limit": "20",  # %
        "ad_spend_cap_mode": OWN,
        "ad_spend_cap": "1,500",
        "dsr_floor_mode": OWN,
        "dsr_floor": "4.75",
        "pacing_gap_mode": OWN,
        "pacing_gap": "8",  # percentage points
        "roi_floor_mode": OFF,
    }
    response = client.post(_url(), form, follow=True)
    assert "Alert thresholds saved: 5 changed." in response.content.decode()
    assert _own(personas.store_a) == {
        "refund_rate_limit": Decimal("0.2"),
        "ad_spend_cap": Decimal("1500"),
        "dsr_floor": Decimal("4.75"),
        "pacing_gap": Decimal("0.08"),
        "roi_floor": None,
    }
    page = client.get(_url()).content.decode()
    assert 'name="refund_rate_limit" value="20"' in page and 'name="ad_spend_cap" value="1500"' in page
    assert 'name="pacing_gap" value="8"' in page
    assert page.count('value="own" selected') == 4 and page.count('value="off" selected') == 1
    # Back to the defaults: the rows go.
    response = client.post(
        _url(), {**form, "refund_rate_limit_mode": DEFAULT, "roi_floor_mode": DEFAULT}, follow=True
    )
    assert "Alert thresholds saved: 2 changed." in response.content.decode()
    assert set(_own(personas.store_a)) == {"ad_spend_cap", "dsr_floor", "pacing_gap"}
    # The page as it now opens (the default's field empty), saved again as it is.
    again = {**form, "refund_rate_limit_mode": DEFAULT, "refund_rate_limit": "", "roi_floor_mode": DEFAULT}
    assert "Nothing changed." in client.post(_url(), again, follow=True).content.decode()
    assert _own(personas.store_b) == {}, "another store keeps its own"


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("refund_rate_limit", "-1", "Refund rate limit: must not be negative."),
        ("conversion_drop", "120", "Conversion drop: at most 100 %."),
        ("refund_rate_limit", "100.5", "Refund rate limit: at most 100 %."),
        ("dsr_floor", "5.1", "DSR floor: at most 5 points."),
        ("ad_spend_cap", "-0.01", "Daily ad-spend cap: must not be negative."),
        ("roi_floor", "1.555", "ROI floor: at most 2 decimal places."),
        ("roi_floor", "abc", "ROI floor: enter a number."),
        ("pacing_gap", "", "Pacing gap: enter a value, or choose “Use the default” or “Off”."),
    ],
)
def test_values_out_of_range_are_refused_by_name_and_nothing_is_saved(
    personas, english, name, typed, message
):
    response = english(personas.lead).post(
        _url(),
        {**_every_default(), "roi_floor_mode": OFF, f"{name}_mode": OWN, name: typed},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _own(personas.store_a) == {}


def test_a_value_typed_without_choosing_own_is_not_silently_dropped(personas, english):
    response = english(personas.lead).post(_url(), {**_every_default(), "refund_rate_limit": "20"})
    assert "Refund rate limit: you typed a value; choose “Own value” to use it, or clear it." in (
        response.content.decode()
    )
    assert _own(personas.store_a) == {}


def test_the_service_refuses_what_the_form_would(personas):
    with pytest.raises(ValidationError) as refused:
        thresholds.alert_thresholds_save(
            store=personas.store_a,
            thresholds={
                "refund_rate_limit": ThresholdSetting(OWN, Decimal("1.5")),
                "dsr_floor": ThresholdSetting(OWN, Decimal("-1")),
                "no_such_rule": ThresholdSetting(OFF),
            },
            user=personas.lead,
        )
    assert set(refused.value.message_dict) == {"refund_rate_limit", "dsr_floor", "no_such_rule"}
    assert _own(personas.store_a) == {}


# --- the rules use them -----------------------------------------------------------------------------


@pytest.fixture
def refunds_18_percent(personas):
    """Store A on DAY: GMV ¥1,000.00, refunds ¥180.00: a refund rate of 18 %."""
    DailyMetricFactory(
        store=personas.store_a, date=DAY, gmv=Decimal("1000.00"), refund_amount=Decimal("180.00")
    )
    services.rollups_rebuild(stores=Store.objects.filter(pk=personas.store_a.pk))
    return personas


def _refund_alert(store) -> bool:
    services.alerts_evaluate(stores=[store], day=DAY, now=NOW)
    return (
        Alert.objects.filter(store=store, day=DAY, rule="refund_rate_high")
        .exclude(status="resolved")
        .exists()
    )


def test_the_refund_rule_uses_the_stores_own_limit(refunds_18_percent, english):
    store, client = refunds_18_percent.store_a, english(refunds_18_percent.lead)
    # The default limit, 15 %: 18 % is above it.
    assert _refund_alert(store)
    # The store's own 20 %: 18 % is not.
    client.post(_url(), {**_every_default(), "refund_rate_limit_mode": OWN, "refund_rate_limit": "20"})
    assert selectors.alert_thresholds_get(store_ids=[store.pk])[store.pk]["refund_rate_limit"] == Decimal(
        "0.2"
    )
    assert not _refund_alert(store)
    # Its own 17.5 %: above again.
    client.post(_url(), {**_every_default(), "refund_rate_limit_mode": OWN, "refund_rate_limit": "17.5"})
    assert _refund_alert(store)
    # Off: never.
    client.post(_url(), {**_every_default(), "refund_rate_limit_mode": OFF})
    assert not _refund_alert(store)
    # Back to the default: above 15 % again.
    client.post(_url(), _every_default())
    assert _refund_alert(store)


def test_yesterdays_alerts_are_evaluated_again_once_the_thresholds_are_saved(
    personas, english, jobs_in_process, django_capture_on_commit_callbacks
):
    yesterday = periods.yesterday()
    DailyMetricFactory(
        store=personas.store_a, date=yesterday, gmv=Decimal("1000.00"), refund_amount=Decimal("180.00")
    )
    services.rollups_rebuild(stores=Store.objects.filter(pk=personas.store_a.pk))
    services.alerts_evaluate(stores=[personas.store_a], day=yesterday)
    alert = Alert.objects.get(store=personas.store_a, day=yesterday, rule="refund_rate_high")
    assert alert.status == Alert.Status.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        english(personas.lead).post(
            _url(), {**_every_default(), "refund_rate_limit_mode": OWN, "refund_rate_limit": "20"}
        )
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED
