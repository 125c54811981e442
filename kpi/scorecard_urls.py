"""The KPI scorecard pages under /kpi/ (included by kpi.urls, so their names are "kpi:…")."""

from django.urls import path

from kpi import scorecard_views as views
from kpi import template_views

urlpatterns = [
    path("", views.team_scores, name="scores"),
    path("export/", views.scores_export, name="scores_export"),
    path("scorecards.css", views.scores_css, name="scores_css"),
    path("months/close/", views.month_close_view, name="month_close"),
    path("months/reopen/", views.month_reopen_view, name="month_reopen"),
    path("manual/", views.manual_scores, name="manual_scores"),
    path("templates/<str:role>/", template_views.kpi_template_edit, name="kpi_template"),
    path("people/<str:username>/", views.person_scores, name="person"),
    path("people/<str:username>/export/", views.person_export, name="person_export"),
]
