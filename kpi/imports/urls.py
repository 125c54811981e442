"""Mounted at /kpi/targets/import/ inside app "kpi": reversed as "kpi:months_import"."""

from django.urls import path

from kpi.imports import views

urlpatterns = [
    path("", views.months_import, name="months_import"),
    path("apply/", views.months_import_apply, name="months_import_apply"),
]
