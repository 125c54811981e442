"""The ad spend by channel as the import's page and a day's audit trail show it: each channel by its
生意参谋 column (the file's own wording, as the errors quote columns), in the channels' order, with
its amount as money; never the channel codes and bare numbers (issue 16: the journey's preview
read "site 1329.13, keyword 3640.39 …" on a Chinese page)."""

import datetime as dt
from decimal import Decimal

import pytest

from stores import selectors
from stores.imports.services import import_batch_create, import_batch_run
from tests.factories import DailyMetricFactory, StoreFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)
FILE = (
    "统计日期,关键词推广花费,精准人群推广花费,全站推广花费,淘宝客佣金\n2026-11-02,3658.23,2194.94,1463.29,-\n"
).encode("utf-8-sig")


def _imported():
    store = StoreFactory()
    DailyMetricFactory(
        store=store,
        date=DAY,
        ad_spend=Decimal("7296.46"),
        ad_spend_split={
            "site": "1329.13",
            "keyword": "3640.39",
            "audience": "1632.71",
            "affiliate": "694.23",
        },
    )
    batch = import_batch_create(content=FILE, file_name="生意参谋.csv", user=None, store=store)
    return store, import_batch_run(batch=batch, dry_run=False)


def test_the_import_page_names_each_channel_by_its_column_with_money():
    _store, batch = _imported()
    [change] = selectors.import_summary(batch=batch)["changes"]
    [split] = [value for value in change["values"] if value["metric"] is None]
    assert split["previous"] == (
        "关键词推广花费 ¥3,640.39、精准人群推广花费 ¥1,632.71、全站推广花费 ¥1,329.13、淘宝客佣金 ¥694.23"
    )
    assert split["current"] == "关键词推广花费 ¥3,658.23、精准人群推广花费 ¥2,194.94、全站推广花费 ¥1,463.29"


def test_the_audit_trail_shows_the_split_the_same_way():
    store, _batch = _imported()
    [revision] = selectors.metric_revisions(store=store, date=DAY)
    [split] = [change for change in revision["changes"] if change["code"] == "ad_spend_split"]
    assert split["current"] == "关键词推广花费 ¥3,658.23、精准人群推广花费 ¥2,194.94、全站推广花费 ¥1,463.29"
