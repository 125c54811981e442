import datetime as dt

import pytest

from stores.calendar import DEFAULT_PROMOTIONS, logistics_stop, promotion_peaks, spring_festival


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, dt.date(2024, 2, 10)),
        (2025, dt.date(2025, 1, 29)),
        (2026, dt.date(2026, 2, 17)),
        (2027, dt.date(2027, 2, 6)),
    ],
)
def test_spring_festival_is_the_lunar_new_year(year, expected):
    assert spring_festival(year) == expected


def test_logistics_stop_spans_spring_festival():
    first, last = logistics_stop(2026)
    assert first < dt.date(2026, 2, 17) < last
    assert 3 <= (dt.date(2026, 2, 17) - first).days <= 7
    assert 5 <= (last - dt.date(2026, 2, 17)).days <= 10


def test_promotion_peaks_of_2026():
    nodes = {node.code: node for node in promotion_peaks(2026)}
    assert set(nodes) == {"nianhuo", "38", "618", "99", "1111", "1212"}
    assert nodes["1111"].name == "双11"
    assert (nodes["1111"].presale_start, nodes["1111"].peak) == (dt.date(2026, 10, 20), dt.date(2026, 11, 11))
    assert nodes["618"].peak == dt.date(2026, 6, 18)
    assert dt.date(2026, 5, 20) <= nodes["618"].presale_start <= dt.date(2026, 5, 31)
    assert (nodes["38"].peak, nodes["99"].peak, nodes["1212"].peak) == (
        dt.date(2026, 3, 8),
        dt.date(2026, 9, 9),
        dt.date(2026, 12, 12),
    )
    # 年货节 about three weeks before Spring Festival (2026-02-17).
    assert 18 <= (dt.date(2026, 2, 17) - nodes["nianhuo"].peak).days <= 24
    # 双11 is the biggest day of the year.
    assert max(nodes.values(), key=lambda node: node.uplift).code == "1111"


def test_promotion_peaks_are_in_date_order_with_presale_first():
    for year in (2024, 2025, 2026):
        nodes = promotion_peaks(year)
        assert [node.peak for node in nodes] == sorted(node.peak for node in nodes)
        assert all(node.presale_start <= node.peak for node in nodes)
        assert len(nodes) == len(DEFAULT_PROMOTIONS)


def test_nianhuo_follows_an_early_spring_festival():
    # Spring Festival 2025 was on 29 January: 年货节 falls in the first half of January.
    nianhuo = next(node for node in promotion_peaks(2025) if node.code == "nianhuo")
    assert dt.date(2025, 1, 1) <= nianhuo.peak <= dt.date(2025, 1, 12)
