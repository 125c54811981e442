from django.urls import include, path

from kpi import views

app_name = "kpi"
urlpatterns = [
    path("targets/", views.target_list, name="targets"),
    path("targets/import/", include("kpi.imports.urls")),
    path("targets/<slug:slug>/<int:year>/", views.plan_detail, name="plan"),
]
