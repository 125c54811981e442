from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from opsdesk import dashboard, queue
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
@transaction.non_atomic_requests
def healthz(request):
    """For the load balancer and docker-compose (docs/jobs.md): the database and Redis, each on
    its own. Without its database the app is down (503); without Redis it is degraded (200):
    pages still render and jobs wait in the database until Redis is back."""
    health = {"database": "ok", "redis": "not used", "jobs_waiting": None, "oldest_job_seconds": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        waiting, oldest = queue.jobs_waiting()
        health["jobs_waiting"] = waiting
        health["oldest_job_seconds"] = int(oldest.total_seconds()) if oldest else None
    except DatabaseError:
        health["database"] = "down"
    if queue.redis_enabled():
        health["redis"] = "ok" if queue.redis_reachable() else "down"
    if health["database"] == "down":
        health["status"] = "down"
    else:
        health["status"] = "degraded" if health["redis"] == "down" else "ok"
    return JsonResponse(health, status=503 if health["status"] == "down" else 200)
