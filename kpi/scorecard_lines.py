"""A score's figures as the KPI pages and files show them: each item's line (actual, target,
attainment, capped, weight, points, with their display), a team table's cell and row."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kpi.models import KpiScore
from kpi.models.scorecards import ROLE_CHOICES, Direction
from kpi.scoring import Grade, decimal_or_none, grade_of
from kpi.services.kpi_templates import CHECKLIST_COMPLETION, DAILY_REPORT_RATE, MANUAL, TARGET_ATTAINMENT
from stores import metrics
from stores.models import Store

ROLE_LABELS = dict(ROLE_CHOICES)
ROLE_ORDER = {role: position for position, (role, _label) in enumerate(ROLE_CHOICES)}
SOURCE_LABELS = {
    TARGET_ATTAINMENT: _("Sales target attainment"),
    CHECKLIST_COMPLETION: _("Checklist completion"),
    DAILY_REPORT_RATE: _("日报 submission rate"),
    MANUAL: _("Scored by the ops lead"),
}


# Figures as the pages show them ------------------------------------------------------------------


def value_kind(source: str) -> str:
    """How an item's actual and target read: a metric's kind (stores.metrics), money for the sales
    target's GMV, a percentage for the checklist's rates, nothing for a manual item."""
    if source in metrics.BY_CODE:
        return str(metrics.BY_CODE[source].kind)
    if source == TARGET_ATTAINMENT:
        return str(metrics.Kind.MONEY)
    if source in (CHECKLIST_COMPLETION, DAILY_REPORT_RATE):
        return str(metrics.Kind.PERCENT)
    return ""


def value_display(source: str, value: Decimal | None) -> str:
    if value is None:
        return metrics.DASH
    kind = value_kind(source)
    code = {"money": "gmv", "percent": "conversion", "count": "uv", "score": "dsr_item"}.get(kind)
    return metrics.display(code, value) if code else f"{metrics.round_2dp(Decimal(value))}"


def percent_display(fraction: Decimal | None) -> str:
    return metrics.display("conversion", fraction)


def source_label(source: str) -> str:
    if source in metrics.BY_CODE:
        return str(metrics.BY_CODE[source].label)
    return str(SOURCE_LABELS.get(source, source))


def grade_class(grade: Grade | None) -> str:
    """The CSS class of a grade band: grade-0 for the first band of settings.KPI_GRADES, and so on
    (the colours are settings, served as a style sheet by the scorecard views)."""
    if grade is None:
        return "grade-none"
    for position, band in enumerate(settings.KPI_GRADES):
        if band["grade"] == grade.grade:
            return f"grade-{position}"
    return "grade-none"


def _said(row: dict) -> str:
    """What the score says of an item's numbers, in the reader's language."""
    if row.get("no_plan"):
        return str(_("no plan for every store"))
    if row.get("so_far"):
        days, of_days = row["so_far"]
        return str(_("target for the %(days)s of %(all)s days so far") % {"days": days, "all": of_days})
    return ""


@dataclass(frozen=True)
class ItemLine:
    """One item of a score, its figures as Decimals (fractions for attainment, % for weights)."""

    code: str
    label: str
    source: str
    direction: str
    actual: Decimal | None
    target: Decimal | None
    attainment: Decimal | None
    capped: Decimal | None
    weight: Decimal | None
    effective_weight: Decimal | None
    points: Decimal | None
    personal: bool
    note: str
    cap: Decimal | None = None  # from the score's definition
    floor: Decimal | None = None
    band_low: Decimal | None = None
    band_high: Decimal | None = None

    @classmethod
    def of(cls, row: dict, defined: dict | None = None) -> "ItemLine":
        defined = defined or {}
        return cls(
            code=row.get("code", ""),
            label=row.get("label", ""),
            source=row.get("source", ""),
            direction=row.get("direction", ""),
            actual=decimal_or_none(row.get("actual")),
            target=decimal_or_none(row.get("target")),
            attainment=decimal_or_none(row.get("attainment")),
            capped=decimal_or_none(row.get("capped")),
            weight=decimal_or_none(row.get("weight")),
            effective_weight=decimal_or_none(row.get("effective_weight")),
            points=decimal_or_none(row.get("points")),
            personal=bool(row.get("personal")),
            note=row.get("note") or _said(row),
            cap=decimal_or_none(defined.get("cap")),
            floor=decimal_or_none(defined.get("floor")),
            band_low=decimal_or_none(defined.get("band_low")),
            band_high=decimal_or_none(defined.get("band_high")),
        )

    @property
    def is_manual(self) -> bool:
        return self.source == MANUAL

    @property
    def shared_out(self) -> bool:
        """No attainment: the item's weight went to the others."""
        return self.capped is None and bool(self.weight)

    @property
    def weight_moved(self) -> bool:
        return self.effective_weight is not None and self.effective_weight != self.weight

    @property
    def is_capped(self) -> bool:
        return None not in (self.attainment, self.capped) and self.capped != self.attainment

    @property
    def actual_display(self) -> str:
        return value_display(self.source, self.actual)

    @property
    def target_display(self) -> str:
        """The target, or for a band its two ends (4.80–5.00)."""
        if self.direction == Direction.BAND and None not in (self.band_low, self.band_high):
            low, high = value_display(self.source, self.band_low), value_display(self.source, self.band_high)
            return f"{low}–{high}"
        return value_display(self.source, self.target)

    @property
    def cap_display(self) -> str:
        return percent_display(self.cap)

    @property
    def floor_display(self) -> str:
        return percent_display(self.floor)

    @property
    def attainment_display(self) -> str:
        return percent_display(self.attainment)

    @property
    def capped_display(self) -> str:
        return percent_display(self.capped)

    @property
    def source_label(self) -> str:
        return source_label(self.source)

    @property
    def direction_label(self) -> str:
        return str(Direction(self.direction).label) if self.direction in Direction.values else ""

    @property
    def from_report(self) -> bool:
        """Its actual is a figure of the daily, weekly or monthly report."""
        return self.source in metrics.BY_CODE or self.source == TARGET_ATTAINMENT

    @property
    def from_checklists(self) -> bool:
        return self.source in (CHECKLIST_COMPLETION, DAILY_REPORT_RATE)


@dataclass(frozen=True)
class Cell:
    code: str
    item: ItemLine | None  # None: the person's score has no such item

    @property
    def display(self) -> str:
        return metrics.DASH if self.item is None else self.item.attainment_display


@dataclass(frozen=True)
class ScoreRow:
    """One person's score in one role for the period."""

    score: KpiScore
    stores: tuple[Store, ...]
    items: tuple[ItemLine, ...]
    cells: tuple[Cell, ...] = ()

    @property
    def user(self):
        return self.score.user

    @property
    def role(self) -> str:
        return self.score.role

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))

    @property
    def total(self) -> Decimal | None:
        return self.score.total

    @property
    def grade(self) -> Grade | None:
        return grade_of(self.total)

    @property
    def grade_class(self) -> str:
        return grade_class(self.grade)

    @property
    def provisional(self) -> bool:
        return self.score.provisional

    @property
    def closed(self) -> bool:
        return self.score.closed

    @property
    def changed_after_closing(self) -> bool:
        """The numbers now give something else than the closed score (kept in latest_*)."""
        return self.score.closed and self.score.latest_items is not None

    @property
    def latest_total(self) -> Decimal | None:
        return self.score.latest_total

    @property
    def latest_items(self) -> tuple[ItemLine, ...]:
        return tuple(ItemLine.of(row) for row in self.score.latest_items or ())

    def item(self, code: str) -> ItemLine | None:
        return next((item for item in self.items if item.code == code), None)
