from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsdesk.sections import PageView, sections_render
from reports import charts, exports, forms, jobs, selectors, services
from reports.models import Alert, RollupRun
from stores import access, periods
from stores import selectors as store_selectors
from stores.periods import PeriodKind
from stores.web import redirect_to_next

ALERT_PAGE = 200
# The per-store table's columns (the headline cards are selectors.HEADLINE_CODES).
TABLE_CODES = ("gmv", "uv", "conversion", "aov", "paid_buyers", "refund_rate", "ad_spend", "roi", "dsr_item")
KINDS = {"daily": PeriodKind.DAY, "weekly": PeriodKind.WEEK, "monthly": PeriodKind.MONTH}
PICKER_INPUT = {PeriodKind.DAY: "date", PeriodKind.WEEK: "week", PeriodKind.MONTH: "month"}


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
            "acknowledgeable": _acknowledgeable(request.user, stores),
        },
    )


def _acknowledgeable(user, stores) -> set[int]:
    """The stores whose alerts the user may acknowledge: those whose numbers they look after."""
    return access.store_ids_writable(user, stores)


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
            "sections": sections_render(
                page="period_report",
                view=PageView(
                    request=request,
                    stores=report.selection.stores,
                    day=periods.yesterday(),
                    today=periods.today(),
                    report=report,
                ),
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
    if request.GET.get("org") and request.GET["org"] != picked.organisation.slug:
        # An organisation not seen: a write never falls back to the user's own one, as a page does.
        raise Http404("No such organisation.")
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
            ],
            "attempts": jobs.ATTEMPTS,
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
