"""The plan pages (docs/targets.md#pages): the targets list of an organisation's year, and one store's
plan with its override, locks and history. Whoever sees a store reads its plan; only the ops lead
(access.can_change_targets) is offered the forms, and a POST from anyone else changes nothing."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kpi import charts, forms, selectors, target_board
from kpi.allocation import PlanLevel, financial_year_days, financial_year_of
from kpi.rebalance import PlanRefused
from kpi.services import changes, plans
from stores import access, periods
from stores.periods import PeriodKind

PLAN_ACTIONS = ("preview", "save", "lock", "unlock")


def _year_or_404(text: str | int) -> int:
    try:
        year = int(text)
    except (TypeError, ValueError) as error:
        raise Http404("Not a year.") from error
    if not periods.FIRST_DAY.year <= year <= periods.last_supported_day().year:
        raise Http404("Not a supported year.")
    return year


# The targets list -------------------------------------------------------------------------------


def target_list(request):
    """?organisation=SLUG&year=YYYY: the organisation's stores (those the user sees) with their
    targets for the year; for the ops lead, the form that sets one."""
    organisations = target_board.target_organisations_get(user=request.user)
    if not organisations:
        raise Http404("No stores.")
    slug = request.GET.get("organisation")
    organisation = (
        next((org for org in organisations if org.slug == slug), None) if slug else organisations[0]
    )
    if organisation is None:
        raise Http404("No such organisation.")
    first_month = selectors.first_month_get(organisation_id=organisation.pk)
    current_year = financial_year_of(periods.today(), first_month=first_month)
    year = _year_or_404(request.GET.get("year") or current_year)
    stores = access.stores_visible_to(request.user).filter(organisation=organisation).order_by("name")
    may_set = access.can_change_targets(request.user, organisation.pk)
    board = target_board.target_board_get(
        organisation=organisation, stores=list(stores), year=year, yesterday=periods.yesterday()
    )
    form = None
    if request.method == "POST":
        if not may_set:
            return HttpResponseForbidden()
        form = forms.TargetForm(request.POST, stores=stores, planned_store_ids=_planned(board))
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = plans.target_set(
                    store=data["store"],
                    year=year,
                    annual=data["annual"],
                    floor_percent=data["floor_percent"],
                    stretch_percent=data["stretch_percent"],
                    reason=data["reason"],
                    user=request.user,
                )
            except PlanRefused as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(store)s: the target for %(year)s is saved (version %(version)s).")
                    % {"store": plan.store.name, "year": plan.label, "version": plan.version},
                )
                return redirect(_targets_url(organisation.slug, year))
    elif may_set:
        form = forms.TargetForm(
            stores=stores, planned_store_ids=_planned(board), initial=_target_initial(board, request)
        )
    return render(
        request,
        "kpi/target_list.html",
        {
            "board": board,
            "organisations": organisations,
            "organisation": organisation,
            "year": year,
            "first_month": first_month,
            "years": (year - 1, year + 1),
            "current_year": current_year,
            "oversees": access.organisations_overseen_by(request.user).filter(pk=organisation.pk).exists(),
            "form": form,
            "calendar_years": _calendar_facts(selectors.calendar_get(), year, first_month),
        },
    )


def _targets_url(organisation_slug: str, year: int) -> str:
    return f"{reverse('kpi:targets')}?{urlencode({'organisation': organisation_slug, 'year': year})}"


def _planned(board: target_board.TargetBoard) -> set[int]:
    return {plan.store_id for plan in board.plans}


def _target_initial(board: target_board.TargetBoard, request) -> dict:
    """?store=SLUG (a row's "change" link): the form starts from that store's plan."""
    row = next((row for row in board.rows if row.store.slug == request.GET.get("store")), None)
    if row is None:
        return {}
    if row.plan is None:
        return {"store": row.store.slug}
    plan = row.plan
    return {
        "store": row.store.slug,
        "annual": plan.annual,
        "floor_percent": plan.floor_percent,
        "stretch_percent": plan.stretch_percent,
    }


def _calendar_facts(calendar, year: int, first_month: int) -> list[dict]:
    """Each calendar year the financial year touches: whose holidays it uses, and its promotion
    nodes that peak within the financial year."""
    days = financial_year_days(year=year, first_month=first_month)
    first, last = days[0], days[-1]
    return [
        {
            "year": calendar_year,
            "official": calendar.official(calendar_year),
            "table_nodes": calendar.uses_table_nodes(calendar_year),
            "nodes": [node for node in calendar.nodes_of(calendar_year) if first <= node.peak_start <= last],
        }
        for calendar_year in range(first.year, last.year + 1)
    ]


# One store's plan ---------------------------------------------------------------------------------


def plan_detail(request, slug: str, year: int):
    """The plan's months, weeks and (?month=2027-05) days; for the ops lead the override (previewed
    first, then saved from the version read) and the lock buttons."""
    store = access.store_for_user_or_404(request.user, slug)
    plan = selectors.plan_get(store=store, year=_year_or_404(year))
    if plan is None:
        raise Http404("No plan for this year.")
    may_change = access.can_change_targets(request.user, store.organisation_id)
    preview, conflict = None, False
    if request.method == "POST":
        action = request.POST.get("action")
        if not may_change:
            return HttpResponseForbidden()
        if action not in PLAN_ACTIONS:
            raise Http404("No such action.")
        if action in ("lock", "unlock"):
            return _lock_post(request, plan, action)
        form = forms.OverrideForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "save":
                    change = changes.plan_override(
                        plan=plan,
                        label=data["label"],
                        amount=data["amount"],
                        reason=data["reason"],
                        user=request.user,
                        expected_version=data["version"],
                        lock=data["lock"],
                    )
                    messages.success(
                        request,
                        _("%(period)s is set: the plan is at version %(version)s.")
                        % {"period": change.label, "version": change.version},
                    )
                    # To the top, where the message is: an empty fragment, or the browser keeps the
                    # form's #change and lands on the emptied form, the message out of view.
                    return redirect(f"{reverse('kpi:plan', args=[store.slug, plan.year])}#")
                preview = changes.plan_override_preview(plan=plan, label=data["label"], amount=data["amount"])
            except PlanRefused as error:
                form.add_error(None, str(error))
                conflict = isinstance(error, changes.PlanConflict)
    else:
        form = forms.OverrideForm(initial={"version": plan.version, "label": request.GET.get("period", "")})
    return _plan_render(request, plan, form=form if may_change else None, preview=preview, conflict=conflict)


def _lock_post(request, plan, action: str):
    form = forms.LockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was locked or unlocked: the request was incomplete."))
        return redirect("kpi:plan", slug=plan.store.slug, year=plan.year)
    change = changes.plan_lock if action == "lock" else changes.plan_unlock
    try:
        done = change(
            plan=plan,
            label=form.cleaned_data["label"],
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except PlanRefused as error:
        messages.error(request, str(error))
    else:
        text = _("%(period)s is locked.") if action == "lock" else _("%(period)s is unlocked.")
        messages.success(request, text % {"period": done.label})
    return redirect("kpi:plan", slug=plan.store.slug, year=plan.year)


def _plan_render(request, plan, *, form, preview, conflict):
    table = selectors.plan_table_get(plan=plan)
    weeks = table.rows(PlanLevel.WEEK)
    month = _month_asked(request.GET.get("month"))
    return render(
        request,
        "kpi/plan_detail.html",
        {
            "plan": plan,
            "store": plan.store,
            "months": table.rows(PlanLevel.MONTH),
            "weeks": weeks,
            "year_row": table.rows(PlanLevel.YEAR)[0] if table.days else None,
            "month": month,
            "days": [row for row in table.rows("day") if row.start in month] if month else [],
            "lock_labels": table.lock_labels,
            "partial_weeks": _partial_weeks(weeks),
            "chart": charts.plan_weeks(weeks),
            "changes": selectors.plan_changes_get(plan=plan),
            "form": form,
            "preview": preview,
            "conflict": conflict,
            "today": periods.today(),
        },
    )


def _month_asked(text: str | None):
    if not text:
        return None
    try:
        return periods.period_parse(PeriodKind.MONTH, text)
    except ValueError:
        return None


def _partial_weeks(weeks) -> set[str]:
    """The ISO weeks the plan's year starts or ends in the middle of: a lock cannot name them."""
    return {row.label for row in weeks if row.end - row.start != dt.timedelta(days=6)}
