"""The KPI arithmetic (domain.md §6, docs/kpis.md#scores): attainment in each direction, the floor and
the cap, and a scorecard's total. Pure functions on Decimals, no database.

- Higher is better: attainment = actual / target. Lower is better: target / actual. Within a band:
  100 % inside it, actual / low below it, high / actual above it.
- A missing or zero target or actual gives no attainment (None, shown "—"), never 0 %.
- Capped attainment: 0 below the floor, at most the cap (default 120 %, so over-achievement shows).
- The total is Σ weight × capped attainment, in points (100 = every item at 100 %). An item without
  attainment is left out and its weight is shared out over the others in proportion to theirs.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from kpi.models.scorecards import Direction

HUNDRED = Decimal(100)
POINTS_PLACES = Decimal("0.01")
DEFAULT_CAP = Decimal("1.2")


def decimal_or_none(text) -> Decimal | None:
    """A number as a score keeps it (a string, or None/"" for none)."""
    return None if text is None or text == "" else Decimal(str(text))


def attainment(
    *,
    actual: Decimal | None,
    target: Decimal | None,
    direction: str,
    band_low: Decimal | None = None,
    band_high: Decimal | None = None,
) -> Decimal | None:
    """How far `actual` reaches its target, as a fraction (1 = 100 %); None when it cannot be said."""
    if actual is None or actual == 0:
        return None
    actual = Decimal(actual)
    if direction == Direction.BAND:
        if band_low is None or band_high is None or band_low <= 0 or band_high < band_low:
            return None
        if actual < band_low:
            return actual / Decimal(band_low)
        if actual > band_high:
            return Decimal(band_high) / actual
        return Decimal(1)
    if target is None or target == 0:
        return None
    target = Decimal(target)
    return actual / target if direction == Direction.HIGHER else target / actual


def capped(
    value: Decimal | None, *, floor: Decimal | None = None, cap: Decimal = DEFAULT_CAP
) -> Decimal | None:
    """Attainment as it is scored: 0 below the floor, at most the cap."""
    if value is None:
        return None
    if floor is not None and value < floor:
        return Decimal(0)
    return min(value, Decimal(cap))


@dataclass(frozen=True)
class ItemPoints:
    weight: Decimal  # the item's weight, in % of the template
    capped: Decimal | None
    effective_weight: Decimal | None  # its weight once the unscored items' weight is shared out
    points: Decimal | None


def scorecard(items: Sequence[tuple[Decimal, Decimal | None]]) -> tuple[list[ItemPoints], Decimal | None]:
    """Each (weight %, capped attainment) item's points, and the total; None when nothing scored."""
    scored_weight = sum((Decimal(weight) for weight, value in items if value is not None), Decimal(0))
    rows, total = [], Decimal(0)
    for weight, value in items:
        if value is None or not scored_weight:
            rows.append(ItemPoints(Decimal(weight), value, None, None))
            continue
        effective = Decimal(weight) * HUNDRED / scored_weight
        points = effective * value
        rows.append(ItemPoints(Decimal(weight), value, effective, points.quantize(POINTS_PLACES)))
        total += points
    return rows, total.quantize(POINTS_PLACES) if scored_weight else None


@dataclass(frozen=True)
class Grade:
    grade: str
    colour: str


def grade_of(total: Decimal | None) -> Grade | None:
    """The band of settings.KPI_GRADES a total falls in (the highest whose "from" it reaches)."""
    if total is None:
        return None
    for band in sorted(settings.KPI_GRADES, key=lambda band: -band["from"]):
        if total >= Decimal(str(band["from"])):
            return Grade(band["grade"], band["colour"])
    return None


def weights_sum_to_100(weights: Sequence[Decimal]) -> bool:
    return sum((Decimal(weight) for weight in weights), Decimal(0)) == HUNDRED
