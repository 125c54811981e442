"""The demo shows the import and audit pages at work, not empty."""

import datetime as dt
from decimal import Decimal

import pytest

from stores.demo import demo_seed
from stores.models import DailyMetric, ImportBatch, MetricRevision

END = dt.date(2026, 3, 31)


@pytest.fixture
def demo(db):
    return demo_seed(stores=3, years=0, seed=1, end_date=END)


def test_the_demo_has_an_applied_a_repeated_a_checked_and_a_refused_import(demo):
    statuses = list(ImportBatch.objects.order_by("pk").values_list("file_name", "status"))
    assert statuses == [
        ("退款补录_近7天.csv", ImportBatch.Status.APPLIED),
        ("退款补录_近7天.csv", ImportBatch.Status.APPLIED),
        (f"店铺整体_{END:%Y%m%d}.csv", ImportBatch.Status.PREVIEWED),
        ("手工整理.csv", ImportBatch.Status.REFUSED),
    ]
    first, again = ImportBatch.objects.filter(file_name="退款补录_近7天.csv").order_by("pk")
    assert again.same_as == first and (again.rows_updated, again.rows_unchanged) == (0, 7)
    refused = ImportBatch.objects.get(status=ImportBatch.Status.REFUSED)
    assert len(refused.errors) == 2 and "1,2OO" in refused.errors[0]


def test_late_refunds_changed_last_week_and_kept_the_old_values(demo):
    applied = ImportBatch.objects.filter(status=ImportBatch.Status.APPLIED).earliest("pk")
    revisions = MetricRevision.objects.filter(batch=applied)
    assert revisions.count() == 7
    for revision in revisions:
        old, new = Decimal(revision.previous["refund_amount"]), Decimal(revision.current["refund_amount"])
        assert new == (old * Decimal("1.04")).quantize(Decimal("0.01"))


def test_a_hand_correction_is_in_the_trail(demo):
    manual = MetricRevision.objects.get(source="manual")
    assert manual.date == END and manual.changed_by.username == "operator"
    assert int(manual.current["bad_reviews"]) == int(manual.previous["bad_reviews"] or 0) + 1


def test_ad_spend_is_split_by_channel_to_the_cent(demo):
    for day in DailyMetric.objects.all():
        assert set(day.ad_spend_split) == {"keyword", "audience", "site", "affiliate"}
        assert sum(Decimal(amount) for amount in day.ad_spend_split.values()) == day.ad_spend
        assert all(Decimal(amount) > 0 for amount in day.ad_spend_split.values())
