"""daily_metrics_upsert: exactly the given values change, every change is kept, nothing is wiped."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stores import services
from stores.models import DailyMetric, MetricRevision, MetricSource
from stores.services import DayValues, daily_metrics_upsert
from stores.signals import daily_metrics_changed
from tests.factories import DailyMetricFactory, StoreFactory, UserFactory

pytestmark = pytest.mark.django_db
NOV_1, NOV_2 = dt.date(2026, 11, 1), dt.date(2026, 11, 2)


def _upsert(days, **kwargs):
    return daily_metrics_upsert(days=days, source=kwargs.pop("source", MetricSource.MANUAL), **kwargs)


def test_a_new_day_is_inserted_with_its_provenance():
    store, user = StoreFactory(), UserFactory()
    outcome = _upsert([DayValues(store.pk, NOV_1, {"uv": 1000, "gmv": Decimal("4500.5")})], user=user)
    day = DailyMetric.objects.get(store=store, date=NOV_1)
    assert (day.uv, day.gmv, day.pv) == (1000, Decimal("4500.50"), None)
    assert (day.source, day.entered_by) == (MetricSource.MANUAL, user)
    assert outcome.count("insert") == 1
    revision = MetricRevision.objects.get()
    assert revision.previous == {} and revision.current == {"uv": "1000", "gmv": "4500.50"}


def test_only_changed_values_are_written_and_remembered():
    day = DailyMetricFactory(date=NOV_1, uv=1000, gmv=Decimal("4500.00"), pv=3000)
    outcome = _upsert([DayValues(day.store_id, NOV_1, {"uv": 1000, "gmv": Decimal("4800")})])
    day.refresh_from_db()
    assert (day.uv, day.gmv, day.pv) == (1000, Decimal("4800.00"), 3000), "pv was not given: left alone"
    assert outcome.count("update") == 1 and outcome.values_changed == 1
    revision = MetricRevision.objects.get()
    assert (revision.previous, revision.current) == ({"gmv": "4500.00"}, {"gmv": "4800.00"})


def test_same_values_again_change_nothing():
    day = DailyMetricFactory(date=NOV_1, uv=1000, dsr_item=Decimal("4.8500"))
    before = DailyMetric.objects.get(pk=day.pk).updated_at
    outcome = _upsert([DayValues(day.store_id, NOV_1, {"uv": 1000, "dsr_item": Decimal("4.85")})])
    assert outcome.count("unchanged") == 1 and outcome.values_changed == 0
    assert DailyMetric.objects.get(pk=day.pk).updated_at == before
    assert not MetricRevision.objects.exists()


def test_a_missing_value_given_explicitly_clears_the_field():
    day = DailyMetricFactory(date=NOV_1, refund_amount=Decimal("12.00"))
    _upsert([DayValues(day.store_id, NOV_1, {"refund_amount": None})])
    day.refresh_from_db()
    assert day.refund_amount is None
    assert MetricRevision.objects.get().previous == {"refund_amount": "12.00"}


def test_ad_spend_split_is_kept_and_compared():
    store = StoreFactory()
    split = {"keyword": Decimal("100.5"), "site": Decimal("50")}
    _upsert([DayValues(store.pk, NOV_1, {"ad_spend": Decimal("150.50")}, split)])
    day = DailyMetric.objects.get()
    assert day.ad_spend_split == {"keyword": "100.50", "site": "50.00"}
    again = _upsert([DayValues(store.pk, NOV_1, {"ad_spend": Decimal("150.5")}, dict(split))])
    assert again.count("unchanged") == 1


def test_dry_run_reports_the_same_outcome_and_writes_nothing():
    day = DailyMetricFactory(date=NOV_1, uv=1000)
    days = [DayValues(day.store_id, NOV_1, {"uv": 1200}), DayValues(day.store_id, NOV_2, {"uv": 900})]
    preview = _upsert(days, dry_run=True)
    assert [change.action for change in preview.changes] == ["update", "insert"]
    assert preview.changes[0].previous == {"uv": "1000"} and preview.changes[0].current == {"uv": "1200"}
    assert DailyMetric.objects.count() == 1 and DailyMetric.objects.get().uv == 1000
    assert not MetricRevision.objects.exists()


def test_a_new_day_with_no_values_is_not_created():
    store = StoreFactory()
    assert _upsert([DayValues(store.pk, NOV_1, {"uv": None})]).count("unchanged") == 1
    assert not DailyMetric.objects.exists()


@pytest.mark.django_db(transaction=True)  # no test transaction around it: only the upsert's own
def test_changed_days_are_announced_inside_the_transaction_that_changes_them():
    """So that what listens writes its follow-up work in the same commit (opsdesk.queue)."""
    day = DailyMetricFactory(date=NOV_1, uv=1000)
    received = []

    def listener(sender, store_dates, **kwargs):
        received.append((store_dates, connection.in_atomic_block))

    daily_metrics_changed.connect(listener)
    try:
        _upsert(
            [
                DayValues(day.store_id, NOV_1, {"uv": 1000}),  # unchanged: not announced
                DayValues(day.store_id, NOV_2, {"uv": 5}),
            ]
        )
    finally:
        daily_metrics_changed.disconnect(listener)
    assert received == [({day.store_id: {NOV_2}}, True)]


# PostgreSQL stages the days and compares them itself: the outcome must be Python's, exactly ----


def _scenario(store, other, batch_source, dry_run):
    """Stored days, then one upsert over them: changed, unchanged, cleared, new and empty days."""
    split = {"site": Decimal("5"), "keyword": None}
    DailyMetricFactory(
        store=store,
        date=NOV_1,
        uv=1000,
        gmv=Decimal("4500.00"),
        dsr_item=Decimal("4.85"),
        ad_spend_split={"site": "5.00"},
    )
    DailyMetricFactory(store=store, date=NOV_2, uv=800, gmv=Decimal("10.00"), ad_spend_split={"site": "5.00"})
    DailyMetricFactory(store=other, date=NOV_1, uv=7, gmv=None, ad_spend_split={"site": "1.00"})
    days = [
        DayValues(
            store.pk, NOV_1, {"uv": 1000, "gmv": Decimal("4500"), "dsr_item": Decimal("4.8500")}, split
        ),
        DayValues(store.pk, NOV_2, {"uv": 900, "gmv": None, "dsr_item": None}, {"site": Decimal("5.00")}),
        DayValues(other.pk, NOV_1, {"uv": 7, "gmv": Decimal("0.10"), "dsr_item": None}, {"site": None}),
        DayValues(other.pk, NOV_2, {"uv": 3, "gmv": None, "dsr_item": Decimal("5")}, {"keyword": None}),
        DayValues(store.pk, dt.date(2026, 11, 3), {"uv": None, "gmv": None, "dsr_item": None}, {}),
    ]
    return daily_metrics_upsert(days=days, source=batch_source, user=UserFactory(), dry_run=dry_run)


def _observed(outcome):
    rows = DailyMetric.objects.order_by("store", "date")
    revisions = MetricRevision.objects.order_by("store", "date", "pk")
    return (
        outcome.days,
        dict(outcome.by_date),
        dict(outcome.changed_days),
        [(c.store_id, c.date, c.action, c.previous, c.current) for c in outcome.changes],
        outcome.values_changed,
        outcome.values_written,
        [(row.store_id, row.date, row.recorded(), row.ad_spend_split, row.source) for row in rows],
        [(r.store_id, r.date, r.source, r.previous, r.current) for r in revisions],
    )


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize("source", [MetricSource.IMPORT, MetricSource.MANUAL])
def test_the_staged_upsert_finds_exactly_what_python_finds(source, dry_run, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("days are staged on PostgreSQL only")
    store, other = StoreFactory(), StoreFactory()
    observed = {}
    for staged in (True, False):
        monkeypatch.setattr(services, "_stageable", lambda days, staged=staged: staged)
        savepoint = transaction.savepoint()
        observed[staged] = _observed(_scenario(store, other, source, dry_run))
        transaction.savepoint_rollback(savepoint)
    assert observed[True] == observed[False]
    assert observed[True][0] == {"insert": 1, "update": 2, "unchanged": 2}


def test_a_day_carrying_only_an_ad_spend_split_is_written():
    store = StoreFactory()
    _upsert([DayValues(store.pk, NOV_1, {}, {"site": Decimal("2.5")})])
    assert DailyMetric.objects.get().ad_spend_split == {"site": "2.50"}
    _upsert([DayValues(store.pk, NOV_1, {}, {"site": Decimal("3")})])
    assert DailyMetric.objects.get().ad_spend_split == {"site": "3.00"}
    assert MetricRevision.objects.order_by("pk").last().previous == {"ad_spend_split": {"site": "2.50"}}


# Any stored and incoming values: the same outcome, rows and revisions either way.
counts = st.one_of(st.none(), st.integers(min_value=0, max_value=3))
amounts = st.one_of(st.none(), st.sampled_from([Decimal("0"), Decimal("0.10"), Decimal("0.1"), Decimal("7")]))
scores = st.one_of(st.none(), st.sampled_from([Decimal("4.85"), Decimal("4.8500"), Decimal("5")]))
metric_values = st.fixed_dictionaries({"uv": counts, "gmv": amounts, "dsr_item": scores})
splits = st.one_of(st.none(), st.dictionaries(st.sampled_from(["site", "keyword"]), amounts, max_size=2))
stored_days = st.dictionaries(st.integers(0, 2), st.tuples(metric_values, splits), max_size=3)
incoming_days = st.dictionaries(st.integers(0, 3), st.tuples(metric_values, splits), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stored=stored_days,
    incoming=incoming_days,
    with_split=st.booleans(),
    source=st.sampled_from([MetricSource.IMPORT, MetricSource.MANUAL]),
)
def test_any_values_are_staged_and_compared_as_python_compares_them(stored, incoming, with_split, source):
    if connection.vendor != "postgresql":
        pytest.skip("days are staged on PostgreSQL only")
    store = StoreFactory()
    observed = {}
    for staged in (True, False):
        savepoint = transaction.savepoint()
        for offset, (values, split) in stored.items():
            DailyMetric.objects.create(
                store=store,
                date=NOV_1 + dt.timedelta(days=offset),
                source=MetricSource.MANUAL,
                ad_spend_split=services._split_text(split or {}) or {},
                **values,
            )
        days = [
            DayValues(
                store.pk, NOV_1 + dt.timedelta(days=offset), values, (split or {}) if with_split else None
            )
            for offset, (values, split) in incoming.items()
        ]
        original = services._stageable
        services._stageable = lambda days, staged=staged: staged
        try:
            observed[staged] = _observed(daily_metrics_upsert(days=days, source=source))
        finally:
            services._stageable = original
        transaction.savepoint_rollback(savepoint)
    assert observed[True] == observed[False]
