import datetime as dt

from django.shortcuts import render

from stores import access, metrics, periods, selectors

DAYS_SHOWN = 30


def store_list(request):
    stores = selectors.store_list(user=request.user)
    return render(request, "stores/store_list.html", {"stores": stores})


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
        {"store": store, "rows": rows, "columns": columns, "days_shown": DAYS_SHOWN},
    )
