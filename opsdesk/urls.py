from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from opsdesk import dashboard, views
from stores.account import views as account_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<slug:slug>/", dashboard.store_dashboard, name="store_dashboard"),
    path("login/", account_views.Login.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch must work on the login page too.
    path("i18n/setlang/", login_not_required(account_views.language_set), name="set_language"),
    path("account/", include("stores.account.urls")),
    path("team/", include("stores.team.urls")),
    path("organisation/", include("stores.organisation.urls")),
    path("stores/", include("stores.urls")),
    path("imports/", include("stores.imports.urls")),
    path("tasks/", include("tasks.urls")),
    path("kpi/", include("kpi.urls")),
    path("", include("reports.urls")),
    path("admin/django-rq/", include("django_rq.urls")),
    path("admin/", admin.site.urls),
]
