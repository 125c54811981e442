"""kpi's figures on the pages and files of the lower apps, registered in KpiConfig.ready():
- on every dashboard card (reports.card_figures): the month's pacing and yesterday's target against
  its actual (目标对比); cards of stores with as many alerts sort furthest behind first;
- on every row of the period reports and their exports (reports.row_figures): the period's target,
  达成率 and the rest of the pacing in JSON;
- on the checklist's 目标对比 item (tasks.item_details): the store's target and actual for the day
  before the list's.
All from kpi.pacing, a fixed number of queries per page."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kpi import pacing
from kpi.allocation import PlanLevel
from kpi.pacing import Pacing
from reports.card_figures import CardFigures, card_figures_register
from reports.row_figures import RowColumn, RowFigures, row_figures_register
from stores.models import Store
from stores.periods import DateRange
from tasks.item_details import TARGET_COMPARISON, ItemDetail, item_detail_register, titled

CODE = "pacing"


@dataclass(frozen=True)
class CardPacing:
    """A card's month and its day (yesterday) against their targets."""

    month: Pacing | None
    day: Pacing | None


def card_pacing(stores: Sequence[Store], day: dt.date) -> dict[int | None, CardPacing]:
    found = pacing.pacing_get(
        stores=stores, day=day, levels=(PlanLevel.MONTH,), periods={"day": DateRange(day, day)}
    )
    months, days = found[PlanLevel.MONTH], found["day"]
    cards = {
        key: CardPacing(months.get(key), days.get(key))
        for key in (*(store.pk for store in stores), pacing.TOTAL)
        if months.get(key) or days.get(key)
    }
    # The total's card says so when none of the stores has a plan for these days.
    cards.setdefault(pacing.TOTAL, CardPacing(None, None))
    return cards


def card_attention(figures: CardPacing | None) -> Decimal:
    """Furthest behind the month's planned pace first; a store without a month plan as on pace."""
    if figures is None or figures.month is None or figures.month.progress_gap is None:
        return Decimal(0)
    return figures.month.progress_gap


def report_pacing(report) -> dict[int | None, Pacing | None]:
    """The report's own period against its target, as of the report's last complete day."""
    return pacing.period_pacing_get(
        stores=report.selection.stores, period=report.period, day=report.comparison.current.end
    )


REPORT_COLUMNS = (
    RowColumn("target", _("Target"), "目标", lambda figures: figures.target, "money"),
    RowColumn(
        "attainment", _("Attainment (达成率)"), "达成率", lambda figures: figures.completion, "percent"
    ),
)


def checklist_targets(checklists) -> dict[int, Pacing]:
    """Each list's store: its target and actual of the day before the list's day."""
    by_day: dict[dt.date, list] = {}
    for checklist in checklists:
        by_day.setdefault(checklist.day - dt.timedelta(days=1), []).append(checklist)
    stores = Store.objects.filter(pk__in={checklist.store_id for checklist in checklists}).only(
        "pk", "organisation_id"
    )
    stores_by_pk = {store.pk: store for store in stores}
    found: dict[int, Pacing] = {}
    for day, lists in by_day.items():
        stores = [stores_by_pk[store_id] for store_id in {checklist.store_id for checklist in lists}]
        by_store = pacing.period_pacing_get(stores=stores, period=DateRange(day, day), day=day)
        for checklist in lists:
            if by_store.get(checklist.store_id):
                found[checklist.pk] = by_store[checklist.store_id]
    return found


def figures_register() -> None:
    card_figures_register(CardFigures(CODE, card_pacing, "kpi/card_pacing.html", attention=card_attention))
    row_figures_register(RowFigures(CODE, report_pacing, REPORT_COLUMNS, as_json=Pacing.as_json))
    item_detail_register(
        ItemDetail(CODE, titled(TARGET_COMPARISON), checklist_targets, "kpi/checklist_target.html")
    )
