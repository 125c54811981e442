"""The traffic-source mapping (docs/items.md#traffic-sources): seeded with the usual names, the
platform's renames in one group each; a name never seen before is stored, flagged and mapped
once; a source's day keeps missing figures NULL and derives its conversion."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from stores import traffic_sources
from stores.models import (
    MetricSource,
    TrafficLevel,
    TrafficSourceDaily,
    TrafficSourceGroup,
    TrafficSourceName,
)
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 20)


def _group_of(level1: str, level2: str) -> str:
    return TrafficSourceName.objects.get(level1=level1, level2=level2).group.name


@pytest.mark.parametrize(
    ("group", "names"),
    [
        ("关键词推广", [("付费流量", "直通车"), ("付费流量", "关键词推广"), ("付费流量", "效果广告")]),
        ("精准人群推广", [("付费流量", "引力魔方"), ("付费流量", "精准人群推广")]),
        ("全站推广", [("付费流量", "万相台"), ("付费流量", "全站推广")]),
        ("手淘推荐", [("淘内免费", "手淘推荐"), ("淘内免费", "手淘首页")]),
    ],
)
def test_the_seed_maps_a_renamed_source_to_one_group(group, names):
    assert {_group_of(*name) for name in names} == {group}


def test_the_seed_holds_the_usual_sources_mapped_and_not_flagged():
    for name in ("手淘搜索", "购物车", "我的淘宝", "直接访问", "淘宝客", "聚划算", "淘外流量"):
        assert TrafficSourceGroup.objects.filter(name=name).exists(), name
    assert not TrafficSourceName.objects.filter(group=None).exists()
    assert not TrafficSourceName.objects.filter(needs_mapping=True).exists()
    assert TrafficSourceGroup.objects.get(code="keyword").level == TrafficLevel.PAID
    assert TrafficSourceGroup.objects.get(code="cart").level == TrafficLevel.OWN


def test_the_seed_list_is_consistent():
    codes = [group.code for group in traffic_sources.GROUPS]
    names = [name for group in traffic_sources.GROUPS for name in group.names]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names)), "a name counts in one group only"
    assert {group.level for group in traffic_sources.GROUPS} <= set(TrafficLevel.values)


def test_seeding_again_adds_nothing_and_keeps_the_leads_mapping():
    other = TrafficSourceGroup.objects.get(code="other")
    renamed = TrafficSourceName.objects.get(level1="付费流量", level2="效果广告")
    renamed.group = other
    renamed.save()
    before = TrafficSourceName.objects.count(), TrafficSourceGroup.objects.count()
    traffic_sources.seed(TrafficSourceGroup, TrafficSourceName)
    assert (TrafficSourceName.objects.count(), TrafficSourceGroup.objects.count()) == before
    assert _group_of("付费流量", "效果广告") == "其他"


def test_a_new_name_is_stored_unmapped_and_flagged_and_mapping_it_clears_the_flag():
    name = TrafficSourceName.seen(level1="付费流量", level2="超级直播", day=DAY)
    assert (name.group, name.needs_mapping, name.first_seen) == (None, True, DAY)
    earlier = TrafficSourceName.seen(level1="付费流量", level2="超级直播", day=DAY - dt.timedelta(days=3))
    assert earlier.pk == name.pk
    assert TrafficSourceName.objects.get(pk=name.pk).first_seen == DAY - dt.timedelta(days=3)
    name.refresh_from_db()
    name.group = TrafficSourceGroup.objects.get(code="other")
    name.save()
    assert not TrafficSourceName.objects.get(pk=name.pk).needs_mapping


def test_a_seeded_name_seen_in_a_file_stays_mapped():
    name = TrafficSourceName.seen(level1="付费流量", level2="直通车", day=DAY)
    assert (name.group.code, name.needs_mapping, name.first_seen) == ("keyword", False, DAY)


def test_a_sources_day_keeps_missing_figures_null_and_derives_its_conversion():
    source = TrafficSourceName.objects.get(level1="淘内免费", level2="手淘搜索")
    store = StoreFactory()
    day = TrafficSourceDaily.objects.create(
        store=store, date=DAY, source_name=source, visitors=2000, paid_buyers=50, source=MetricSource.IMPORT
    )
    day.refresh_from_db()
    assert (day.order_buyers, day.gmv) == (None, None)
    assert day.with_derived()["conversion"] == Decimal("0.025")
    with pytest.raises(IntegrityError), transaction.atomic():
        TrafficSourceDaily.objects.create(
            store=store, date=DAY, source_name=source, source=MetricSource.IMPORT
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        TrafficSourceDaily.objects.create(
            store=store, date=DAY + dt.timedelta(days=1), source_name=source, visitors=-1, source="import"
        )
    with pytest.raises(ProtectedError):
        source.delete()  # its days would lose their source
