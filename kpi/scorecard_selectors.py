"""Reads of the KPI scorecard pages (issue 14): the team table of a week or month, a person's card
with its trend, the ops lead's sheet of manual items. Who may see whose scores is
kpi.scorecard_access; how a score's figures read, kpi.scorecard_lines.

Everything is read from the stored scores (kpi.models.KpiScore, computed by kpi.services.scores), in
a fixed number of queries whatever the number of people: the team table is the period's scores
(one query), the organisation's stores (one) and, for a month, whether it is closed (one).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from kpi.models import KpiScore, ManualScore, MonthClose
from kpi.scorecard_inputs import holders_get
from kpi.scorecard_lines import (
    ROLE_LABELS,
    ROLE_ORDER,
    Cell,
    ItemLine,
    ScoreRow,
)
from kpi.scoring import decimal_or_none
from kpi.services.kpi_templates import MANUAL
from kpi.services.scores import definitions_get
from stores import periods
from stores.models import Organisation, Store
from stores.periods import Period

KINDS = ("week", "month")
TREND_WEEKS, TREND_MONTHS = 12, 6
SORTS = ("person", "total")  # or an item's code: its attainment, highest first


@dataclass(frozen=True)
class Column:
    code: str
    label: str


@dataclass(frozen=True)
class RoleGroup:
    role: str
    columns: tuple[Column, ...]
    rows: tuple[ScoreRow, ...]

    @property
    def label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))

    @property
    def average(self) -> Decimal | None:
        """The mean of the people's totals (those that have one)."""
        totals = [row.total for row in self.rows if row.total is not None]
        return (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01")) if totals else None


@dataclass(frozen=True)
class MonthState:
    closed: bool = False
    events: tuple[dict, ...] = ()


@dataclass(frozen=True)
class TeamTable:
    organisation: Organisation
    kind: str
    period: Period
    groups: tuple[RoleGroup, ...]
    stores: tuple[Store, ...]  # the organisation's stores, by name (the store filter's choices)
    month: MonthState = field(default_factory=MonthState)
    sort: str = "person"

    @property
    def rows(self) -> list[ScoreRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def changed_after_closing(self) -> list[ScoreRow]:
        return [row for row in self.rows if row.changed_after_closing]


def _stores_by_slug(organisation: Organisation) -> dict[str, Store]:
    return {store.slug: store for store in Store.objects.filter(organisation=organisation).order_by("name")}


def month_state_get(*, organisation: Organisation, kind: str, period: Period) -> MonthState:
    """Whether the month is closed, and its closes and reopens (nothing for a week)."""
    if kind != "month":
        return MonthState()
    close = MonthClose.objects.filter(organisation=organisation, month_start=period.start).first()
    if close is None:
        return MonthState()
    events = tuple({**event, "at": _moment(event.get("at"))} for event in close.events)
    return MonthState(close.closed, events)


def _moment(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _row(score: KpiScore, stores: dict[str, Store]) -> ScoreRow:
    defined = {item.get("code"): item for item in score.definition or ()}
    return ScoreRow(
        score=score,
        stores=tuple(stores[slug] for slug in score.stores if slug in stores),
        items=tuple(ItemLine.of(row, defined.get(row.get("code"))) for row in score.items),
    )


def _sort_key(sort: str):
    if sort == "total":
        return lambda row: (row.total is None, -(row.total or 0), row.user.username)
    if sort == "person":
        return lambda row: row.user.username

    def by_item(row: ScoreRow):
        item = row.item(sort)
        attained = None if item is None else item.attainment
        return (attained is None, -(attained or 0), row.user.username)

    return by_item


def team_scores_get(
    *,
    organisation: Organisation,
    kind: str,
    period: Period,
    store: str | None = None,
    role: str | None = None,
    people: QuerySet | None = None,
    sort: str = "person",
) -> TeamTable:
    """Everyone's score of the period (people × items), grouped by role: each role's columns are the
    union of its people's item codes, in their templates' order. `store` (a slug) keeps the people
    holding their role in that store, `role` one role, `people` (scores_visible_to) those the viewer
    may see. `sort`: "person", "total" (highest first) or an item's code (its attainment). Three
    queries at most, whatever the number of people."""
    scores = KpiScore.objects.filter(
        organisation=organisation, kind=kind, period_start=period.start
    ).select_related("user")
    if role:
        scores = scores.filter(role=role)
    if people is not None:
        scores = scores.filter(user__in=people)
    stores = _stores_by_slug(organisation)
    by_role: dict[str, list[ScoreRow]] = {}
    for score in scores.order_by("user__username", "role"):
        if store and store not in score.stores:
            continue
        by_role.setdefault(score.role, []).append(_row(score, stores))
    groups = []
    for held, rows in sorted(by_role.items(), key=lambda pair: ROLE_ORDER.get(pair[0], len(ROLE_ORDER))):
        columns: dict[str, str] = {}
        for row in rows:
            for item in row.items:
                columns.setdefault(item.code, item.label)
        placed = tuple(
            ScoreRow(
                score=row.score,
                stores=row.stores,
                items=row.items,
                cells=tuple(Cell(code, row.item(code)) for code in columns),
            )
            for row in sorted(rows, key=_sort_key(sort))
        )
        groups.append(
            RoleGroup(
                role=held,
                columns=tuple(Column(code, label) for code, label in columns.items()),
                rows=placed,
            )
        )
    return TeamTable(
        organisation=organisation,
        kind=kind,
        period=period,
        groups=tuple(groups),
        stores=tuple(stores.values()),
        month=month_state_get(organisation=organisation, kind=kind, period=period),
        sort=sort,
    )


# A person's page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    label: str
    total: Decimal | None


@dataclass(frozen=True)
class Trend:
    role: str
    weeks: tuple[TrendPoint, ...]
    months: tuple[TrendPoint, ...]

    @property
    def label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))


@dataclass(frozen=True)
class PersonScores:
    organisation: Organisation
    person: object
    kind: str
    period: Period
    cards: tuple[ScoreRow, ...]  # this period's score per role
    trends: tuple[Trend, ...]  # the last 12 weeks' and 6 months' totals per role
    month: MonthState = field(default_factory=MonthState)


def trend_periods(period: Period) -> tuple[list[Period], list[Period]]:
    """The 12 ISO weeks and 6 months ending with those containing the period's last day (or today,
    for a period still running)."""
    last = min(period.end, periods.today())
    weeks = periods.periods_before(periods.period_containing(periods.PeriodKind.WEEK, last), TREND_WEEKS)
    months = periods.periods_before(periods.period_containing(periods.PeriodKind.MONTH, last), TREND_MONTHS)
    return weeks, months


def person_scores_get(
    *, organisation: Organisation, user, role: str | None = None, kind: str, period: Period
) -> PersonScores:
    """`user`'s score of the period in each role they were scored in (or `role` alone), and the
    totals of the last 12 weeks and 6 months for the trend. Four queries."""
    scores = KpiScore.objects.filter(organisation=organisation, user=user).select_related("user")
    if role:
        scores = scores.filter(role=role)
    weeks, months = trend_periods(period)
    stores = _stores_by_slug(organisation)
    cards = [_row(score, stores) for score in scores.filter(kind=kind, period_start=period.start)]
    cards.sort(key=lambda row: ROLE_ORDER.get(row.role, len(ROLE_ORDER)))
    totals: dict[tuple[str, str, dt.date], Decimal | None] = {
        (held, scored_kind, start): total
        for held, scored_kind, start, total in scores.filter(
            Q(kind="week", period_start__in=[week.start for week in weeks])
            | Q(kind="month", period_start__in=[month.start for month in months])
        ).values_list("role", "kind", "period_start", "total")
    }
    roles = sorted(
        {key[0] for key in totals} | {card.role for card in cards},
        key=lambda held: ROLE_ORDER.get(held, len(ROLE_ORDER)),
    )
    trends = tuple(
        Trend(
            role=held,
            weeks=tuple(TrendPoint(week.label, totals.get((held, "week", week.start))) for week in weeks),
            months=tuple(
                TrendPoint(month.label, totals.get((held, "month", month.start))) for month in months
            ),
        )
        for held in roles
    )
    return PersonScores(
        organisation=organisation,
        person=user,
        kind=kind,
        period=period,
        cards=tuple(cards),
        trends=trends,
        month=month_state_get(organisation=organisation, kind=kind, period=period),
    )


# The ops lead's sheet of manual items ---------------------------------------------------------


@dataclass(frozen=True)
class ManualEntryRow:
    """One person's manual item in one role for the period, with what was entered so far."""

    user: object
    role: str
    code: str
    label: str
    weight: Decimal | None
    attainment: Decimal | None  # a fraction
    comment: str

    @property
    def key(self) -> str:
        return f"{self.user.pk}-{self.role}-{self.code}"

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))


def _manual_items(definition: Iterable[dict]) -> list[dict]:
    return [item for item in definition if item.get("source") == MANUAL]


def manual_sheet_get(*, organisation: Organisation, kind: str, period: Period) -> list[ManualEntryRow]:
    """Every manual item of the period for the whole team: each person and role scored (with the
    definition of their score) or holding the role now (with the role's template as it is), and what
    the ops lead entered. A fixed number of queries."""
    scores = KpiScore.objects.filter(organisation=organisation, kind=kind, period_start=period.start)
    definitions = {(score.user_id, score.role): score.definition for score in scores}
    holders = [
        holder
        for holder in holders_get(organisation=organisation)
        if (holder.user_id, holder.role) not in definitions
    ]
    if holders:
        templates = definitions_get(organisation=organisation)
        for holder in holders:
            definitions[(holder.user_id, holder.role)] = templates.of(
                user_id=holder.user_id, role=holder.role, kind=kind
            )
    wanted = {key: _manual_items(definition) for key, definition in definitions.items()}
    wanted = {key: items for key, items in wanted.items() if items}
    users = get_user_model().objects.in_bulk({user_id for user_id, _role in wanted})
    entered = {
        (score.user_id, score.role, score.item_code): score
        for score in ManualScore.objects.filter(
            organisation=organisation, kind=kind, period_start=period.start
        )
    }
    rows = []
    for (user_id, held), items in wanted.items():
        for item in items:
            found = entered.get((user_id, held, item["code"]))
            rows.append(
                ManualEntryRow(
                    user=users[user_id],
                    role=held,
                    code=item["code"],
                    label=item.get("label", item["code"]),
                    weight=decimal_or_none(item.get("weight")),
                    attainment=None if found is None else found.attainment,
                    comment="" if found is None else found.comment,
                )
            )
    rows.sort(key=lambda row: (ROLE_ORDER.get(row.role, len(ROLE_ORDER)), row.user.username, row.code))
    return rows
