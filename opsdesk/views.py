from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from opsdesk import dashboard
from stores import access
from stores.access import Home


@transaction.non_atomic_requests  # dispatches to read-only pages
def home(request):
    """The page a user starts from, by their role (see stores.access.home_for)."""
    destination = access.home_for(request.user)
    if destination == Home.DASHBOARD:
        return dashboard.dashboard(request)
    if destination == Home.WEEKLY_REPORT:
        return redirect("reports:weekly")
    if destination == Home.CHECKLIST:
        return redirect("tasks:checklist")
    return render(request, "home/no_role.html")


@login_not_required
@never_cache
def healthz(request):
    """For the load balancer and docker-compose: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
