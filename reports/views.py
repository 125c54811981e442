import datetime as dt
import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpi.selectors import organisation_pacing_get
from opsdesk.templatetags import layout
from reports import charts, exports, forms, jobs, selectors, services
from reports import dashboard as dashboard_selectors
from reports.models import Alert, RollupRun
from stores import access, metrics, periods
from stores import selectors as store_selectors
from stores.periods import PeriodKind
from stores.web import redirect_to_next

DASHBOARD_KEPT_SECONDS = 600
STORE_DAYS = 30
ALERT_PAGE = 200
# The per-store table's columns (the headline cards are selectors.HEADLINE_CODES).
TABLE_CODES = ("gmv", "uv", "conversion", "aov", "paid_buyers", "refund_rate", "ad_spend", "roi", "dsr_item")
KINDS = {"daily": PeriodKind.DAY, "weekly": PeriodKind.WEEK, "monthly": PeriodKind.MONTH}
PICKER_INPUT = {PeriodKind.DAY: "date", PeriodKind.WEEK: "week", PeriodKind.MONTH: "month"}


@transaction.non_atomic_requests  # it only reads: no transaction to open and close
def dashboard(request):
    """The ops lead's morning page: yesterday, every store, what needs attention first.

    Its body is kept, per user, until something it shows changes: the version (one query, which
    also finds the user's stores) says when, so most visits skip computing and rendering twenty
    cards. The whole page is kept too, under the version and everything the layout shows
    (opsdesk.templatetags.layout.layout_inputs), except when a message waits to be shown.
    """
    day, today = periods.yesterday(), periods.today()
    version = dashboard_selectors.dashboard_version(user=request.user, day=day, today=today)
    body_inputs = [
        str(request.user.pk),
        # Who may acknowledge alerts follows from the roles (the stores seen are in the version).
        str(request.user.is_superuser),
        *sorted(access.org_roles(request.user)),
        get_language(),
        day.isoformat(),
        version.key,
        # The body holds the user's CSRF token and the page's own address (forms post back to it).
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.get_full_path(),
    ]
    page_key = _kept_key("dashboard-page", [*body_inputs, *layout.layout_inputs(request)])
    whole = not messages.get_messages(request)  # a waiting message is shown (and used) once
    if whole and (page := cache.get(page_key)) is not None:
        get_token(request)  # as the page's forms would: the CSRF cookie stays fresh
        return HttpResponse(page)
    body_key = _kept_key("dashboard", body_inputs)
    body = cache.get(body_key)
    if body is None:
        # Exactly the stores the version was taken of (and still visible): the body kept under
        # it never shows a store the user no longer sees.
        stores = list(store_selectors.store_list(user=request.user).filter(pk__in=version.store_ids))
        context = {
            "board": dashboard_selectors.dashboard_get(stores=stores, day=day),
            "routine": dashboard_selectors.routine_get(stores=stores, day=day, today=today),
            "acknowledgeable": _acknowledgeable(request.user),
            "card_codes": dashboard_selectors.CARD_CODES,
        }
        body = render_to_string("reports/includes/dashboard_body.html", context, request=request)
        cache.set(body_key, body, DASHBOARD_KEPT_SECONDS)
    response = render(request, "reports/dashboard.html", {"day": day, "body": mark_safe(body)})
    if whole:
        cache.set(page_key, response.content.decode(), DASHBOARD_KEPT_SECONDS)
    return response


def _kept_key(prefix: str, inputs: list[str]) -> str:
    return f"{prefix}:" + hashlib.sha256("|".join(inputs).encode()).hexdigest()


def store_dashboard(request, slug: str):
    """One store: the same card, its last 30 days and its alerts."""
    store = access.store_for_user_or_404(request.user, slug)
    day = periods.yesterday()
    board = dashboard_selectors.dashboard_get(stores=[store], day=day)
    return render(
        request,
        "reports/store_dashboard.html",
        {
            "store": store,
            "day": day,
            "card": board.cards[0],
            "card_codes": dashboard_selectors.CARD_CODES,
            "rows": store_selectors.daily_metric_rows(
                store=store, date_from=day - dt.timedelta(days=STORE_DAYS - 1), date_to=day
            ),
            "columns": [metrics.BY_CODE[code] for code in store_selectors.DAILY_TABLE_CODES],
            "alerts": selectors.alerts_get(stores=[store], since=day - dt.timedelta(days=STORE_DAYS - 1)),
            "acknowledgeable": _acknowledgeable(request.user),
            "days_shown": STORE_DAYS,
        },
    )


def alert_list(request):
    stores = list(store_selectors.store_list(user=request.user))
    status = request.GET.get("status", "")
    return render(
        request,
        "reports/alert_list.html",
        {
            "alerts": selectors.alerts_get(stores=stores, status=status, limit=ALERT_PAGE),
            "status": status,
            "statuses": Alert.Status.choices,
            "acknowledgeable": _acknowledgeable(request.user),
        },
    )


def _acknowledgeable(user) -> set[int]:
    """The stores whose alerts the user may acknowledge: those whose numbers they look after."""
    return set(access.stores_importable_by(user).values_list("pk", flat=True))


@require_POST
def alert_acknowledge(request, alert_id: int):
    alert = get_object_or_404(Alert.objects.select_related("store"), pk=alert_id)
    if not access.can_enter_metrics(request.user, alert.store):
        raise Http404
    services.alert_acknowledge(
        alert=alert, user=request.user, note=request.POST.get("note", "").strip()[:1000]
    )
    messages.success(request, _("Alert acknowledged."))
    return redirect_to_next(request, "reports:alerts")


def report_request(request, kind: PeriodKind) -> tuple[forms.ReportChoice, selectors.PeriodReport]:
    """The report a page or an export asks for: ?org=slug&period=label&store=slug…"""
    picked = forms.report_choice(request.GET, user=request.user, kind=kind)
    selection = selectors.store_selection_get(
        user=request.user, organisation=picked.organisation, store_slugs=picked.store_slugs
    )
    return picked, selectors.period_report_get(selection=selection, period=picked.period)


def period_report(request, kind_name: str):
    kind = KINDS.get(kind_name)
    if kind is None:
        raise Http404
    picked, report = report_request(request, kind)
    chosen = {store.pk for store in report.selection.stores}
    trends = selectors.report_trends(selection=report.selection, report=report)
    return render(
        request,
        "reports/period_report.html",
        {
            "report": report,
            "kind_name": kind_name,
            "picker_input": PICKER_INPUT[kind],
            "organisations": selectors.organisations_for(user=request.user),
            "headline_codes": selectors.HEADLINE_CODES,
            "table_codes": TABLE_CODES,
            "charts": _charts(report, trends),
            "previous_label": periods.previous_period(report.period).label,
            "next_label": periods.next_period(report.period).label,
            "has_next": periods.next_period(report.period).start <= periods.yesterday(),
            "can_comment": kind is PeriodKind.WEEK
            and access.is_lead_of(request.user, report.selection.organisation.pk),
            "commentary_form": forms.WeeklyCommentaryForm(instance=report.commentary),
            "query": request.GET.urlencode(),
            "choice_error": picked.error,
            "pacing": organisation_pacing_get(
                organisation_id=report.selection.organisation.pk, day=periods.yesterday()
            ),
            "store_choices": [
                (store, store.pk in chosen)
                for store in selectors.stores_selectable(
                    user=request.user, organisation=report.selection.organisation
                )
            ],
        },
    )


def _charts(report: selectors.PeriodReport, trends: dict) -> dict[str, str]:
    drawn = {}
    if report.decomposition:
        drawn["waterfall"] = charts.waterfall(
            report.decomposition, before_label=_("Previous period"), now_label=_("This period")
        )
    if report.kind is PeriodKind.DAY:
        drawn["days"] = charts.gmv_and_conversion(trends["days"], title=_("Last 14 days"))
        return drawn
    drawn["days_gmv"] = charts.days_compared(
        trends["days"], trends["previous_days"], metric="gmv", title=_("GMV per day (¥)")
    )
    drawn["days_conversion"] = charts.days_compared(
        trends["days"], trends["previous_days"], metric="conversion", title=_("Conversion per day")
    )
    title = _("Last 8 weeks") if report.kind is PeriodKind.WEEK else _("Last 12 months")
    drawn["periods"] = charts.gmv_and_conversion(trends["periods"], title=title)
    return drawn


@require_POST
def weekly_commentary_save(request):
    picked = forms.report_choice(request.GET, user=request.user, kind=PeriodKind.WEEK)
    if not access.is_lead_of(request.user, picked.organisation.pk):
        return HttpResponseForbidden()
    form = forms.WeeklyCommentaryForm(request.POST)
    if form.is_valid():
        services.weekly_commentary_save(
            organisation=picked.organisation, week=picked.period, author=request.user, **form.cleaned_data
        )
        messages.success(request, _("Commentary saved."))
    else:
        messages.error(
            request, _("The commentary was not saved: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect(f"{reverse('reports:weekly')}?{request.GET.urlencode()}#commentary")


def rollup_status(request):
    """The ops lead's job-status page: each store's last nightly rollup, failures, re-run."""
    organisations = [
        org
        for org in selectors.organisations_for(user=request.user)
        if access.is_lead_of(request.user, org.pk)
    ]
    if not organisations:
        raise Http404
    return render(
        request,
        "reports/rollup_status.html",
        {
            "boards": [
                selectors.rollup_status_get(organisation=organisation) for organisation in organisations
            ]
        },
    )


@require_POST
def rollup_rerun(request, run_id: int):
    run = get_object_or_404(RollupRun, pk=run_id)
    if not access.is_lead_of(request.user, run.organisation_id):
        raise Http404
    jobs.rollup_rerun(run=run, requested_by=request.user)
    messages.success(request, _("Rollup queued again."))
    return redirect("reports:rollup_status")


def period_report_export(request, kind_name: str):
    """The report as .xlsx or .csv: the same choice of organisation, period and stores as the page."""
    file_format = request.GET.get("format", "xlsx")
    if file_format not in ("xlsx", "csv"):
        raise Http404
    _picked, report = report_request(request, KINDS[kind_name])
    response = HttpResponse(
        exports.period_report_export(report=report, file_format=file_format),
        content_type=exports.CONTENT_TYPES[file_format],
    )
    file_name = exports.report_file_name(report=report, file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
