"""Realistic, deterministic demo data (`manage.py seed_demo`).

Each store follows a profile (its traffic, conversion and order value levels); every day's numbers
come from that profile, the date (weekday, season, promotions, Spring Festival, growth) and a
random generator seeded per store, so one seed and one end date always give the same rows, and
`--stores 5` starts with the same three stores as the default.

Everything recorded is filled, consistently: GMV = UV × conversion × AOV
(docs/metrics.md#gmv-decomposition), and the parts that must add up do (new + returning buyers =
paid buyers, orders ≥ buyers, items ≥ orders).
"""

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from stores import metric_sql
from stores.calendar import PromotionNode, logistics_stop, promotion_peaks
from stores.demo_history import demo_history_seed
from stores.models import DailyMetric, Organisation, OrgMembership, OrgRole, Store, StoreAssignment, StoreRole
from stores.periods import days_between
from stores.signals import daily_metrics_changed

ORGANISATION_SLUG = "demo"
ORGANISATION_NAME = "示例电商有限公司"
PASSWORD = "demo12345"
BATCH_SIZE = 20_000
CENT = Decimal("0.01")
SCORE_PLACES = Decimal("0.0001")

# Ranges every demo day stays inside (the tests hold the generator to them).
CONVERSION_RANGE = (0.0105, 0.0790)
AOV_RANGE = (82.0, 395.0)
PV_PER_UV_RANGE = (2.55, 4.95)
RETURNING_SHARE_RANGE = (0.20, 0.40)
REFUND_RATE_RANGE = (0.032, 0.145)
ROI_RANGE = (1.55, 5.9)
DSR_RANGE = (4.61, 4.94)
DSR_MAX_DAILY_STEP = 0.008
INQUIRY_CONVERSION_RANGE = (0.30, 0.60)
DSR_CODES = ("dsr_item", "dsr_service", "dsr_logistics")

# Monday … Sunday. Tmall traffic is highest on Sunday evening and Monday, lowest on Friday and
# Saturday, when people are out rather than on their phones.
WEEKDAY_FACTOR = (1.06, 1.02, 1.00, 0.98, 0.90, 0.93, 1.10)
# January … December: a quiet summer, a busy autumn (before the promotions themselves).
MONTH_FACTOR = (1.00, 0.96, 1.00, 1.00, 1.02, 1.04, 0.92, 0.90, 1.00, 1.03, 1.08, 1.05)
# After a promotion with at least this uplift, refunds of its orders arrive for two weeks.
BIG_PROMOTION_UPLIFT = 2.5
REFUND_WAVE_DAYS = 14


@dataclass(frozen=True)
class StoreProfile:
    """An ordinary day of one store on the first demo day, before growth and promotions."""

    name: str
    slug: str
    platform: str
    shop_type: str
    category: str
    uv: float
    conversion: float  # paid_buyers / uv
    aov: float  # gmv / paid_buyers, CNY
    growth: float  # year-on-year growth of visitors
    pv_per_uv: float
    returning_share: float  # returning_buyers / paid_buyers
    refund_rate: float  # refund_amount / gmv outside refund waves
    ad_share: float  # ad_gmv / gmv
    roi: float  # ad_gmv / ad_spend
    dsr: float  # the level the three shop scores drift around


TMALL, TAOBAO = Store.Platform.TMALL, Store.Platform.TAOBAO
BASE_PROFILES = (
    StoreProfile(
        "山岚家居旗舰店",
        "demo-flagship",
        TMALL,
        Store.ShopType.FLAGSHIP,
        "家居",
        uv=14000,
        conversion=0.026,
        aov=260,
        growth=0.18,
        pv_per_uv=3.9,
        returning_share=0.28,
        refund_rate=0.07,
        ad_share=0.35,
        roi=3.4,
        dsr=4.84,
    ),
    StoreProfile(
        "优贝母婴专营店",
        "demo-specialty",
        TMALL,
        Store.ShopType.SPECIALTY,
        "母婴",
        uv=6500,
        conversion=0.031,
        aov=150,
        growth=0.12,
        pv_per_uv=3.4,
        returning_share=0.33,
        refund_rate=0.05,
        ad_share=0.40,
        roi=2.8,
        dsr=4.80,
    ),
    StoreProfile(
        "小禾手作皂铺",
        "demo-cshop",
        TAOBAO,
        Store.ShopType.C_SHOP,
        "手作",
        uv=2600,
        conversion=0.036,
        aov=92,
        growth=0.25,
        pv_per_uv=2.9,
        returning_share=0.36,
        refund_rate=0.045,
        ad_share=0.28,
        roi=2.3,
        dsr=4.78,
    ),
)
# Further stores cycle through the three profiles under names "brand + category + shop word".
BRANDS = (
    "青禾",
    "云栖",
    "拾光",
    "木棉",
    "星屿",
    "半亩",
    "知味",
    "素简",
    "暖阳",
    "松间",
    "初见",
    "米粒",
    "橙心",
    "鹿角",
    "溪山",
    "南枝",
    "北屿",
    "若水",
    "听风",
    "朝露",
    "花间",
    "竹里",
    "晴川",
    "墨白",
    "小满",
    "夏至",
    "白露",
    "山茶",
    "麦穗",
    "归田",
)
NAME_PATTERNS = ("{brand}{category}旗舰店", "{brand}{category}专营店", "{brand}家{category}小铺")
CATEGORIES = (
    ("家居", "服饰", "数码", "家纺", "厨具", "户外"),
    ("母婴", "美妆", "食品", "宠物", "运动", "茶叶"),
    ("手作", "茶叶", "饰品", "零食", "花艺", "文具"),
)


def store_profile(*, number: int, rng: random.Random) -> StoreProfile:
    """The profile of demo store `number` (1-based): the three base stores, then variations of them."""
    kind, variant = (number - 1) % 3, (number - 1) // 3
    base = BASE_PROFILES[kind]
    if variant == 0:
        return base
    brand = BRANDS[(variant - 1) % len(BRANDS)]
    category = CATEGORIES[kind][(variant - 1) // len(BRANDS) % len(CATEGORIES[kind])]
    name = NAME_PATTERNS[kind].format(brand=brand, category=category)
    if (repeat := (variant - 1) // (len(BRANDS) * len(CATEGORIES[kind]))) > 0:
        name += f"{repeat + 1}店"  # names would repeat beyond 180 variants of a profile
    return replace(
        base,
        name=name,
        slug=f"{base.slug}-{variant + 1}",
        category=category,
        uv=base.uv * 2 ** rng.uniform(-1.3, 1.3),
        conversion=base.conversion * rng.uniform(0.8, 1.15),
        aov=_clamp(base.aov * rng.uniform(0.85, 1.2), 90, 330),
        growth=base.growth + rng.uniform(-0.08, 0.10),
        refund_rate=base.refund_rate * rng.uniform(0.8, 1.3),
        roi=base.roi * rng.uniform(0.8, 1.2),
        dsr=_clamp(base.dsr + rng.uniform(-0.05, 0.05), 4.70, 4.90),
    )


# --- The shape of the year ---------------------------------------------------------------------


def promotion_lift(*, day: dt.date, nodes: list[PromotionNode]) -> float:
    """Sales multiple from promotions: a slow pre-sale climb, the peak day, a short after-glow."""
    lift = 1.0
    for node in nodes:
        extra = node.uplift - 1
        if node.presale_start <= day < node.peak:
            progress = (day - node.presale_start).days / max(1, (node.peak - node.presale_start).days)
            lift = max(lift, 1 + extra * (0.10 + 0.25 * progress))
        elif day == node.peak:
            lift = max(lift, node.uplift)
        elif 1 <= (day - node.peak).days <= 2:
            lift = max(lift, 1 + extra * 0.12 / (day - node.peak).days)
    return lift


def refund_wave(*, day: dt.date, nodes: list[PromotionNode]) -> float:
    """0…1: how strongly a big promotion's returns are still coming in on `day`."""
    wave = 0.0
    for node in nodes:
        after = (day - node.peak).days
        if node.uplift >= BIG_PROMOTION_UPLIFT and 1 <= after <= REFUND_WAVE_DAYS:
            wave = max(wave, 1 - (after - 1) / REFUND_WAVE_DAYS)
    return wave


def spring_festival_factor(day: dt.date) -> float:
    """Demand while couriers stop for Spring Festival: down to a third, easing in and out over 3 days."""
    first, last = logistics_stop(day.year)
    if day < first:
        gap = (first - day).days
    elif day > last:
        gap = (day - last).days
    else:
        return 0.35
    return 1.0 if gap > 3 else 0.35 + 0.65 * gap / 4


# --- One day ---------------------------------------------------------------------------------------


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _count_between(value: float, low: float, high: float) -> int:
    """`value` rounded to a whole count, kept inside [low, high] after rounding too."""
    return min(max(round(value), math.ceil(low)), math.floor(high))


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}").quantize(CENT)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 30:  # normal approximation; Knuth's method gets slow for big means
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def drift_dsr(score: float, *, level: float, pressure: float, rng: random.Random) -> float:
    """Tomorrow's shop score: the platform averages months of ratings, so it only creeps."""
    step = 0.006 * (level - score) + rng.gauss(0, 0.003) - pressure
    return _clamp(score + _clamp(step, -DSR_MAX_DAILY_STEP, DSR_MAX_DAILY_STEP), *DSR_RANGE)


def day_values(
    *, profile: StoreProfile, demand: float, lift: float, slump: float, wave: float, rng: random.Random
) -> dict[str, object]:
    """The recorded numbers of one day except the shop scores.

    demand: visitors of an ordinary day at this date (growth, season, weekday, noise);
    lift: promotion multiple; slump: Spring Festival factor; wave: refund wave after a big promotion.
    """
    # A promotion brings more visitors and makes them readier to buy; the holiday does the opposite.
    uv = max(200, round(demand * lift**0.7 * slump**0.5))
    conversion = _clamp(
        profile.conversion * lift**0.3 * slump**0.5 * math.exp(rng.gauss(0, 0.06)), *CONVERSION_RANGE
    )
    paid_buyers = _count_between(uv * conversion, uv * CONVERSION_RANGE[0], uv * CONVERSION_RANGE[1])
    aov = _clamp(profile.aov * lift**0.04 * math.exp(rng.gauss(0, 0.05)), *AOV_RANGE)
    gmv = _money(paid_buyers * aov)
    # Promotions reward bundles (满减), so buyers add more sub-orders and units.
    paid_orders = paid_buyers + round(paid_buyers * rng.uniform(0.04, 0.18) * lift**0.2)
    paid_items = paid_orders + round(paid_orders * rng.uniform(0.10, 0.45))
    pv = round(uv * _clamp(profile.pv_per_uv * lift**0.05 * math.exp(rng.gauss(0, 0.04)), *PV_PER_UV_RANGE))
    # Promotions bring in first-time buyers, so the returning share dips on big days.
    share = profile.returning_share - 0.05 * min(1.0, (lift - 1) / 4) + rng.gauss(0, 0.02)
    returning_buyers = round(paid_buyers * _clamp(share, *RETURNING_SHARE_RANGE))
    refund_rate = _clamp(
        profile.refund_rate * math.exp(rng.gauss(0, 0.12)) + 0.045 * wave, *REFUND_RATE_RANGE
    )
    ad_gmv = _money(float(gmv) * _clamp(profile.ad_share * math.exp(rng.gauss(0, 0.08)), 0.10, 0.70))
    roi = _clamp(profile.roi * lift**0.08 * math.exp(rng.gauss(0, 0.10)), *ROI_RANGE)
    # About half the buyers ask customer service first; busy days convert inquiries a little worse.
    cs_inquiry_buyers = round(paid_buyers * _clamp(rng.gauss(0.45, 0.05), 0.30, 0.60))
    inquiry_conversion = _clamp(rng.gauss(0.46, 0.05) * lift**-0.06, *INQUIRY_CONVERSION_RANGE)
    return {
        "uv": uv,
        "pv": pv,
        "paid_buyers": paid_buyers,
        "paid_orders": paid_orders,
        "paid_items": paid_items,
        "gmv": gmv,
        "refund_amount": _money(float(gmv) * refund_rate),
        "ad_spend": (ad_spend := _money(float(ad_gmv) / roi)),
        "ad_spend_split": ad_spend_split(ad_spend, rng=rng),
        "ad_gmv": ad_gmv,
        "new_buyers": paid_buyers - returning_buyers,
        "returning_buyers": returning_buyers,
        "cs_inquiries": _count_between(
            cs_inquiry_buyers / inquiry_conversion,
            cs_inquiry_buyers / INQUIRY_CONVERSION_RANGE[1],
            cs_inquiry_buyers / INQUIRY_CONVERSION_RANGE[0],
        ),
        "cs_inquiry_buyers": cs_inquiry_buyers,
        "bad_reviews": _poisson(rng, paid_buyers * 0.002 * (1 + wave)),
    }


# Where the ad money goes (生意参谋's channels): mostly keyword bids (直通车), then audiences, the
# all-site campaign and affiliates (淘宝客).
AD_CHANNEL_SHARES = {"keyword": 0.45, "audience": 0.25, "site": 0.20, "affiliate": 0.10}


def ad_spend_split(ad_spend: Decimal, *, rng: random.Random) -> dict[str, str]:
    """The day's ad spend by channel, as stored ({channel: "12.30"}); the parts add up to the cent."""
    weights = {channel: share * math.exp(rng.gauss(0, 0.1)) for channel, share in AD_CHANNEL_SHARES.items()}
    total = sum(weights.values())
    channels = list(weights)
    parts = {channel: _money(float(ad_spend) * weights[channel] / total) for channel in channels[:-1]}
    parts[channels[-1]] = ad_spend - sum(parts.values(), Decimal(0))
    return {channel: str(amount) for channel, amount in parts.items()}


def store_days(
    *, profile: StoreProfile, first: dt.date, last: dt.date, rng: random.Random
) -> Iterator[tuple[dt.date, dict[str, object]]]:
    """Every day of one store from first to last, as (date, recorded values)."""
    nodes = [node for year in range(first.year, last.year + 2) for node in promotion_peaks(year)]
    scores = {code: profile.dsr + rng.uniform(-0.03, 0.03) for code in DSR_CODES}
    noise = 0.0
    for day in days_between(first, last):
        # Good and bad weeks: today's luck carries over into tomorrow.
        noise = 0.6 * noise + rng.gauss(0, 0.06)
        growth = (1 + profile.growth) ** ((day - first).days / 365.25)
        season = WEEKDAY_FACTOR[day.weekday()] * MONTH_FACTOR[day.month - 1]
        demand = profile.uv * growth * season * math.exp(noise)
        slump = spring_festival_factor(day)
        wave = refund_wave(day=day, nodes=nodes)
        values = day_values(
            profile=profile,
            demand=demand,
            lift=promotion_lift(day=day, nodes=nodes),
            slump=slump,
            wave=wave,
            rng=rng,
        )
        # Late parcels (after a big promotion, around the holiday) cost logistics score.
        logistics_pressure = 0.0008 * wave + 0.0006 * (slump < 1)
        for code, score in scores.items():
            pressure = logistics_pressure if code == "dsr_logistics" else 0.0
            scores[code] = drift_dsr(score, level=profile.dsr, pressure=pressure, rng=rng)
            values[code] = Decimal(f"{scores[code]:.4f}").quantize(SCORE_PLACES)
        yield day, values


# --- Writing it ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    last_name: str  # family name first, as Chinese names are written
    first_name: str
    role: str  # "superuser", an OrgRole or a StoreRole
    stores: tuple[int, ...] | None = None  # store numbers (1-based) for store roles; None: every store
    # Worked here until recently: their history is seeded, then the team demo deactivates them
    # (stores.team.demo), so they are not a login.
    former: bool = False


DEMO_USERS = (
    DemoUser("admin", "陈", "志远", "superuser"),
    DemoUser("boss", "周", "海峰", OrgRole.BOSS),
    DemoUser("lead", "李", "思雨", OrgRole.LEAD),
    DemoUser("operator", "张", "伟", StoreRole.OPERATOR, (1, 2)),
    DemoUser("promotion", "王", "磊", StoreRole.PROMOTION),
    DemoUser("designer", "林", "晓雯", StoreRole.DESIGNER, (1,)),
    DemoUser("service", "赵", "雅婷", StoreRole.CUSTOMER_SERVICE, (1, 3)),
    DemoUser("content", "孙", "悦", StoreRole.CONTENT, (2,)),
    DemoUser("former", "吴", "佳琪", StoreRole.CUSTOMER_SERVICE, (2,), former=True),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    stores: list[str] | None  # store names; None: every store of the organisation


@dataclass(frozen=True)
class DemoSummary:
    organisation: Organisation
    stores: int
    first: dt.date
    last: dt.date
    days: int
    rows: int
    logins: list[DemoLogin]
    password: str = PASSWORD


def _store_rng(seed: int, number: int) -> random.Random:
    # One generator per store (a string seed is hashed with SHA-512, stable across runs and
    # machines), so adding stores never changes the numbers of the first ones.
    return random.Random(f"opsdesk-demo:{seed}:{number}")


def _reset_users(*, organisation: Organisation, stores: list[Store]) -> list[DemoLogin]:
    password = make_password(PASSWORD)  # hashed once: hashing is deliberately slow
    logins = []
    for spec in DEMO_USERS:
        is_superuser = spec.role == "superuser"
        user, _ = get_user_model().objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                # example.com never receives mail; the demo's email backend prints to the console.
                "email": f"{spec.username}@example.com",
                "password": password,
                "is_superuser": is_superuser,
                "is_staff": is_superuser,
                "is_active": True,
            },
        )
        if spec.role in OrgRole.values:
            OrgMembership.objects.create(user=user, organisation=organisation, role=spec.role)
        names = None  # superuser and organisation roles: every store
        if spec.role in StoreRole.values:
            held = [store for n, store in enumerate(stores, 1) if spec.stores is None or n in spec.stores]
            StoreAssignment.objects.bulk_create(
                StoreAssignment(user=user, store=store, role=spec.role) for store in held
            )
            names = [store.name for store in held]
        if not spec.former:
            logins.append(DemoLogin(spec.username, str(spec.role), names))
    return logins


def _metric_rows(
    *, plan: list[tuple[Store, StoreProfile, random.Random]], first: dt.date, last: dt.date
) -> Iterator[tuple[int, dt.date, dict]]:
    for store, profile, rng in plan:
        for day, values in store_days(profile=profile, first=first, last=last, rng=rng):
            yield store.pk, day, values


def demo_seed(*, stores: int, years: int, seed: int, end_date: dt.date) -> DemoSummary:
    """Rebuild the demo organisation: its stores, people and every day from 1 January of
    (end_date's year − years) to end_date. Other organisations are never touched."""
    first = dt.date(end_date.year - years, 1, 1)
    with transaction.atomic():
        organisation, _ = Organisation.objects.update_or_create(
            slug=ORGANISATION_SLUG, defaults={"name": ORGANISATION_NAME}
        )
        # Deleting the stores takes their metrics and store roles with them (CASCADE).
        Store.objects.filter(organisation=organisation).delete()
        OrgMembership.objects.filter(organisation=organisation).delete()
        rngs = [_store_rng(seed, number) for number in range(1, stores + 1)]
        profiles = [store_profile(number=number, rng=rng) for number, rng in enumerate(rngs, 1)]
        created = Store.objects.bulk_create(
            Store(
                organisation=organisation,
                name=profile.name,
                slug=profile.slug,
                platform=profile.platform,
                shop_type=profile.shop_type,
                category=profile.category,
            )
            for profile in profiles
        )
        logins = _reset_users(organisation=organisation, stores=created)
        rows = 0
        plan = list(zip(created, profiles, rngs, strict=True))
        metric_rows = _metric_rows(plan=plan, first=first, last=end_date)
        provenance = {"source": DailyMetric.Source.DEMO, "entered_by_id": None, "import_batch_id": None}
        # The imports' set-based writer: the ORM's bulk_create takes minutes for 500 stores.
        while batch := list(islice(metric_rows, BATCH_SIZE)):
            metric_sql.insert_days(
                batch, provenance, created_by_batch_id=None, source_note=f"seed_demo --seed {seed}"
            )
            rows += len(batch)
        demo_history_seed(stores=created, end_date=end_date)
        # bulk_create bypasses the upsert service, so announce the new days as it would (rollups,
        # alerts); every store has the same days, so they share one set.
        days = set(days_between(first, end_date))
        store_dates = {store.pk: days for store in created}
        daily_metrics_changed.send(sender=DailyMetric, store_dates=store_dates)
    return DemoSummary(
        organisation=organisation,
        stores=stores,
        first=first,
        last=end_date,
        days=(end_date - first).days + 1,
        rows=rows,
        logins=logins,
    )
