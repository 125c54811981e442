from django.urls import path

from reports import threshold_views, views

app_name = "reports"
urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/thresholds/<slug:slug>/", threshold_views.alert_thresholds, name="alert_thresholds"),
    path("reports/weekly/commentary/", views.weekly_commentary_save, name="weekly_commentary"),
    path("reports/jobs/", views.rollup_status, name="rollup_status"),
    path("reports/jobs/<int:run_id>/rerun/", views.rollup_rerun, name="rollup_rerun"),
]
for kind_name in views.KINDS:
    urlpatterns += [
        path(f"reports/{kind_name}/", views.period_report, {"kind_name": kind_name}, name=kind_name),
        path(
            f"reports/{kind_name}/export/",
            views.period_report_export,
            {"kind_name": kind_name},
            name=f"{kind_name}_export",
        ),
    ]
