"""Downloading a store's plan (docs/targets.md#exports): open to whoever sees the store."""

from django.http import Http404, HttpResponse

from kpi import exports, selectors
from stores import access


def plan_export_view(request, slug: str, year: int, file_format: str):
    """The plan of store `slug` for financial year `year` as .json, .csv or .xlsx; 404 for a store the
    user does not see, a year without a plan or another format."""
    store = access.store_for_user_or_404(request.user, slug)
    if file_format not in exports.FORMATS:
        raise Http404("Unknown format.")
    plan = selectors.plan_get(store=store, year=year)
    if plan is None:
        raise Http404("No plan for this year.")
    content = exports.plan_export(plan=plan, file_format=file_format)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[file_format])
    file_name = exports.plan_file_name(plan=plan, file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
