"""The canonical traffic-source groups and the names 生意参谋 gives them (docs/items.md#traffic-sources).

The platform renames its sources between versions (直通车, then 关键词推广; 引力魔方, then
精准人群推广), so a report that grouped by name would show one channel dying as another is
born. Every (level 1, level 2) name a file has is a row of TrafficSourceName mapped to one of
these groups; the mapping is data, edited by the ops lead, never code. This module is the seed:
migration 0007 writes it, and later code (the demo, a newer seed) reads it from here. Plain values
only, no models: a migration imports it, and must run the same way years from now.
"""

from dataclasses import dataclass

# The values of stores.models.TrafficLevel.
FREE = "free"  # 淘内免费
PAID = "paid"  # 付费流量
OWN = "own"  # 自主访问
OUTSIDE = "outside"  # 淘外流量
OTHER = "other"  # 其他


@dataclass(frozen=True)
class SourceGroup:
    code: str
    name: str  # as the platform's teams say it
    level: str
    # (level 1, level 2) as files write them; level 2 is "" for a line that has none.
    names: tuple[tuple[str, str], ...]


GROUPS: tuple[SourceGroup, ...] = (
    SourceGroup("search", "手淘搜索", FREE, (("淘内免费", "手淘搜索"),)),
    # 手淘首页 is what 手淘推荐 was called before.
    SourceGroup("recommend", "手淘推荐", FREE, (("淘内免费", "手淘推荐"), ("淘内免费", "手淘首页"))),
    SourceGroup("free_other", "淘内免费其他", FREE, (("淘内免费", "淘内免费其他"),)),
    # 直通车 (and 效果广告 in some versions) was renamed 关键词推广.
    SourceGroup(
        "keyword",
        "关键词推广",
        PAID,
        (("付费流量", "直通车"), ("付费流量", "关键词推广"), ("付费流量", "效果广告")),
    ),
    # 引力魔方 (which took over 超级推荐 and 钻石展位) was renamed 精准人群推广.
    SourceGroup(
        "audience",
        "精准人群推广",
        PAID,
        (
            ("付费流量", "引力魔方"),
            ("付费流量", "精准人群推广"),
            ("付费流量", "超级推荐"),
            ("付费流量", "钻石展位"),
        ),
    ),
    # 万相台 became 全站推广.
    SourceGroup("site_wide", "全站推广", PAID, (("付费流量", "万相台"), ("付费流量", "全站推广"))),
    SourceGroup("taobaoke", "淘宝客", PAID, (("付费流量", "淘宝客"),)),
    SourceGroup("juhuasuan", "聚划算", PAID, (("付费流量", "聚划算"),)),
    # 生意参谋 lists these under 自主访问; some exports (and docs/domain.md) under 淘内免费.
    SourceGroup("cart", "购物车", OWN, (("自主访问", "购物车"), ("淘内免费", "购物车"))),
    SourceGroup("my_taobao", "我的淘宝", OWN, (("自主访问", "我的淘宝"), ("淘内免费", "我的淘宝"))),
    SourceGroup("direct", "直接访问", OWN, (("自主访问", "直接访问"), ("淘内免费", "直接访问"))),
    SourceGroup("outside", "淘外流量", OUTSIDE, (("淘外流量", ""),)),
    # Where the lead puts a name that fits no other group.
    SourceGroup("other", "其他", OTHER, ()),
)


def seed(group_model, name_model) -> None:
    """The groups and names above that are not stored yet, stored; nothing stored is changed (a
    group renamed or a name mapped elsewhere by the lead stays as the lead left it). Takes the
    models so a migration can pass its historical ones."""
    for position, group in enumerate(GROUPS, start=1):
        stored, _created = group_model.objects.get_or_create(
            code=group.code, defaults={"name": group.name, "level": group.level, "position": position * 10}
        )
        for level1, level2 in group.names:
            name_model.objects.get_or_create(
                level1=level1, level2=level2, defaults={"group": stored, "needs_mapping": False}
            )
