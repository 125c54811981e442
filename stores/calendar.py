"""The trading calendar: Spring Festival and the platforms' promotion nodes (平台大促)
(docs/periods.md#promotion-calendar).

`DEFAULT_PROMOTIONS` is the shipped default, kept as plain data so that a later editable calendar
can start from it. Dates are computed per year: most nodes sit on a fixed calendar day, 年货节 moves
with Spring Festival (the lunar new year).
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache

from lunar_python import Lunar

# Couriers stop for the holiday: orders dry up a few days before Spring Festival and pick up again
# about a week after it.
LOGISTICS_STOP_DAYS_BEFORE = 5
LOGISTICS_STOP_DAYS_AFTER = 7


@dataclass(frozen=True)
class PromotionRule:
    """How to place one promotion node in a year."""

    code: str
    name: str  # the Chinese name the team uses
    month: int | None  # peak on this calendar day; None: relative to Spring Festival
    day: int | None
    presale_days: int  # pre-sale / warm-up starts this many days before the peak
    uplift: float  # planning default: peak-day sales as a multiple of an ordinary day
    days_before_spring_festival: int = 0
    # Planning defaults of the other phases (domain.md §5): the pre-sale (预热/预售) days and the
    # return (返场) days after the peak sell above an ordinary day, far below the peak.
    presale_uplift: float = 1.2
    return_days: int = 2
    return_uplift: float = 1.2


DEFAULT_PROMOTIONS: tuple[PromotionRule, ...] = (
    PromotionRule(
        "nianhuo",
        "年货节",
        None,
        None,
        presale_days=7,
        uplift=2.2,
        days_before_spring_festival=21,
        presale_uplift=1.3,
        return_uplift=1.2,
    ),
    PromotionRule("38", "38女王节", 3, 8, presale_days=3, uplift=1.8, presale_uplift=1.2, return_uplift=1.1),
    # 618: pre-sales from about 25 May.
    PromotionRule("618", "618", 6, 18, presale_days=24, uplift=5.0, presale_uplift=1.5, return_uplift=1.6),
    PromotionRule("99", "99划算节", 9, 9, presale_days=3, uplift=1.7, presale_uplift=1.2, return_uplift=1.1),
    # 双11: pre-sales from about 20 October.
    PromotionRule("1111", "双11", 11, 11, presale_days=22, uplift=8.0, presale_uplift=1.6, return_uplift=1.8),
    PromotionRule("1212", "双12", 12, 12, presale_days=4, uplift=2.8, presale_uplift=1.3, return_uplift=1.2),
)


@dataclass(frozen=True)
class PromotionNode:
    """One promotion of one year: pre-sale from `presale_start`, the big day on `peak`, the return
    (返场) through `return_end`, each phase with its planning uplift."""

    code: str
    name: str
    peak: dt.date
    presale_start: dt.date
    uplift: float
    return_end: dt.date | None = None
    presale_uplift: float = 1.0
    return_uplift: float = 1.0


@cache
def spring_festival(year: int) -> dt.date:
    """The first day of the lunar new year that starts in `year` (春节, 正月初一)."""
    solar = Lunar.fromYmd(year, 1, 1).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def logistics_stop(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the Spring Festival courier stop of `year` (both included)."""
    festival = spring_festival(year)
    return (
        festival - dt.timedelta(days=LOGISTICS_STOP_DAYS_BEFORE),
        festival + dt.timedelta(days=LOGISTICS_STOP_DAYS_AFTER),
    )


def promotion_peaks(year: int, rules: tuple[PromotionRule, ...] = DEFAULT_PROMOTIONS) -> list[PromotionNode]:
    """The promotion nodes of `year`, in date order.

    年货节 belongs to the Spring Festival of `year`, so in a year with an early Spring Festival its
    peak may fall in the last days of the year before.
    """
    nodes = []
    for rule in rules:
        if rule.month is None:
            peak = spring_festival(year) - dt.timedelta(days=rule.days_before_spring_festival)
        else:
            peak = dt.date(year, rule.month, rule.day)
        start = peak - dt.timedelta(days=rule.presale_days)
        nodes.append(
            PromotionNode(
                rule.code,
                rule.name,
                peak,
                start,
                rule.uplift,
                return_end=peak + dt.timedelta(days=rule.return_days),
                presale_uplift=rule.presale_uplift,
                return_uplift=rule.return_uplift,
            )
        )
    return sorted(nodes, key=lambda node: node.peak)
