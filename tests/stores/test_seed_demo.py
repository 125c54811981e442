import datetime as dt
import random
import statistics
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from stores import access, metrics
from stores.calendar import spring_festival
from stores.demo import PASSWORD, demo_seed, store_profile
from stores.models import DailyMetric, MetricRevision, Organisation, OrgMembership, Store, StoreAssignment
from tests.factories import DailyMetricFactory, StoreFactory

END = dt.date(2026, 11, 21)  # a fixed "yesterday"
FLAGSHIP, SPECIALTY, C_SHOP = "demo-flagship", "demo-specialty", "demo-cshop"

pytestmark = pytest.mark.django_db


def _seed(**overrides):
    return demo_seed(**{"stores": 3, "years": 1, "seed": 7, "end_date": END, **overrides})


def _days() -> dict[str, list[dict]]:
    """Every demo row by store slug, in date order."""
    by_store = defaultdict(list)
    rows = DailyMetric.objects.filter(store__organisation__slug="demo").order_by("store__slug", "date")
    for row in rows.values("store__slug", "date", "source", *metrics.RECORDED_CODES):
        by_store[row["store__slug"]].append(row)
    return dict(by_store)


def _gmv_by_date(days: list[dict]) -> dict[dt.date, Decimal]:
    return {day["date"]: day["gmv"] for day in days}


def _median_of_month(by_date: dict[dt.date, Decimal], year: int, month: int) -> Decimal:
    in_month = [value for date, value in by_date.items() if (date.year, date.month) == (year, month)]
    return statistics.median(in_month)


def test_same_seed_and_end_date_give_identical_rows_and_another_seed_differs():
    _seed()
    first = _days()
    _seed()
    assert _days() == first
    _seed(seed=8)
    assert _days() != first
    assert _days()[FLAGSHIP][0]["date"] == first[FLAGSHIP][0]["date"]


def test_every_date_from_the_first_of_january_to_the_end_date_once():
    summary = _seed()
    days = _days()
    assert set(days) == {FLAGSHIP, SPECIALTY, C_SHOP}
    first = dt.date(2025, 1, 1)
    expected = [first + dt.timedelta(days=n) for n in range((END - first).days + 1)]
    for rows in days.values():
        assert [row["date"] for row in rows] == expected
    assert summary.rows == 3 * len(expected) == DailyMetric.objects.count()
    assert (summary.first, summary.last, summary.days) == (dt.date(2025, 1, 1), END, len(expected))


def test_every_day_is_plausible_and_consistent():
    _seed(stores=6)  # three base stores and one variation of each
    # The demo's history (stores/demo_history.py) re-imports and corrects a few recent days.
    touched = set(MetricRevision.objects.values_list("store__slug", "date"))
    for slug, rows in _days().items():
        previous = None
        for day in rows:
            assert all(day[code] is not None for code in metrics.RECORDED_CODES), (slug, day["date"])
            if (slug, day["date"]) not in touched:
                assert day["source"] == DailyMetric.Source.DEMO
            assert all(
                isinstance(day[code], int)
                for code in metrics.RECORDED_CODES
                if "dsr" not in code and metrics.BY_CODE[code].kind is metrics.Kind.COUNT
            )
            assert all(
                day[code] == day[code].quantize(Decimal("0.01"))
                for code in ("gmv", "refund_amount", "ad_spend", "ad_gmv")
            )
            derived = metrics.derive_all(day)
            context = (slug, day["date"], derived)
            assert Decimal("0.01") <= derived["conversion"] <= Decimal("0.08"), context
            assert 80 <= derived["aov"] <= 400, context
            assert Decimal("0.03") <= derived["refund_rate"] <= Decimal("0.15"), context
            assert Decimal("1.5") <= derived["roi"] <= 6, context
            assert Decimal("2.5") <= derived["pv_per_uv"] <= 5, context
            assert Decimal("0.3") <= derived["inquiry_conversion"] <= Decimal("0.6"), context
            assert day["paid_items"] >= day["paid_orders"] >= day["paid_buyers"] > 0, context
            assert day["new_buyers"] + day["returning_buyers"] == day["paid_buyers"], context
            assert day["cs_inquiry_buyers"] <= min(day["cs_inquiries"], day["paid_buyers"]), context
            assert 0 <= day["bad_reviews"] <= day["paid_buyers"] * 0.05 + 3, context
            for code in ("dsr_item", "dsr_service", "dsr_logistics"):
                assert Decimal("4.6") <= day[code] <= Decimal("4.95"), context
                if previous:
                    assert abs(day[code] - previous[code]) <= Decimal("0.01"), context
            previous = day
        returning = sum(day["returning_buyers"] for day in rows) / sum(day["paid_buyers"] for day in rows)
        assert 0.2 <= returning <= 0.4, slug
        for code in ("dsr_item", "dsr_service", "dsr_logistics"):  # a slow drift, not a constant
            assert max(day[code] for day in rows) - min(day[code] for day in rows) >= Decimal("0.02"), slug


def test_each_store_keeps_its_own_order_value_level():
    _seed()
    days = _days()

    def median_aov(slug):
        return statistics.median(day["gmv"] / day["paid_buyers"] for day in days[slug])

    assert 220 <= median_aov(FLAGSHIP) <= 300
    assert 120 <= median_aov(SPECIALTY) <= 180
    assert 80 <= median_aov(C_SHOP) <= 110


def test_double_11_and_618_are_peaks():
    _seed()
    flagship = _gmv_by_date(_days()[FLAGSHIP])
    october = _median_of_month(flagship, 2026, 10)
    assert flagship[dt.date(2026, 11, 11)] > 5 * october
    assert flagship[dt.date(2026, 6, 18)] > 3 * _median_of_month(flagship, 2026, 5)
    # 双11 is the biggest day of the year; its pre-sale already lifts late October.
    for year in (2025, 2026):
        year_days = [date for date in flagship if date.year == year]
        assert max(year_days, key=flagship.get) == dt.date(year, 11, 11)
    pre_sale = statistics.median(flagship[dt.date(2026, 10, 20) + dt.timedelta(days=n)] for n in range(21))
    assert pre_sale > Decimal("1.3") * october


def test_spring_festival_week_is_quiet_and_refunds_follow_big_promotions():
    _seed()
    days = _days()
    for slug in (FLAGSHIP, SPECIALTY, C_SHOP):
        by_date = _gmv_by_date(days[slug])
        for year in (2025, 2026):
            january = _median_of_month(by_date, year, 1)
            festival_week = [by_date[spring_festival(year) + dt.timedelta(days=n)] for n in range(7)]
            assert max(festival_week) < Decimal("0.7") * january, (slug, year)
        refund_rate = {day["date"]: day["refund_amount"] / day["gmv"] for day in days[slug]}
        week_after = [dt.date(2025, 11, 12) + dt.timedelta(days=n) for n in range(7)]
        after_double_11 = statistics.median(refund_rate[date] for date in week_after)
        assert after_double_11 > _median_of_month(refund_rate, 2025, 9) + Decimal("0.02"), slug


def test_weekday_pattern_and_year_on_year_growth():
    _seed()
    for slug, rows in _days().items():
        by_weekday = defaultdict(list)
        for day in rows:
            by_weekday[day["date"].weekday()].append(day["gmv"])
        sunday, friday = statistics.median(by_weekday[6]), statistics.median(by_weekday[4])
        assert sunday > Decimal("1.1") * friday, slug
        this_year = sum(day["gmv"] for day in rows if day["date"].year == 2026)
        last_year = sum(day["gmv"] for day in rows if day["date"] <= END.replace(year=2025))
        assert this_year > Decimal("1.05") * last_year, slug


def test_many_stores_get_unique_believable_names_and_sane_levels():
    profiles = [store_profile(number=n, rng=random.Random(n)) for n in range(1, 501)]
    assert len({profile.slug for profile in profiles}) == 500
    assert len({profile.name for profile in profiles}) == 500
    assert all(profile.name.endswith(("旗舰店", "专营店", "小铺", "店", "皂铺")) for profile in profiles)
    assert all(90 <= profile.aov <= 330 and 4.7 <= profile.dsr <= 4.9 for profile in profiles)
    assert [profile.shop_type for profile in profiles[:4]] == [
        Store.ShopType.FLAGSHIP,
        Store.ShopType.SPECIALTY,
        Store.ShopType.C_SHOP,
        Store.ShopType.FLAGSHIP,
    ]


def test_more_stores_keep_the_first_ones_and_cycle_the_profiles():
    _seed(years=0)
    three = _days()
    summary = _seed(stores=7, years=0)
    seven = _days()
    assert summary.stores == 7 and len(seven) == 7
    assert {slug: seven[slug] for slug in three} == three
    assert Store.objects.filter(organisation__slug="demo", shop_type=Store.ShopType.FLAGSHIP).count() == 3
    promotion = get_user_model().objects.get(username="promotion")
    assert access.stores_visible_to(promotion).count() == 7


def test_demo_users_roles_and_passwords():
    _seed()
    users = {user.username: user for user in get_user_model().objects.all()}
    # "former" is seeded with the others; the team demo (stores.team.demo) deactivates them later.
    assert set(users) == {
        "admin",
        "boss",
        "lead",
        "operator",
        "promotion",
        "designer",
        "service",
        "content",
        "former",
    }
    assert all(user.check_password(PASSWORD) for user in users.values())
    assert all(user.last_name and user.first_name for user in users.values())
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not any(user.is_staff or user.is_superuser for name, user in users.items() if name != "admin")
    demo = Organisation.objects.get(slug="demo")
    assert set(OrgMembership.objects.filter(organisation=demo).values_list("user__username", "role")) == {
        ("boss", "boss"),
        ("lead", "lead"),
    }

    def visible(username):
        return set(access.stores_visible_to(users[username]).values_list("slug", flat=True))

    everything = {FLAGSHIP, SPECIALTY, C_SHOP}
    assert visible("boss") == visible("lead") == visible("promotion") == everything
    assert visible("operator") == {FLAGSHIP, SPECIALTY}
    assert visible("designer") == {FLAGSHIP}
    assert visible("service") == {FLAGSHIP, C_SHOP}
    assert visible("content") == {SPECIALTY}
    assert access.store_roles(users["service"]) == {"customer_service"}


def test_rerunning_rebuilds_the_demo_and_leaves_other_organisations_alone():
    other = DailyMetricFactory(store=StoreFactory(slug="other-store"), date=dt.date(2025, 3, 1))
    _seed()
    boss = get_user_model().objects.get(username="boss")
    boss.set_password("changed-by-someone")
    boss.save()

    def counts():
        return (
            Organisation.objects.count(),
            Store.objects.count(),
            DailyMetric.objects.count(),
            StoreAssignment.objects.count(),
            OrgMembership.objects.count(),
            get_user_model().objects.count(),
        )

    before = counts()
    _seed()
    assert counts() == before
    assert DailyMetric.objects.filter(pk=other.pk, store__slug="other-store").exists()
    assert Organisation.objects.filter(slug="demo").count() == 1
    assert get_user_model().objects.get(username="boss").check_password(PASSWORD)


@override_settings(DEBUG=False)
def test_command_refuses_without_debug_unless_forced(capsys):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--years", "0")
    assert not Organisation.objects.filter(slug="demo").exists()
    call_command("seed_demo", "--years", "0", "--stores", "2", "--force")
    output = capsys.readouterr().out
    assert "username" in output and "password" in output
    assert all(name in output for name in ("admin", "boss", "lead", "operator", "service", PASSWORD))
    assert "Seeded 2 stores" in output
    assert Store.objects.filter(organisation__slug="demo").count() == 2


@override_settings(DEBUG=True)
def test_command_rejects_nonsense_arguments():
    with pytest.raises(CommandError, match="--stores"):
        call_command("seed_demo", "--stores", "0")


@override_settings(DEBUG=True)
def test_the_demo_shows_a_rollup_lost_with_its_worker_on_the_jobs_page(
    jobs_in_process, client, django_capture_on_commit_callbacks
):
    from opsdesk import queue
    from opsdesk.models import BackgroundJob
    from reports.models import RollupRun

    with django_capture_on_commit_callbacks(execute=True):  # as `make demo` commits
        call_command("seed_demo", "--years", "0", "--stores", "2")
    (lost,) = RollupRun.objects.filter(status=RollupRun.Status.FAILED)
    assert lost.error == queue.ABANDONED and lost.trigger == RollupRun.Trigger.CHANGE
    assert not RollupRun.objects.filter(status__in=RollupRun.UNFINISHED).exists()
    assert set(BackgroundJob.objects.values_list("status", flat=True)) == {"done", "failed"}
    client.force_login(get_user_model().objects.get(username="lead"))
    page = client.get("/reports/jobs/").content.decode()
    assert queue.ABANDONED in page and f"/reports/jobs/{lost.pk}/rerun/" in page
