from django.urls import include, path

from kpi import export_views, views

app_name = "kpi"
urlpatterns = [
    path("", include("kpi.scorecard_urls")),
    path("targets/", views.target_list, name="targets"),
    path("targets/import/", include("kpi.imports.urls")),
    path("targets/<slug:slug>/<int:year>/", views.plan_detail, name="plan"),
    path(
        "targets/<slug:slug>/<int:year>/export.<str:file_format>",
        export_views.plan_export_view,
        name="plan_export",
    ),
]
