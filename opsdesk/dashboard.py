"""The morning dashboard and a store's dashboard: pages composed of the sections each app
registers (opsdesk.sections), for the stores the user sees, about yesterday."""

from django.db import transaction
from django.shortcuts import render

from opsdesk.sections import PageView, sections_render
from stores import access, periods
from stores import selectors as store_selectors


@transaction.non_atomic_requests  # it only reads: no transaction to open and close
def dashboard(request):
    """The ops lead's morning page: yesterday, every store, what needs attention first."""
    view = PageView(
        request=request,
        # An archived store has left the dashboard (its history stays in the reports).
        stores=list(store_selectors.store_list(user=request.user).filter(active=True)),
        day=periods.yesterday(),
        today=periods.today(),
    )
    sections = sections_render(page="dashboard", view=view)
    return render(request, "dashboard/dashboard.html", {"day": view.day, "sections": sections})


@transaction.non_atomic_requests
def store_dashboard(request, slug: str):
    """One store: its card, its alerts, its last 30 days."""
    store = access.store_for_user_or_404(request.user, slug)
    view = PageView(request=request, stores=[store], day=periods.yesterday(), today=periods.today())
    sections = sections_render(page="store_dashboard", view=view)
    return render(
        request, "dashboard/store_dashboard.html", {"store": store, "day": view.day, "sections": sections}
    )
