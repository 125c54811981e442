"""What a scorecard's actuals are made of (docs/kpis.md#scores), read for every person of an
organisation at once, in a fixed number of queries:
- who holds which role in which active stores (staff by StoreAssignment; the ops lead every store
  of the organisation);
- each store's rollup columns over the period (so a person in several stores is scored on the
  stores' sums, ratios recomputed from them: reports.selectors);
- each store's pacing against its plan (kpi.pacing);
- each person's checklist items done and given, and 日报 submitted against the days with a list;
- the manual scores the ops lead entered.
"""

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from kpi import pacing
from kpi.models import ManualScore
from kpi.models.scorecards import LEAD_ROLE
from kpi.pacing import Pacing
from reports.selectors import rollup_values, store_window_values, stores_combined
from stores.models import Organisation, OrgMembership, OrgRole, Store, StoreAssignment
from stores.periods import DateRange, Period
from tasks.models import ChecklistItem, DailyChecklist, DailyReport


@dataclass(frozen=True)
class Holder:
    """One person in one role, and the stores they hold it in (sorted by pk)."""

    user_id: int
    username: str
    role: str
    stores: tuple[Store, ...]


@dataclass
class Inputs:
    period: Period
    as_of: dt.date  # the last day the numbers cover (the period's end, or yesterday)
    store_values: dict[int, dict] = field(default_factory=dict)  # store pk → raw rollup columns
    store_pacing: dict[int, Pacing | None] = field(default_factory=dict)
    checklist: dict[tuple[int, str], tuple[int, int]] = field(
        default_factory=dict
    )  # (user, role) → done, given
    reports: dict[int, tuple[int, int]] = field(default_factory=dict)  # user → submitted, days with a list
    manual: dict[tuple[int, str, str], ManualScore] = field(default_factory=dict)  # (user, role, item)

    @property
    def days_elapsed(self) -> int:
        """The period's days the numbers cover (all of them once it is over)."""
        return max(0, min((self.as_of - self.period.start).days + 1, self.period.days))

    def values_of(self, holder: Holder) -> dict:
        """The holder's stores' columns summed, with every derived metric recomputed from the sums."""
        return rollup_values(stores_combined(self.store_values.get(store.pk, {}) for store in holder.stores))

    def pacing_of(self, holder: Holder) -> Pacing | None:
        """The holder's stores against their plans together; None unless every store has one."""
        found = [self.store_pacing.get(store.pk) for store in holder.stores]
        return pacing.total_of(found) if found and None not in found else None


def holders_get(*, organisation: Organisation) -> list[Holder]:
    """Every active person holding a role in the organisation's active stores, by username and role."""
    stores = {store.pk: store for store in Store.objects.filter(organisation=organisation, active=True)}
    by_holder: dict[tuple[int, str, str], list[Store]] = {}
    assignments = StoreAssignment.objects.filter(store_id__in=list(stores), user__is_active=True).values_list(
        "user_id", "user__username", "role", "store_id"
    )
    for user_id, username, role, store_id in assignments:
        by_holder.setdefault((user_id, username, role), []).append(stores[store_id])
    leads = OrgMembership.objects.filter(
        organisation=organisation, role=OrgRole.LEAD, user__is_active=True
    ).values_list("user_id", "user__username")
    for user_id, username in leads:
        by_holder[(user_id, username, LEAD_ROLE)] = list(stores.values())
    return [
        Holder(user_id, username, role, tuple(sorted(held, key=lambda store: store.pk)))
        for (user_id, username, role), held in sorted(
            by_holder.items(), key=lambda item: (item[0][1], item[0][2])
        )
        if held
    ]


def inputs_get(
    *, organisation: Organisation, holders: Sequence[Holder], period: Period, as_of: dt.date
) -> Inputs:
    """Every input of the holders' scorecards for `period`, through `as_of`."""
    inputs = Inputs(period=period, as_of=min(as_of, period.end))
    stores = list({store.pk: store for holder in holders for store in holder.stores}.values())
    if not stores or inputs.as_of < period.start:
        return inputs
    window = DateRange(period.start, inputs.as_of)
    store_ids = [store.pk for store in stores]
    inputs.store_values = store_window_values(store_ids=store_ids, kind=period.kind, window=window)
    found = pacing.period_pacing_get(stores=stores, period=period, day=inputs.as_of)
    inputs.store_pacing = {store.pk: found.get(store.pk) for store in stores}
    items = ChecklistItem.objects.filter(
        checklist__store_id__in=store_ids, checklist__day__range=(window.start, window.end)
    )
    for row in items.values("checklist__user_id", "checklist__role").annotate(
        done=Count("pk", filter=Q(done=True)), given=Count("pk")
    ):
        inputs.checklist[(row["checklist__user_id"], row["checklist__role"])] = (row["done"], row["given"])
    list_days = set(
        DailyChecklist.objects.filter(store_id__in=store_ids, day__range=(window.start, window.end))
        .values_list("user_id", "day")
        .distinct()
    )
    report_days = set(
        DailyReport.objects.filter(
            user_id__in={user_id for user_id, _day in list_days}, day__range=(window.start, window.end)
        ).values_list("user_id", "day")
    )
    # One pass each: days with a list, and those of them with a 日报, per person.
    expected = Counter(user_id for user_id, _day in list_days)
    submitted = Counter(user_id for user_id, _day in list_days & report_days)
    inputs.reports = {user_id: (submitted[user_id], days) for user_id, days in expected.items()}
    manual = ManualScore.objects.filter(
        organisation=organisation, kind=period.kind, period_start=period.start
    )
    inputs.manual = {(score.user_id, score.role, score.item_code): score for score in manual}
    return inputs


def fraction(done: int, given: int) -> Decimal | None:
    return Decimal(done) / Decimal(given) if given else None
