"""The targets list's reads (kpi.views.target_list): each store of an organisation with its plan of
a financial year and its month's pacing, the sum of the stores' plans and the organisation's own
number beside it. Apart from kpi.selectors because it reads kpi.pacing, which reads kpi.selectors."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kpi import pacing
from kpi.allocation import PlanLevel, financial_year_of
from kpi.models import SalesTarget
from kpi.pacing import Pacing
from kpi.selectors import first_month_get, organisation_target_get
from stores import access
from stores.models import Organisation, Store


def target_organisations_get(*, user) -> list[Organisation]:
    """The organisations whose targets the user reads (those they see a store of), the ones they
    oversee (boss, ops lead) first, each group by name."""
    visible = access.stores_visible_to(user).values("organisation_id")
    organisations = list(Organisation.objects.filter(pk__in=visible).order_by("name"))
    overseen = set(access.organisations_overseen_by(user).values_list("pk", flat=True))
    return sorted(organisations, key=lambda organisation: organisation.pk not in overseen)


@dataclass(frozen=True)
class TargetRow:
    store: Store
    plan: SalesTarget | None  # None: no target set for the year
    month: Pacing | None = None  # the month's pacing, in the current financial year only


@dataclass(frozen=True)
class TargetBoard:
    """An organisation's year on the targets list: each store with its plan and its month's
    pacing, the sum of the stores' plans, and the organisation's own number beside it."""

    organisation: Organisation
    year: int
    rows: list[TargetRow]
    organisation_target: Decimal | None
    month_total: Pacing | None = None  # the stores' month together
    paced: bool = False  # whether `year` is the financial year yesterday is in

    @property
    def plans(self) -> list[SalesTarget]:
        return [row.plan for row in self.rows if row.plan is not None]

    @property
    def total(self) -> Decimal:
        return sum((plan.annual for plan in self.plans), Decimal("0.00"))

    @property
    def floor_total(self) -> Decimal | None:
        """Σ 保底 in ¥, when every plan has one."""
        return _total_if_all([plan.floor for plan in self.plans])

    @property
    def stretch_total(self) -> Decimal | None:
        return _total_if_all([plan.stretch for plan in self.plans])

    @property
    def difference(self) -> Decimal | None:
        """The sum of the stores' plans − the organisation's number (negative: short of it)."""
        return None if self.organisation_target is None else self.total - self.organisation_target


def _total_if_all(amounts: list[Decimal | None]) -> Decimal | None:
    if not amounts or None in amounts:
        return None
    return sum(amounts, Decimal("0.00"))


def target_board_get(
    *, organisation: Organisation, stores: Sequence[Store], year: int, yesterday: dt.date
) -> TargetBoard:
    """`stores` (of `organisation`, those the user sees) with their plans of financial year `year`;
    the month's pacing as of `yesterday` when that day is in `year`."""
    plans = {plan.store_id: plan for plan in SalesTarget.objects.filter(store__in=list(stores), year=year)}
    paced = financial_year_of(yesterday, first_month=first_month_get(organisation_id=organisation.pk)) == year
    months: dict = {}
    if paced and stores:
        months = pacing.pacing_get(stores=stores, day=yesterday, levels=(PlanLevel.MONTH,))[PlanLevel.MONTH]
    return TargetBoard(
        organisation=organisation,
        year=year,
        rows=[TargetRow(store, plans.get(store.pk), months.get(store.pk)) for store in stores],
        organisation_target=organisation_target_get(organisation=organisation, year=year),
        month_total=months.get(pacing.TOTAL),
        paced=paced,
    )
