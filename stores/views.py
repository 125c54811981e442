import datetime as dt

from django.contrib import messages as django_messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stores import access, exports, metrics, periods, selectors, services
from stores.forms import DailyEntryForm
from stores.models import DailyMetric, Store
from stores.store_settings import selectors as store_settings_selectors

DAYS_SHOWN = 30


def store_list(request):
    """Every store the user sees; for the ops lead, an add link, an edit link per store and the
    archived stores apart (stores/store_settings/)."""
    listing = store_settings_selectors.store_listing(user=request.user)
    return render(request, "stores/store_list.html", {"listing": listing, "stores": listing.active})


def store_detail(request, slug: str):
    store = access.store_for_user_or_404(request.user, slug)
    last_day = periods.yesterday()
    rows = selectors.daily_metric_rows(
        store=store, date_from=last_day - dt.timedelta(days=DAYS_SHOWN - 1), date_to=last_day
    )
    columns = [metrics.BY_CODE[code] for code in selectors.DAILY_TABLE_CODES]
    return render(
        request,
        "stores/store_detail.html",
        {
            "store": store,
            "rows": rows,
            "columns": columns,
            "days_shown": DAYS_SHOWN,
            # Dates link to their entry page for those who may enter numbers.
            "entry_store": store if access.can_enter_metrics(request.user, store) else None,
            "can_manage": access.can_manage_stores(request.user, store.organisation_id),
        },
    )


def daily_entry(request, slug: str, date: str | None = None):
    """Enter or correct one store-day; hard errors block, warnings need a confirmation."""
    store = access.store_for_entry_or_404(request.user, slug)
    day = periods.parse_day_or_404(date) if date else periods.yesterday()
    if day > periods.last_recordable_day():
        raise Http404("This day has not happened yet.")
    existing = DailyMetric.objects.filter(store=store, date=day).first()
    stored_values = existing.recorded() if existing else {}
    form = DailyEntryForm(
        request.POST if request.method == "POST" else None,
        initial={code: _as_input(code, value) for code, value in stored_values.items()},
        store=store,
        date=day,
        stored_values=stored_values,
    )
    if form.is_bound and form.ready_to_save:
        outcome = services.daily_metric_enter(
            store_id=store.pk, date=day, values=form.submitted_values(), user=request.user
        )
        message = _("Saved: %(count)s values changed.") % {"count": outcome.values_written}
        django_messages.success(request, message)
        return redirect("stores:entry_day", slug=store.slug, date=day.isoformat())
    return render(
        request,
        "stores/daily_entry.html",
        {
            "store": store,
            "day": day,
            "form": form,
            "warnings": form.warnings,
            "derived_formulas": selectors.derived_formulas(),
            "revisions": selectors.metric_revisions(store=store, date=day),
            "row": existing,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1) if day < periods.yesterday() else None,
        },
    )


def _as_input(code: str, value) -> str:
    """A stored value as the form shows it: plain digits, no thousands separators."""
    return "" if value is None else str(value.normalize() if code.startswith("dsr_") else value)


def store_export(request, slug: str):
    """The store's raw daily numbers as a re-importable file (?format=csv|xlsx&from=&to=&lang=zh|en)."""
    store = access.store_for_user_or_404(request.user, slug)
    file_format = request.GET.get("format", "xlsx")
    lang = request.GET.get("lang", "zh")
    if file_format not in exports.FORMATS or lang not in ("zh", "en"):
        raise Http404("Unknown format.")
    date_from = periods.parse_day_or_404(request.GET["from"]) if request.GET.get("from") else None
    date_to = periods.parse_day_or_404(request.GET["to"]) if request.GET.get("to") else None
    content = exports.daily_metrics_export(
        stores=Store.objects.filter(pk=store.pk),
        date_from=date_from,
        date_to=date_to,
        lang=lang,
        file_format=file_format,
    )
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{store.slug}-daily.{file_format}"'
    return response
