"""Importing months of targets (docs/targets.md#import): the database side of kpi.imports.

An upload is first checked in full and compared with the plans without saving anything (the
preview: each store's months, current → new, or every error). Applying checks the same bytes again,
in one transaction: each plan still at the version the preview showed (else the whole import is
refused, "the plan changed since you opened it"), every store still writable by the user, every
month still possible on this day; then each plan's days are saved and one PlanChange (kind IMPORT)
is recorded per plan that changed. Any error and nothing is saved.

Between preview and apply the bytes travel in a signed field of the preview page (kpi.imports.pending).
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from kpi import selectors
from kpi.allocation import ZERO, PlanLevel, financial_year_of, period_sums
from kpi.imports import messages
from kpi.imports.months import MonthsRefused, months_rebalance
from kpi.imports.parse import CODE, NAME, PERIOD, TARGET, Issues, MonthRow, MonthsFile, parse_months_file
from kpi.models import PlanChange, PlanDay, SalesTarget
from kpi.services.changes import plan_change_record, plan_days_save, plan_version_claim
from stores import access, periods
from stores.imports import messages as import_messages
from stores.models import Store
from stores.periods import Period

MAX_BYTES = 1024 * 1024  # a store's twelve months are a few KB


class MonthsImportRefused(Exception):
    """The import cannot be applied; `errors` say why, in the user's language. `conflict`: a plan
    changed since the preview."""

    def __init__(self, errors: list[str], *, conflict: bool = False):
        super().__init__("\n".join(errors))
        self.errors = errors
        self.conflict = conflict


@dataclass(frozen=True)
class MonthChange:
    label: str
    before: Decimal
    after: Decimal
    given: bool  # in the file (else it absorbs the difference)

    @property
    def moved(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class PlanImport:
    """What the file does to one store's plan."""

    store: Store
    plan: SalesTarget
    version: int  # the plan's version the preview was made from
    months: list[MonthChange]  # every month of the plan
    annual_before: Decimal
    annual_after: Decimal
    targets: dict[dt.date, Decimal] = field(repr=False)  # every day's new target
    given: frozenset[Period] = frozenset()

    @property
    def changed(self) -> bool:
        return any(month.moved for month in self.months)

    @property
    def months_moved(self) -> list[dict]:
        return [
            {"label": month.label, "before": f"{month.before:.2f}", "after": f"{month.after:.2f}"}
            for month in self.months
            if month.moved
        ]


@dataclass
class MonthsImport:
    file_name: str
    year: int | None
    plans: list[PlanImport]
    errors: list[str]
    # Each plan the file names and its version as read, those with errors too: applying refuses the
    # whole import when any of them has changed since.
    versions: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(plan_import.changed for plan_import in self.plans)


@dataclass
class _StoreMonths:
    """One store's months in the file, with its plan for the year."""

    store: Store
    plan: SalesTarget
    months: dict[Period, MonthRow]


# Reading the file against the stores and plans --------------------------------------------------


def _stores_seen(user) -> list[Store]:
    stores = Store.objects.all() if user is None else access.stores_visible_to(user)
    return list(stores.select_related("organisation"))


class _Stores:
    """The stores the user sees, by slug and by name; who may change which one's targets."""

    def __init__(self, user):
        self.user = user
        stores = _stores_seen(user)
        self.by_slug = {store.slug: store for store in stores}
        self.by_name: dict[str, Store | None] = {}
        for store in stores:
            self.by_name[store.name] = None if store.name in self.by_name else store  # None: shared
        self._may: dict[int, bool] = {}

    def find(self, row: MonthRow) -> tuple[Store | None, str | None]:
        """The row's store, or the problem."""
        if row.store_code:
            store = self.by_slug.get(row.store_code)
            return (store, None) if store else (None, messages.unknown_store(row.store_code))
        if row.store_name in self.by_name:
            store = self.by_name[row.store_name]
            return (store, None) if store else (None, messages.ambiguous_store(row.store_name))
        store = self.by_slug.get(row.store_name)
        return (store, None) if store else (None, messages.unknown_store(row.store_name))

    def may_change(self, store: Store) -> bool:
        if self.user is None:
            return True
        if store.organisation_id not in self._may:
            self._may[store.organisation_id] = access.can_change_targets(self.user, store.organisation_id)
        return self._may[store.organisation_id]


def _store_column(parsed: MonthsFile, row: MonthRow) -> str:
    """The column the row's store was read from: 店铺代码 when it has one, else 店铺."""
    return parsed.header(CODE) if row.store_code else parsed.headers.get(NAME, parsed.store_header)


def _file_read(
    *, content: bytes, file_name: str, user, year: int | None
) -> tuple[MonthsFile, list[_StoreMonths], int | None]:
    """The parsed file, each store's months with its plan, and the financial year; every problem
    found is an issue of the parsed file."""
    if len(content) > MAX_BYTES:
        parsed = MonthsFile(file_name=file_name, issues=Issues(file_name))
        parsed.issues.add(messages.too_large(file_name, MAX_BYTES // (1024 * 1024)))
        return parsed, [], year
    parsed = parse_months_file(content=content, file_name=file_name)
    issues = parsed.issues
    stores = _Stores(user)
    found: list[tuple[MonthRow, Store]] = []
    reported: set[str] = set()  # each store problem once, at its first row
    for row in parsed.rows:
        store, problem = stores.find(row)
        if store is not None and not stores.may_change(store):
            store, problem = None, messages.may_not_change(store.name)
        if store is None:
            if row.store not in reported:
                issues.add(problem, row=row.row, column=_store_column(parsed, row))
                reported.add(row.store)
            continue
        found.append((row, store))
    if len({store.organisation_id for _row, store in found}) > 1:
        issues.add_located(messages.several_companies(file_name))
        return parsed, [], year
    if year is None and found:
        first_month = selectors.first_month_get(organisation_id=found[0][1].organisation_id)
        years = sorted({financial_year_of(row.month.start, first_month=first_month) for row, _store in found})
        if len(years) > 1:
            issues.add(messages.several_years([str(each) for each in years]))
            return parsed, [], year
        year = years[0]
    return parsed, _plans_of(parsed, found, year), year


def _plans_of(
    parsed: MonthsFile, found: list[tuple[MonthRow, Store]], year: int | None
) -> list[_StoreMonths]:
    """Each store's months with its plan for `year`: a store without one, a month outside the plan's
    year and a month given twice are issues."""
    issues = parsed.issues
    plans = {
        plan.store_id: plan
        for plan in SalesTarget.objects.filter(store__in={store for _row, store in found}, year=year)
    }
    groups: dict[int, _StoreMonths] = {}
    without_plan: set[int] = set()
    for row, store in found:
        plan = plans.get(store.pk)
        if plan is None:
            if store.pk not in without_plan:
                issues.add(messages.no_plan(store.name, year), row=row.row, column=_store_column(parsed, row))
                without_plan.add(store.pk)
            continue
        group = groups.setdefault(store.pk, _StoreMonths(store, plan, {}))
        if not (plan.first_day <= row.month.start and row.month.end <= plan.last_day):
            first, last = plan.first_day.isoformat(), plan.last_day.isoformat()
            problem = messages.not_in_year(row.month.label, plan.label, first, last)
            issues.add(problem, row=row.row, column=parsed.header(PERIOD))
        elif row.month in group.months:
            first_row = group.months[row.month].row
            problem = import_messages.duplicate_day(first_row, row.row, row.month.label, store.name)
            issues.add(problem, row=row.row, column=parsed.header(PERIOD))
        else:
            group.months[row.month] = row
    return [group for group in groups.values() if group.months]


def _plan_import(parsed: MonthsFile, group: _StoreMonths, today: dt.date) -> PlanImport | None:
    """What the months do to the plan as it is now; None, with the issues added, when they cannot."""
    plan = group.plan
    days = selectors.plan_day_states(plan=plan)
    amounts = {month: row.amount for month, row in group.months.items()}
    try:
        targets = months_rebalance(days=days, months=amounts, today=today)
    except MonthsRefused as refused:
        for month, problem in refused.problems.items():
            if month is None:
                parsed.issues.add(messages.of_store(group.store.name, problem))
            else:
                row = group.months[month].row
                parsed.issues.add(problem, row=row, column=parsed.header(TARGET))
        return None
    before = {day: state.target for day, state in days.items()}
    old = period_sums(day_targets=before, kind=PlanLevel.MONTH, first_month=plan.first_month)
    new = period_sums(day_targets=targets, kind=PlanLevel.MONTH, first_month=plan.first_month)
    months = [
        MonthChange(label=month.label, before=old[month], after=total, given=month in group.months)
        for month, total in new.items()
    ]
    return PlanImport(
        store=group.store,
        plan=plan,
        version=plan.version,
        months=months,
        annual_before=sum(before.values(), ZERO),
        annual_after=sum(targets.values(), ZERO),
        targets=targets,
        given=frozenset(group.months),
    )


# Preview and apply ------------------------------------------------------------------------------


def months_import_preview(
    *, content: bytes, file_name: str, user=None, year: int | None = None, today: dt.date | None = None
) -> MonthsImport:
    """What the file would do to each store's plan, or every error; saves nothing. `user` None is the
    command line (every store); `year` None: the financial year the months are in."""
    today = today or periods.today()
    parsed, groups, year = _file_read(content=content, file_name=file_name, user=user, year=year)
    plan_imports = [_plan_import(parsed, group, today) for group in groups]
    return MonthsImport(
        file_name=file_name,
        year=year,
        plans=[plan_import for plan_import in plan_imports if plan_import is not None],
        errors=parsed.issues.messages(),
        versions={group.plan.pk: group.plan.version for group in groups},
    )


def months_import_apply(
    *,
    content: bytes,
    file_name: str,
    year: int | None,
    versions: Mapping[int, int],
    user=None,
    today: dt.date | None = None,
) -> list[PlanChange]:
    """Apply the previewed file: all plans or none (MonthsImportRefused with every reason).
    `versions`: each plan's version the preview showed."""
    today = today or periods.today()
    with transaction.atomic():
        parsed, groups, year = _file_read(content=content, file_name=file_name, user=user, year=year)
        _versions_check(file_name, groups, versions)
        plan_imports = [_plan_import(parsed, group, today) for group in groups]
        if parsed.issues:
            raise MonthsImportRefused(parsed.issues.messages())
        reason = messages.reason(file_name)
        return [
            _plan_save(plan_import, versions[plan_import.plan.pk], reason, user)
            for plan_import in plan_imports
            if plan_import.changed
        ]


def _versions_check(file_name: str, groups: list[_StoreMonths], versions: Mapping[int, int]) -> None:
    """Lock each plan and refuse the whole import when any has changed since the preview."""
    locked = SalesTarget.objects.select_for_update().in_bulk([group.plan.pk for group in groups])
    changed = []
    for group in groups:
        group.plan = locked[group.plan.pk]
        if versions.get(group.plan.pk) != group.plan.version:
            changed.append(group.store.name)
    if changed:
        problem = messages.plan_changed()
        errors = [import_messages.at_file(file_name, messages.of_store(name, problem)) for name in changed]
        raise MonthsImportRefused(errors, conflict=True)


def _plan_save(plan_import: PlanImport, expected_version: int, reason: str, user) -> PlanChange:
    plan = plan_import.plan
    plan_version_claim(plan, expected_version)
    current = dict(PlanDay.objects.filter(plan=plan).values_list("date", "target"))
    plan_days_save(
        plan=plan,
        targets=plan_import.targets,
        moved=[day for day, target in current.items() if plan_import.targets[day] != target],
        overridden=lambda day: any(day in month for month in plan_import.given),
    )
    if plan_import.annual_after != plan_import.annual_before:
        SalesTarget.objects.filter(pk=plan.pk).update(annual=plan_import.annual_after)
        plan.annual = plan_import.annual_after
    return plan_change_record(
        plan,
        PlanChange.Kind.IMPORT,
        plan.label,
        plan_import.annual_before,
        plan_import.annual_after,
        reason,
        user,
        plan_import.months_moved,
    )
