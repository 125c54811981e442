"""The day plan's arithmetic (domain.md §5, issue 13): an annual target split to days, to the cent.

The day is the unit. The annual target is allocated to the days of the financial year by
largest-remainder rounding, and every larger period (ISO week, month, quarter, half, year) is the sum
of its days, so every level adds up exactly and a week that spans two months needs no special case.
Pure functions, no database: the models, the override re-balancing and the pages call these.
"""

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cache

from stores.periods import DateRange, Period, PeriodKind, days_between, next_period, period_containing

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def largest_remainder(*, total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`total` split in proportion to `weights`, in whole cents that add up to `total` exactly.

    Each item first gets its exact share rounded down to the cent; the cents left over go one each
    to the items with the largest remainders, the earlier item first among equal remainders, so the
    result never depends on anything but the input. All-zero weights split equally. The arithmetic
    is on integers (cents times weights scaled to whole numbers), so no rounding can creep in.
    """
    cents = _cents(total)
    units = _whole_number_weights(weights)
    if not units:
        if cents:
            raise ValueError("A non-zero total cannot be split over no items.")
        return []
    if not any(units):
        units = [1] * len(units)
    whole = sum(units)
    shares, remainders = zip(*(divmod(cents * unit, whole) for unit in units), strict=True)
    shares = list(shares)
    left_over = cents - sum(shares)  # < len(units): each remainder is less than one cent
    by_remainder = sorted(range(len(units)), key=lambda index: (-remainders[index], index))
    for index in by_remainder[:left_over]:
        shares[index] += 1
    return [Decimal(share).scaleb(-2) for share in shares]


def _cents(total: Decimal) -> int:
    total = Decimal(total)
    if not total.is_finite() or total < 0:
        raise ValueError(f"A target must be zero or more, not {total}.")
    if total != total.quantize(CENT):
        raise ValueError(f"A target is to the cent, not {total}.")
    return int(total.scaleb(2))


def _whole_number_weights(weights: Sequence[Decimal]) -> list[int]:
    """The weights as integers in the same proportions (exact: Decimals are exact fractions)."""
    fractions = []
    for weight in weights:
        weight = Decimal(weight)
        if not weight.is_finite() or weight < 0:
            raise ValueError(f"A weight must be zero or more, not {weight}.")
        fractions.append(Fraction(weight))
    denominator = math.lcm(*(fraction.denominator for fraction in fractions)) if fractions else 1
    return [fraction.numerator * (denominator // fraction.denominator) for fraction in fractions]


def year_days_allocate(*, annual: Decimal, weights: Mapping[dt.date, Decimal]) -> dict[dt.date, Decimal]:
    """The annual target to each day of a financial year (the keys of `weights`, in any order).

    The days are taken in date order, so a tie in the rounding gives the extra cent to the
    earlier day. The days must run without a gap: a plan covers every day of its year.
    """
    days = sorted(weights)
    if days and days != days_between(days[0], days[-1]):
        raise ValueError("The days of a plan must follow each other without a gap.")
    targets = largest_remainder(total=annual, weights=[weights[day] for day in days])
    return dict(zip(days, targets, strict=True))


class PlanLevel(StrEnum):
    """The periods a plan is shown by. The values are PeriodKind's, so PeriodKind.MONTH works too;
    stores.periods has no half year (PeriodKind has no HALF), so halves are made here."""

    WEEK = PeriodKind.WEEK.value
    MONTH = PeriodKind.MONTH.value
    QUARTER = PeriodKind.QUARTER.value
    HALF = "half"
    YEAR = PeriodKind.YEAR.value


MONTHS_IN = {PlanLevel.QUARTER: 3, PlanLevel.HALF: 6, PlanLevel.YEAR: 12}


@dataclass(frozen=True)
class FinancialPeriod(DateRange):
    """A quarter, half or year of a financial year, counted from its first month.

    Labelled like stores.periods when the financial year is the calendar year (2027-Q1, 2027-H1,
    2027); otherwise with FY and the financial year's name: FY2027-Q1 is April–June 2027 when the
    year starts in April.
    """

    level: PlanLevel = PlanLevel.YEAR
    year: int = 0  # the financial year, named by the calendar year it starts in
    number: int = 1  # quarter 1–4, half 1–2; 1 for the year
    first_month: int = 1

    @property
    def label(self) -> str:
        name = str(self.year) if self.first_month == 1 else f"FY{self.year}"
        if self.level is PlanLevel.QUARTER:
            return f"{name}-Q{self.number}"
        if self.level is PlanLevel.HALF:
            return f"{name}-H{self.number}"
        return name


def financial_year_days(*, year: int, first_month: int = 1) -> list[dt.date]:
    """Every day of financial year `year`, which starts on the 1st of `first_month`.

    A financial year is named by the calendar year it starts in: 2027 with first_month 4 is
    2027-04-01 … 2028-03-31 (366 days, with 29 February 2028).
    """
    months = _financial_months(year, first_month)
    return days_between(months[0].start, months[-1].end)


def financial_year_of(day: dt.date, *, first_month: int = 1) -> int:
    """The name of the financial year `day` is in."""
    return day.year if day.month >= first_month else day.year - 1


@cache
def _financial_months(year: int, first_month: int) -> tuple[Period, ...]:
    if not 1 <= first_month <= 12:
        raise ValueError(f"A financial year starts in a month 1–12, not {first_month}.")
    months = [period_containing(PeriodKind.MONTH, dt.date(year, first_month, 1))]
    while len(months) < 12:
        months.append(next_period(months[-1]))
    return tuple(months)


def financial_period(level: PlanLevel, day: dt.date, *, first_month: int = 1) -> FinancialPeriod:
    """The quarter, half or year of the financial year that contains `day`."""
    level = PlanLevel(level)
    year = financial_year_of(day, first_month=first_month)
    size = MONTHS_IN[level]
    number = (day.month - first_month) % 12 // size + 1
    months = _financial_months(year, first_month)[(number - 1) * size : number * size]
    return FinancialPeriod(months[0].start, months[-1].end, level, year, number, first_month)


@cache  # the same for every store: planning 500 stores asks for each day's periods 500 times
def plan_period(level: PlanLevel, day: dt.date, *, first_month: int = 1) -> Period | FinancialPeriod:
    """The period of `level` that contains `day`: ISO weeks and months from stores.periods, the
    quarters, halves and years of the financial year."""
    level = PlanLevel(level)
    if level in (PlanLevel.WEEK, PlanLevel.MONTH):
        return period_containing(PeriodKind(level.value), day)
    return financial_period(level, day, first_month=first_month)


def period_sums(
    *, day_targets: Mapping[dt.date, Decimal], kind: PlanLevel | PeriodKind | str, first_month: int = 1
) -> dict[Period | FinancialPeriod, Decimal]:
    """The sum of the day targets in each period of `kind`, in date order.

    A period counts only the days it has in `day_targets`: the ISO week that straddles the start
    of a financial year holds just this plan's days of it, a week across two months all of its own.
    """
    level = PlanLevel(kind)
    sums: dict[Period | FinancialPeriod, Decimal] = {}
    for day, target in day_targets.items():
        period = plan_period(level, day, first_month=first_month)
        sums[period] = sums.get(period, ZERO) + target
    return dict(sorted(sums.items(), key=lambda item: item[0].start))
