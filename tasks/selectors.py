"""Reading checklists: one person's day, the team's matrix, the 日报 and completion rates."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from stores import access
from stores.models import Organisation, Store, StoreRole
from stores.periods import Period, PeriodKind, period_containing
from tasks import item_details, workdays
from tasks.models import ChecklistItem, ChecklistTemplate, DailyChecklist, DailyReport, TimeOfDay

User = get_user_model()
RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Completion:
    """Items done out of items given. The rate has no value without items (never 0 %)."""

    done: int = 0
    total: int = 0

    @property
    def rate(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.done) / Decimal(self.total)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else int((rate * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def html(self) -> SafeString:
        """As a table cell shows it: "25% (1/4)", or "—" without items."""
        if not self.total:
            return mark_safe("—")
        # Numbers only: nothing to escape.
        return mark_safe(f'{self.percent}% <small class="hint">({self.done}/{self.total})</small>')

    def __add__(self, other: "Completion") -> "Completion":
        return Completion(self.done + other.done, self.total + other.total)


# --- One person's day --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayItem:
    item: ChecklistItem
    store: Store
    overdue: bool
    details: tuple[item_details.DetailShown, ...] = ()  # other apps' (tasks.item_details)


@dataclass(frozen=True)
class TimeOfDayGroup:
    time_of_day: str
    label: str
    items: list[DayItem]


@dataclass(frozen=True)
class MyDay:
    day: dt.date
    groups: list[TimeOfDayGroup]
    completion: Completion
    several_stores: bool
    report: DailyReport | None
    editable: bool
    working: workdays.WorkingDay


def my_day_get(*, user, day: dt.date, now: dt.datetime, today: dt.date) -> MyDay:
    """`user`'s own lists of `day`, every store's items together, grouped by time of day and
    ordered by due time."""
    items = list(
        ChecklistItem.objects.filter(checklist__user=user, checklist__day=day)
        .select_related("checklist__store", "done_by")
        .order_by("due_time", "checklist__store__name", "position", "pk")
    )
    details = item_details.item_details_for(items)
    groups = []
    for time_of_day in TimeOfDay:
        shown = [
            DayItem(
                item=item,
                store=item.checklist.store,
                overdue=item.is_overdue(now),
                details=tuple(details.get(item.pk, ())),
            )
            for item in items
            if item.time_of_day == time_of_day
        ]
        if shown:
            groups.append(TimeOfDayGroup(time_of_day.value, str(time_of_day.label), shown))
    return MyDay(
        day=day,
        groups=groups,
        completion=Completion(sum(item.done for item in items), len(items)),
        several_stores=len({item.checklist.store_id for item in items}) > 1,
        report=DailyReport.objects.filter(user=user, day=day).first(),
        editable=workdays.day_is_editable(day, today=today),
        working=workdays.working_day(day),
    )


# --- The team ----------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One person's one item over a day or a week: how often it was given, done, overdue."""

    done: int = 0
    total: int = 0
    overdue: int = 0
    late: int = 0
    items: list[ChecklistItem] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.overdue:
            return "overdue"
        if self.total and self.done == self.total:
            return "done"
        return "open" if self.total else "none"


@dataclass
class MatrixRow:
    user: object
    cells: list[Cell]
    completion: Completion = Completion()


@dataclass(frozen=True)
class MatrixDetail:
    """Another app's detail of one person's item (tasks.item_details), under a day's matrix."""

    user: object
    item: ChecklistItem
    detail: item_details.DetailShown


@dataclass
class RoleMatrix:
    """A store's lists for one role: a row per person, a column per item (by title)."""

    store: Store
    role: str
    columns: list[str]
    rows: list[MatrixRow]
    details: list[MatrixDetail] = field(default_factory=list)  # with details=True only

    @property
    def role_label(self) -> str:
        return str(StoreRole(self.role).label)


def team_matrix_get(
    *, organisation: Organisation, first: dt.date, last: dt.date, now: dt.datetime, details: bool = False
) -> list[RoleMatrix]:
    """Every list of the organisation's stores from `first` to `last`, as one person × item matrix
    per store and role; with `details`, each item's details of other apps (tasks.item_details)."""
    items = list(
        ChecklistItem.objects.filter(
            checklist__store__organisation=organisation, checklist__day__range=(first, last)
        )
        .select_related("checklist__store", "checklist__user", "done_by")
        .order_by("checklist__store__name", "checklist__role", "position", "pk")
    )
    details_of = item_details.item_details_for(items) if details else {}
    grouped: dict[tuple[int, str], dict] = {}
    for item in items:
        checklist = item.checklist
        block = grouped.setdefault(
            (checklist.store_id, checklist.role),
            {"store": checklist.store, "columns": {}, "people": {}},
        )
        block["columns"].setdefault(item.title, item.position)
        person = block["people"].setdefault(checklist.user_id, {"user": checklist.user, "cells": {}})
        cell = person["cells"].setdefault(item.title, Cell())
        cell.total += 1
        cell.done += item.done
        cell.overdue += item.is_overdue(now)
        cell.late += item.was_late()
        cell.items.append(item)
    matrices = []
    for (_store_id, role), block in grouped.items():
        columns = sorted(block["columns"], key=lambda title: block["columns"][title])
        rows = []
        for person in sorted(block["people"].values(), key=lambda person: person["user"].get_username()):
            cells = [person["cells"].get(title, Cell()) for title in columns]
            completion = Completion(sum(cell.done for cell in cells), sum(cell.total for cell in cells))
            rows.append(MatrixRow(user=person["user"], cells=cells, completion=completion))
        shown = [
            MatrixDetail(row.user, item, detail)
            for row in rows
            for cell in row.cells
            for item in cell.items
            for detail in details_of.get(item.pk, ())
        ]
        matrices.append(
            RoleMatrix(store=block["store"], role=role, columns=columns, rows=rows, details=shown)
        )
    return matrices


def daily_reports_get(*, organisation: Organisation, day: dt.date) -> list[DailyReport]:
    """The 日报 of `day` by people who work in the organisation's stores."""
    return list(
        DailyReport.objects.filter(user__in=_staff_of(organisation), day=day)
        .select_related("user")
        .order_by("user__username")
    )


def daily_reports_missing(*, organisation: Organisation, day: dt.date) -> list:
    """People with a list on `day` in the organisation who have not submitted that day's 日报."""
    expected = DailyChecklist.objects.filter(store__organisation=organisation, day=day).values("user_id")
    submitted = DailyReport.objects.filter(day=day).values("user_id")
    # Someone deactivated today is not waited for.
    return list(
        User.objects.filter(pk__in=expected, is_active=True).exclude(pk__in=submitted).order_by("username")
    )


def daily_reports_history(*, user, before: dt.date, count: int = 10) -> list[DailyReport]:
    return list(DailyReport.objects.filter(user=user, day__lt=before).order_by("-day")[:count])


def _staff_of(organisation: Organisation) -> QuerySet:
    return User.objects.filter(store_assignments__store__organisation=organisation).distinct()


# --- Completion (for KPIs) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonCompletion:
    user: object
    completion: Completion
    reports_submitted: int
    reports_expected: int  # days with a list


@dataclass(frozen=True)
class CompletionReport:
    week: Period
    people: list[PersonCompletion]
    stores: dict[Store, Completion]
    total: Completion


def checklist_completion_get(*, organisation: Organisation, week_start: dt.date) -> CompletionReport:
    """The organisation's checklist completion in the ISO week containing `week_start` (normally
    its Monday): items done / items given, per person, per store and in total; plus 日报
    submitted against the days each person had a list. Ready for KPI scoring."""
    week = period_containing(PeriodKind.WEEK, week_start)
    items = ChecklistItem.objects.filter(
        checklist__store__organisation=organisation, checklist__day__range=(week.start, week.end)
    )
    counts = {"done": Count("pk", filter=Q(done=True)), "total": Count("pk")}
    by_user = {row["checklist__user"]: row for row in items.values("checklist__user").annotate(**counts)}
    by_store = {row["checklist__store"]: row for row in items.values("checklist__store").annotate(**counts)}
    list_days = set(
        DailyChecklist.objects.filter(store__organisation=organisation, day__range=(week.start, week.end))
        .values_list("user_id", "day")
        .distinct()
    )
    report_days = set(
        DailyReport.objects.filter(user__in=list(by_user), day__range=(week.start, week.end)).values_list(
            "user_id", "day"
        )
    )
    people = [
        PersonCompletion(
            user=user,
            completion=Completion(by_user[user.pk]["done"], by_user[user.pk]["total"]),
            reports_submitted=sum(1 for key in list_days & report_days if key[0] == user.pk),
            reports_expected=sum(1 for key in list_days if key[0] == user.pk),
        )
        for user in User.objects.filter(pk__in=by_user).order_by("username")
    ]
    stores = {
        store: Completion(by_store[store.pk]["done"], by_store[store.pk]["total"])
        for store in Store.objects.filter(pk__in=by_store).order_by("name")
    }
    total = sum((person.completion for person in people), Completion())
    return CompletionReport(week=week, people=people, stores=stores, total=total)


# --- Templates ---------------------------------------------------------------------------------------


def checklist_templates_get(*, organisation: Organisation) -> list[ChecklistTemplate]:
    return list(
        ChecklistTemplate.objects.filter(organisation=organisation)
        .select_related("store")
        .annotate(item_count=Count("items"))
        .order_by("role", "store__name")
    )


# --- The dashboard's view of the routine -------------------------------------------------------------


def store_day_completion_get(
    *, store_ids: Sequence[int], days: Sequence[dt.date]
) -> dict[tuple[int, dt.date], Completion]:
    """Items done out of items given per store and day, in one grouped query."""
    rows = (
        ChecklistItem.objects.filter(checklist__store_id__in=store_ids, checklist__day__in=days)
        .order_by()  # not the items' own order, which joins stores and organisations to sort
        .values("checklist__store", "checklist__day")
        .annotate(done=Count("pk", filter=Q(done=True)), total=Count("pk"))
    )
    return {
        (row["checklist__store"], row["checklist__day"]): Completion(row["done"], row["total"])
        for row in rows
    }


def daily_reports_missing_in_stores(*, store_ids: Sequence[int], day: dt.date) -> list:
    """People with a list in one of the stores on `day` who have not submitted that day's 日报."""
    expected = DailyChecklist.objects.filter(store_id__in=store_ids, day=day).values("user_id")
    submitted = DailyReport.objects.filter(day=day).values("user_id")
    # Someone deactivated today is not waited for.
    return list(
        User.objects.filter(pk__in=expected, is_active=True).exclude(pk__in=submitted).order_by("username")
    )


# --- What a user may change (the rules are stores.access's; docs/access.md#checklists) --------------


def checklist_item_of_owner_or_404(user, item_id: int) -> ChecklistItem:
    """An item of the user's own list: nobody ticks another person's list, not even the lead."""
    item = ChecklistItem.objects.filter(pk=item_id, checklist__user=user).select_related("checklist").first()
    if item is None:
        raise Http404("No such item.")
    return item


def checklist_template_led_or_404(user, template_id: int) -> ChecklistTemplate:
    """A checklist template of an organisation the user leads (access.organisations_led_by)."""
    template = (
        ChecklistTemplate.objects.filter(pk=template_id, organisation__in=access.organisations_led_by(user))
        .select_related("organisation", "store")
        .first()
    )
    if template is None:
        raise Http404("No such checklist template.")
    return template


@dataclass
class Routine:
    """The team's checklists: yesterday's and today's completion, yesterday's missing 日报."""

    day: dt.date
    today: dt.date
    stores: list[tuple[Store, Completion, Completion]]  # yesterday's and today's so far
    yesterday_total: Completion
    today_total: Completion
    reports_missing: list  # people without yesterday's 日报


def routine_get(*, stores: Sequence[Store], day: dt.date, today: dt.date) -> Routine:
    """The dashboard's view of the team's routine in `stores`, in two queries."""
    store_ids = [store.pk for store in stores]
    completion = store_day_completion_get(store_ids=store_ids, days=[day, today])
    rows = [
        (
            store,
            completion.get((store.pk, day), Completion()),
            completion.get((store.pk, today), Completion()),
        )
        for store in stores
    ]
    return Routine(
        day=day,
        today=today,
        stores=[row for row in rows if row[1].total or row[2].total],
        yesterday_total=sum((row[1] for row in rows), Completion()),
        today_total=sum((row[2] for row in rows), Completion()),
        reports_missing=daily_reports_missing_in_stores(store_ids=store_ids, day=day),
    )


def own_completion_get(*, user, day: dt.date) -> Completion:
    """Items done out of items given on the user's own lists of `day`, in one query."""
    return completions_get(user_ids=[user.pk], day=day).get(user.pk, Completion())


def completions_get(
    *, user_ids: Sequence[int], day: dt.date, organisation: Organisation | None = None
) -> dict[int, Completion]:
    """Each person's items done out of items given on their lists of `day` (in `organisation`'s
    stores, when given), in one query; nobody without a list is in it."""
    items = ChecklistItem.objects.filter(checklist__user_id__in=list(user_ids), checklist__day=day)
    if organisation is not None:
        items = items.filter(checklist__store__organisation=organisation)
    counts = items.values("checklist__user_id").annotate(
        done=Count("pk", filter=Q(done=True)), total=Count("pk")
    )
    return {row["checklist__user_id"]: Completion(row["done"], row["total"]) for row in counts}
