"""Setting several months of a plan at once (docs/targets.md#import): pure arithmetic on the plan's
days, no database, as kpi.rebalance does it for one period.

- A month given with its current total is left as it is: no day of it moves.
- A month given with a new total has its movable days (today or later, not locked) re-scaled in
  proportion to their weights so that it sums to the new total; its days that have passed or are
  locked keep theirs. A month with no movable day cannot change ("has passed" / "is locked").
- The months not given absorb the difference, on their future unlocked days in proportion to their
  weights, so that the year keeps its annual target; when every month is given, nothing absorbs
  and the annual target becomes the sum of the months.
What cannot be done is refused with every reason at once, each with its month (None: the plan's).
"""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from kpi.allocation import ZERO, largest_remainder
from kpi.rebalance import DayState, PlanRefused, difference_spread, money_shown
from stores.periods import Period


class MonthsRefused(PlanRefused):
    """Months the plan cannot take: `problems` maps each refused month (None: the plan as a whole) to
    its reason, in the user's language."""

    def __init__(self, problems: Mapping[Period | None, str]):
        self.problems = dict(problems)
        super().__init__(" ".join(self.problems.values()))


def months_rebalance(
    *, days: Mapping[dt.date, DayState], months: Mapping[Period, Decimal], today: dt.date
) -> dict[dt.date, Decimal]:
    """Every day's new target once each of `months` is set to its amount (see the module)."""
    targets = {day: state.target for day, state in days.items()}
    problems: dict[Period | None, str] = {}
    given: set[dt.date] = set()
    for month, amount in months.items():
        inside = [day for day in days if day in month]
        given.update(inside)
        problem = _month_set(targets, days, inside, month, amount, today)
        if problem:
            problems[month] = problem
    if problems:
        raise MonthsRefused(problems)
    difference = sum((targets[day] - days[day].target for day in given), ZERO)
    if difference and len(given) < len(days):
        problem = _absorb(targets, days, given, difference, today)
        if problem:
            raise MonthsRefused({None: problem})
    return targets


def _month_set(targets, days, inside: list[dt.date], month: Period, amount, today: dt.date) -> str | None:
    """Re-scale one month's movable days to `amount` in `targets`; the reason when it cannot be."""
    if not inside:
        return _("%(month)s is not in this plan's year") % {"month": month.label}
    if amount < 0:
        return _("a target cannot be negative")
    current = sum((days[day].target for day in inside), ZERO)
    if amount == current:
        return None
    movable = [day for day in inside if day >= today and not days[day].locked]
    if not movable:
        values = {"month": month.label, "amount": money_shown(current)}
        if all(day < today for day in inside):
            return _("%(month)s has passed: it stays %(amount)s") % values
        return _("%(month)s is locked: it stays %(amount)s") % values
    fixed = current - sum((days[day].target for day in movable), ZERO)
    if amount < fixed:
        return _(
            "the days of %(month)s that have passed or are locked already hold %(fixed)s, more than "
            "%(amount)s"
        ) % {"month": month.label, "fixed": money_shown(fixed), "amount": money_shown(amount)}
    shares = largest_remainder(total=amount - fixed, weights=[days[day].weight for day in movable])
    targets.update(zip(movable, shares, strict=True))
    return None


def _absorb(targets, days, given: set[dt.date], difference, today: dt.date) -> str | None:
    """Take `difference` from the future unlocked days of the months not given, in proportion to
    their weights (give it to them when it is negative); the reason when it cannot be."""
    absorbers = [day for day, state in days.items() if day not in given and day >= today and not state.locked]
    if not absorbers:
        return _(
            "nothing can absorb the difference of %(difference)s: every month not in the file has passed "
            "or is locked; give every month to change the annual target"
        ) % {"difference": money_shown(difference)}
    negative = difference_spread(targets=targets, days=days, absorbers=absorbers, difference=difference)
    if negative:
        room = sum((days[day].target for day in absorbers), ZERO)
        return _(
            "the months not in the file cannot give up %(difference)s: their future unlocked days hold "
            "only %(room)s (%(day)s would go below zero)"
        ) % {"difference": money_shown(difference), "room": money_shown(room), "day": negative[0].isoformat()}
    return None
