"""`manage.py rollup`: rebuild synchronously, whole or one store, printing progress."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.models import OrganisationRollup, StoreRollup
from tests.factories import DailyMetricFactory, StoreFactory


def test_rollup_rebuilds_every_store_and_reports_progress(db):
    store = StoreFactory()
    DailyMetricFactory(store=store, date=dt.date(2026, 11, 20))
    DailyMetricFactory(store=StoreFactory(organisation=store.organisation), date=dt.date(2026, 11, 20))
    out = StringIO()
    call_command("rollup", stdout=out)
    assert StoreRollup.objects.count() == 2 * 5  # day, week, month, quarter, year per store
    assert OrganisationRollup.objects.get(kind="week").store_days == 2
    assert "2/2 stores" in out.getvalue() and "15 rows written" in out.getvalue()  # 10 + 5 totals


def test_rollup_of_one_store_leaves_the_others_alone(db):
    store, other = StoreFactory(), StoreFactory()
    DailyMetricFactory(store=store, date=dt.date(2026, 11, 20))
    DailyMetricFactory(store=other, date=dt.date(2026, 11, 20))
    call_command(
        "rollup", "--store", store.slug, "--from", "2026-11-01", "--to", "2026-11-30", stdout=StringIO()
    )
    assert set(StoreRollup.objects.values_list("store_id", flat=True)) == {store.pk}


@pytest.mark.parametrize(
    "arguments",
    [["--store", "nope"], ["--from", "2026-13-01"], ["--from", "2026-11-02", "--to", "2026-11-01"]],
)
def test_rollup_refuses_bad_arguments(db, arguments):
    with pytest.raises(CommandError):
        call_command("rollup", *arguments, stdout=StringIO())
