from django.shortcuts import render

from stores import metrics, periods, selectors

# The morning view's columns (the dashboard issue adds comparisons, pacing and alerts).
OVERVIEW_CODES = ("gmv", "uv", "conversion", "aov", "refund_rate", "ad_spend", "roi", "dsr_item")


def dashboard(request):
    day = periods.yesterday()
    stores = selectors.store_list(user=request.user)
    return render(
        request,
        "reports/dashboard.html",
        {
            "day": day,
            "rows": selectors.day_overview(stores=stores, date=day),
            "columns": [metrics.BY_CODE[code] for code in OVERVIEW_CODES],
        },
    )


def weekly_report(request):
    return render(request, "reports/weekly_report.html", {"stores": selectors.store_list(user=request.user)})
