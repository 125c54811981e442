"""Setting a period of a plan to a number (docs/targets.md#overrides-and-locks): pure arithmetic on
the plan's days, no database.

The days of the period that can still move (today or later, not locked) are re-scaled in proportion
to their weights so that the period sums to the new number; the difference is taken from (or given
to) the future unlocked days outside the period in proportion to theirs, so that the year still sums
to its annual target. Days that have passed and locked days never move. What cannot be done is
refused with the reason, before anything is saved.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from kpi.allocation import ZERO, largest_remainder
from stores import metrics
from stores.periods import DateRange


@dataclass(frozen=True)
class DayState:
    target: Decimal
    weight: Decimal
    locked: bool = False


def money_shown(amount: Decimal | None) -> str:
    """An amount as a refusal or a command says it: ¥1,234.50 (stores.metrics)."""
    return metrics.display("gmv", amount)


class PlanRefused(ValueError):
    """A change the plan cannot take; the message says why, in the user's language."""


def period_rebalance(
    *,
    days: Mapping[dt.date, DayState],
    period: DateRange,
    label: str,
    amount: Decimal,
    today: dt.date,
    keep_total: bool = True,
) -> dict[dt.date, Decimal]:
    """Every day's new target once `period` is set to `amount`.

    `keep_total`: the rest of the year absorbs the difference (an override); without it the year's
    total changes by the difference (a new annual target, whose period is the whole year).
    """
    if amount < 0:
        raise PlanRefused(_("A target cannot be negative."))
    inside = [day for day in days if day in period]
    if not inside:
        raise PlanRefused(_("%(period)s is not in this plan's year.") % {"period": label})
    movable = [day for day in inside if day >= today and not days[day].locked]
    fixed = sum((days[day].target for day in inside if day not in movable), ZERO)
    current = sum((days[day].target for day in inside), ZERO)
    if not movable:
        if amount == current:
            return {day: state.target for day, state in days.items()}
        raise PlanRefused(_refusal_nothing_movable(inside, days, today, label))
    if amount < fixed:
        raise PlanRefused(
            _(
                "The days of %(period)s that have passed or are locked already hold %(fixed)s, more "
                "than %(amount)s."
            )
            % {"period": label, "fixed": money_shown(fixed), "amount": money_shown(amount)}
        )
    targets = {day: state.target for day, state in days.items()}
    shares = largest_remainder(total=amount - fixed, weights=[days[day].weight for day in movable])
    targets.update(zip(movable, shares, strict=True))
    difference = amount - current
    if keep_total and difference:
        _absorb(targets, days, period, label, difference, today)
    return targets


def _refusal_nothing_movable(
    inside: list, days: Mapping[dt.date, DayState], today: dt.date, label: str
) -> str:
    if all(day < today for day in inside):
        return _("%(period)s has passed: days that have passed never change.") % {"period": label}
    return _("%(period)s is locked: unlock it first.") % {"period": label}


def difference_spread(
    *,
    targets: dict[dt.date, Decimal],
    days: Mapping[dt.date, DayState],
    absorbers: Sequence[dt.date],
    difference: Decimal,
) -> list[dt.date]:
    """Take `difference` from the `absorbers`' targets in proportion to their weights (give it to them
    when it is negative), to the cent; returns the days it leaves below zero."""
    shares = largest_remainder(total=abs(difference), weights=[days[day].weight for day in absorbers])
    sign = 1 if difference > 0 else -1
    for day, share in zip(absorbers, shares, strict=True):
        targets[day] -= sign * share
    return [day for day in absorbers if targets[day] < 0]


def _absorb(
    targets: dict[dt.date, Decimal],
    days: Mapping[dt.date, DayState],
    period: DateRange,
    label: str,
    difference: Decimal,
    today: dt.date,
) -> None:
    """Take `difference` from the future unlocked days outside `period`, in proportion to their
    weights (give it to them when it is negative)."""
    absorbers = [
        day for day, state in days.items() if day not in period and day >= today and not state.locked
    ]
    if not absorbers:
        raise PlanRefused(
            _(
                "Nothing can absorb the difference of %(difference)s: every other day of the year has "
                "passed or is locked."
            )
            % {"difference": money_shown(difference)}
        )
    negative = difference_spread(targets=targets, days=days, absorbers=absorbers, difference=difference)
    if negative:
        room = sum((days[day].target for day in absorbers), ZERO)
        raise PlanRefused(
            _(
                "%(period)s at %(amount)s would leave %(day)s with a negative target: the future "
                "unlocked days outside it hold only %(room)s."
            )
            % {
                "period": label,
                "amount": money_shown(sum((targets[day] for day in days if day in period), ZERO)),
                "day": negative[0].isoformat(),
                "room": money_shown(room),
            }
        )
