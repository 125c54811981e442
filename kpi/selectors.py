"""Sales targets and pacing (docs/metrics.md#pacing), read by the dashboard and the alerts.

Targets arrive with the targets issue. Until then no store has a target, and every caller
shows pacing as "not set up yet" instead of failing.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Pacing:
    """A month's target against the actual so far (docs/metrics.md#pacing)."""

    target: Decimal
    actual: Decimal
    days_elapsed: int
    days_in_period: int

    @property
    def completion(self) -> Decimal:  # 完成进度
        return self.actual / self.target

    @property
    def time_progress(self) -> Decimal:  # 时间进度
        return Decimal(self.days_elapsed) / Decimal(self.days_in_period)

    @property
    def gap(self) -> Decimal:
        """Completion minus time progress: negative when behind pace."""
        return self.completion - self.time_progress

    @property
    def required_daily(self) -> Decimal | None:
        days_left = self.days_in_period - self.days_elapsed
        return (self.target - self.actual) / days_left if days_left else None


def month_pacing_get(*, store_ids: Iterable[int], day: dt.date) -> dict[int, Pacing | None]:
    """Each store's pacing for the month of `day`, None where no target is set (all of them,
    until targets exist)."""
    return dict.fromkeys(store_ids)


def organisation_pacing_get(*, organisation_id: int, day: dt.date) -> Pacing | None:
    """All stores of an organisation against its month's target; None while none is set."""
    return None
