from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/weekly/", views.weekly_report, name="weekly"),
]
