"""A store's own alert thresholds (docs/metrics.md#alert-thresholds), as the ops lead sets them on
the store's thresholds page (reports.threshold_views).

Each entry of settings.ALERT_THRESHOLDS is one rule's threshold. Per store it is either the default
(no AlertThreshold row), the store's own value (a row), or off (a row whose value is NULL). Ratios
are stored as fractions (0.20) and typed and shown as a person reads them (20 %): ThresholdSpec
says, for each name, what it means, its unit, how it is typed and what is refused.

Reads (`store_thresholds_get`) and the one write (`alert_thresholds_save`) live here together.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsdesk import queue
from reports import jobs
from reports.models import AlertThreshold
from reports.selectors import alert_threshold_default
from stores import access, metrics, periods
from stores.models import Store

STORED_PLACES = Decimal("0.0001")  # AlertThreshold.value: 4 decimal places
STORED_MAX = Decimal("9999999999")  # AlertThreshold.value: 14 digits, 4 of them decimals

DEFAULT, OWN, OFF = "default", "own", "off"
MODES = (DEFAULT, OWN, OFF)


def number_plain(number: Decimal) -> str:
    """A number without trailing zeros or an exponent: 20, 4.85, 0.5."""
    return format(number.normalize(), "f")


@dataclass(frozen=True)
class ThresholdSpec:
    """One threshold as a person sees it. `factor`: typed = stored × factor (a ratio stored 0.20 is
    typed 20, in %); `maximum` and `places` are of the typed number."""

    name: str
    label: Promise | str
    meaning: Promise | str
    unit: Promise | str  # of the typed number, shown beside the field
    factor: Decimal = Decimal(1)
    maximum: Decimal = STORED_MAX
    places: int = 2
    shown_as: str | None = None  # a metric code whose display (stores.metrics.display) the value takes

    def typed(self, stored: Decimal | None) -> Decimal | None:
        return None if stored is None else Decimal(stored) * self.factor

    def stored(self, typed: Decimal) -> Decimal:
        return (typed / self.factor).quantize(STORED_PLACES, rounding=ROUND_HALF_UP)

    def shown(self, stored: Decimal | None) -> str:
        """A stored value as the page says it: "15 %", "4.8", "¥1,000.00"; "off" for None."""
        if stored is None:
            return _("off")
        if self.shown_as:
            return metrics.display(self.shown_as, stored)
        return f"{number_plain(self.typed(stored))} {self.unit}".strip()

    def refusal(self, typed: Decimal) -> str | None:
        """Why a typed value cannot be this threshold (None when it can); the message names it."""
        field = str(self.label)
        if not typed.is_finite():
            return _("%(field)s: enter a number.") % {"field": field}
        if typed < 0:
            return _("%(field)s: must not be negative.") % {"field": field}
        if typed > self.maximum:
            return _("%(field)s: at most %(maximum)s %(unit)s.") % {
                "field": field,
                "maximum": number_plain(self.maximum),
                "unit": self.unit,
            }
        if -typed.normalize().as_tuple().exponent > self.places:
            return _("%(field)s: at most %(places)s decimal places.") % {
                "field": field,
                "places": self.places,
            }
        return None


PERCENT = "%"  # the same in every language: no msgid of its own
SPECS = {
    spec.name: spec
    for spec in (
        ThresholdSpec(
            "dsr_floor",
            gettext_lazy("DSR floor"),
            gettext_lazy(
                "An alert when any of the three DSR scores (item, service, logistics; out of 5) is below it."
            ),
            gettext_lazy("points"),
            maximum=Decimal(5),
            places=4,
        ),
        ThresholdSpec(
            "conversion_drop",
            gettext_lazy("Conversion drop"),
            gettext_lazy(
                "An alert when the day's conversion is more than this much below its usual level "
                "(the same weekday of the 4 weeks before): 20 % means below 80 % of it."
            ),
            PERCENT,
            factor=Decimal(100),
            maximum=Decimal(100),
            shown_as="conversion",
        ),
        ThresholdSpec(
            "refund_rate_limit",
            gettext_lazy("Refund rate limit"),
            gettext_lazy("An alert when the day's refund rate (refunds ÷ GMV) is above it."),
            PERCENT,
            factor=Decimal(100),
            maximum=Decimal(100),
            shown_as="refund_rate",
        ),
        ThresholdSpec(
            "roi_floor",
            gettext_lazy("ROI floor"),
            gettext_lazy(
                "An alert when the day's ROI (ad GMV ÷ ad spend) is below it (no ad spend, no ROI)."
            ),
            gettext_lazy("× ad spend"),
            maximum=Decimal(1000),
            shown_as="roi",
        ),
        ThresholdSpec(
            "ad_spend_cap",
            gettext_lazy("Daily ad-spend cap"),
            gettext_lazy("An alert when the day's ad spend is above it: the store's own daily budget."),
            gettext_lazy("¥ per day"),
            shown_as="ad_spend",
        ),
        ThresholdSpec(
            "pacing_gap",
            gettext_lazy("Pacing gap"),
            gettext_lazy(
                "An alert when the month's completion trails its planned time progress by more than "
                "this many percentage points (once the store has a sales target)."
            ),
            gettext_lazy("percentage points"),
            factor=Decimal(100),
            maximum=Decimal(100),
        ),
    )
}


def spec_for(name: str) -> ThresholdSpec:
    """The spec of a threshold name; a name added to ALERT_THRESHOLDS without one is a plain number."""
    return SPECS.get(name) or ThresholdSpec(name, name, "", "")


def threshold_names() -> list[str]:
    """The thresholds a store may set: those of settings.ALERT_THRESHOLDS, in their order."""
    return list(settings.ALERT_THRESHOLDS)


@dataclass(frozen=True)
class ThresholdSetting:
    """What a store uses for one threshold: DEFAULT, OWN (with its value, stored units) or OFF."""

    mode: str
    value: Decimal | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        if (self.mode == OWN) != (self.value is not None):
            raise ValueError("an own value, and only an own value, has a value")


@dataclass(frozen=True)
class ThresholdRow:
    spec: ThresholdSpec
    default: Decimal | None
    setting: ThresholdSetting

    @property
    def in_effect(self) -> Decimal | None:
        return {DEFAULT: self.default, OWN: self.setting.value, OFF: None}[self.setting.mode]


def store_thresholds_get(*, store: Store) -> list[ThresholdRow]:
    """Each threshold of the store: its default and what the store uses, in settings' order."""
    rows = dict(AlertThreshold.objects.filter(store=store).values_list("name", "value"))
    return [
        ThresholdRow(
            spec=spec_for(name),
            default=alert_threshold_default(name),
            setting=ThresholdSetting(DEFAULT)
            if name not in rows
            else ThresholdSetting(OWN, rows[name])
            if rows[name] is not None
            else ThresholdSetting(OFF),
        )
        for name in threshold_names()
    ]


def alert_thresholds_save(*, store: Store, thresholds: Mapping[str, ThresholdSetting], user) -> list[str]:
    """Save the store's thresholds: no row for the default, the own value, NULL for off; names left
    out of `thresholds` stay as they are. Returns the names whose setting changed.

    PermissionDenied unless the user may manage the store's organisation (checked now, at the
    write); ValidationError by name for an unknown name or a value out of its range. Yesterday's
    alerts of the store are evaluated again with the new thresholds once this commits."""
    if not access.can_manage_stores(user, store.organisation_id):
        raise PermissionDenied("Only the organisation's ops lead sets a store's alert thresholds.")
    errors = {}
    for name, setting in thresholds.items():
        if name not in settings.ALERT_THRESHOLDS:
            errors[name] = _("“%(name)s” is not an alert threshold.") % {"name": name}
        elif setting.mode == OWN:
            spec = spec_for(name)
            refusal = spec.refusal(spec.typed(setting.value))
            if refusal:
                errors[name] = refusal
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = {row.spec.name: row.setting for row in store_thresholds_get(store=store)}
        changed = [name for name, setting in thresholds.items() if _normal(setting) != before[name]]
        for name in changed:
            setting = thresholds[name]
            if setting.mode == DEFAULT:
                AlertThreshold.objects.filter(store=store, name=name).delete()
            else:
                AlertThreshold.objects.update_or_create(
                    store=store, name=name, defaults={"value": _normal(setting).value}
                )
        if changed and store.active:
            _alerts_again(store, periods.yesterday())
    return changed


def _normal(setting: ThresholdSetting) -> ThresholdSetting:
    """As it reads back from the database (4 decimal places), to compare with what is stored."""
    if setting.mode != OWN:
        return setting
    return ThresholdSetting(OWN, setting.value.quantize(STORED_PLACES, rounding=ROUND_HALF_UP))


def _alerts_again(store: Store, day: dt.date) -> None:
    queue.enqueue(
        jobs.alerts_evaluate_for, store.organisation_id, day.isoformat(), store.pk, attempts=jobs.ATTEMPTS
    )
