"""Alert rules (docs/metrics.md#alerts): each a small function of one store's day, with a
threshold from settings (ALERT_THRESHOLDS) that a store may override (AlertThreshold).

A rule returns a Finding when the store needs attention, None otherwise (or when it cannot
tell: a missing number never raises an alert of its own, except the missing-data rule).

The rules are a registry: a rule that looks at another app's data (the month's pacing, kpi)
is registered by that app in its AppConfig.ready(), with `inputs`, which reads what the rule
needs for many stores at once; its check finds it in `StoreDay.extra[rule code]`.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stores import metrics

SCORE_CODES = ("dsr_item", "dsr_service", "dsr_logistics")


@dataclass(frozen=True)
class StoreDay:
    """What the rules look at for one store and one day."""

    values: dict | None  # the day's recorded and derived values; None when nothing was recorded
    same_weekday: dict | None  # the 4 same weekdays before, summed, with their derived values
    thresholds: dict[str, Decimal | None]
    nightly_failed: bool
    data_due: bool  # past the hour by which the day's numbers should be in
    extra: dict[str, object] = field(default_factory=dict)  # each registered rule's own inputs


@dataclass(frozen=True)
class Finding:
    value: Decimal | None = None
    threshold: Decimal | None = None
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    check: Callable[[StoreDay], Finding | None]
    shown_as: str | None = None  # the metric whose format the alert's value and threshold take
    # For a rule of another app: (store ids, day) → each store's input, read in a fixed number of
    # queries; the check finds it in StoreDay.extra[code].
    inputs: Callable[[Sequence[int], dt.date], dict[int, object]] | None = None


def _value(store_day: StoreDay, code: str) -> Decimal | None:
    if store_day.values is None or store_day.values.get(code) is None:
        return None
    return Decimal(store_day.values[code])


def dsr_low(store_day: StoreDay) -> Finding | None:
    floor = store_day.thresholds.get("dsr_floor")
    scores = {code: _value(store_day, code) for code in SCORE_CODES}
    low = {
        code: str(score)
        for code, score in scores.items()
        if floor is not None and score is not None and score < floor
    }
    if not low:
        return None
    return Finding(value=min(Decimal(score) for score in low.values()), threshold=floor, detail={"low": low})


def conversion_drop(store_day: StoreDay) -> Finding | None:
    drop = store_day.thresholds.get("conversion_drop")
    today = _value(store_day, "conversion")
    usual = (store_day.same_weekday or {}).get("conversion")
    if drop is None or today is None or usual is None:
        return None
    floor = usual * (1 - drop)
    if today >= floor:
        return None
    return Finding(value=today, threshold=floor, detail={"usual": str(usual)})


def refund_rate_high(store_day: StoreDay) -> Finding | None:
    limit = store_day.thresholds.get("refund_rate_limit")
    rate = _value(store_day, "refund_rate")
    if limit is None or rate is None or rate <= limit:
        return None
    return Finding(value=rate, threshold=limit)


def roi_low(store_day: StoreDay) -> Finding | None:
    floor = store_day.thresholds.get("roi_floor")
    roi = _value(store_day, "roi")  # None without ad spend: no spend, no ROI to worry about
    if floor is None or roi is None or roi >= floor:
        return None
    return Finding(value=roi, threshold=floor)


def ad_spend_over_cap(store_day: StoreDay) -> Finding | None:
    cap = store_day.thresholds.get("ad_spend_cap")
    spend = _value(store_day, "ad_spend")
    if cap is None or spend is None or spend <= cap:
        return None
    return Finding(value=spend, threshold=cap)


def data_missing(store_day: StoreDay) -> Finding | None:
    if store_day.values is not None or not store_day.data_due:
        return None
    return Finding()


def nightly_failed(store_day: StoreDay) -> Finding | None:
    return Finding() if store_day.nightly_failed else None


_rules: dict[str, Rule] = {}


def rule_register(rule: Rule) -> None:
    """Add (or, with the same code, replace) a rule; rules are checked in registration order."""
    _rules[rule.code] = rule


def rules() -> list[Rule]:
    return list(_rules.values())


for _rule in (
    Rule("data_missing", gettext_lazy("Numbers missing"), data_missing),
    Rule("nightly_failed", gettext_lazy("Nightly rollup failed"), nightly_failed),
    Rule("dsr_low", gettext_lazy("DSR below its floor"), dsr_low),
    Rule(
        "conversion_drop",
        gettext_lazy("Conversion well below its usual level"),
        conversion_drop,
        shown_as="conversion",
    ),
    Rule(
        "refund_rate_high",
        gettext_lazy("Refund rate above its limit"),
        refund_rate_high,
        shown_as="refund_rate",
    ),
    Rule("roi_low", gettext_lazy("ROI below its floor"), roi_low, shown_as="roi"),
    Rule(
        "ad_spend_over_cap",
        gettext_lazy("Ad spend above the daily cap"),
        ad_spend_over_cap,
        shown_as="ad_spend",
    ),
):
    rule_register(_rule)


def findings(store_day: StoreDay) -> dict[str, Finding]:
    """Every rule that fires for this store and day."""
    found = {rule.code: rule.check(store_day) for rule in rules()}
    return {code: finding for code, finding in found.items() if finding is not None}


def shown(rule: str, value: Decimal | None, threshold: Decimal | None, detail: dict) -> str:
    """An alert as one line: "Refund rate above its limit: 18.20% (limit 15.00%)"."""
    known = _rules.get(rule)
    label = str(known.label) if known else rule
    if rule == "dsr_low":
        scores = ", ".join(
            f"{metrics.BY_CODE[code].label} {score}" for code, score in detail.get("low", {}).items()
        )
        return _("%(rule)s: %(scores)s (floor %(floor)s)") % {
            "rule": label,
            "scores": scores,
            "floor": metrics.display("dsr_item", threshold),
        }
    code = known.shown_as if known else None
    if code is None or value is None:
        return label
    if rule == "conversion_drop":
        return _("%(rule)s: %(value)s (usually %(usual)s)") % {
            "rule": label,
            "value": metrics.display(code, value),
            "usual": metrics.display(code, Decimal(detail["usual"])),
        }
    return _("%(rule)s: %(value)s (limit %(limit)s)") % {
        "rule": label,
        "value": metrics.display(code, value),
        "limit": metrics.display(code, threshold),
    }
