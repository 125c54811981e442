"""The months import pages (docs/targets.md#import): upload and preview, then apply. For the ops
leads (and superusers); others get 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kpi.imports import pending, services
from kpi.imports.forms import MonthsImportForm
from stores import access

TEMPLATE = "kpi/imports/months_import.html"


def _lead_or_404(user) -> None:
    if not access.leads_an_organisation(user):
        raise Http404("Only the operations lead imports targets.")


def months_import(request):
    """GET: the upload form. POST: the file checked against the plans, nothing saved."""
    _lead_or_404(request.user)
    form = MonthsImportForm(request.POST or None, request.FILES or None)
    preview = token = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        preview = services.months_import_preview(
            content=content, file_name=upload.name, user=request.user, year=form.cleaned_data["year"]
        )
        if preview.ok and preview.changed:
            token = pending.pending_import_sign(preview=preview, content=content, user=request.user)
    return render(request, TEMPLATE, {"form": form, "preview": preview, "token": token})


@require_POST
def months_import_apply(request):
    """Apply the previewed file: all of it or nothing."""
    _lead_or_404(request.user)
    try:
        held = pending.pending_import_read(token=request.POST.get("token", ""))
        if held.user_id != request.user.pk:
            raise PermissionDenied
        changes = services.months_import_apply(
            content=held.content,
            file_name=held.file_name,
            year=held.year,
            versions=held.versions,
            user=request.user,
        )
    except services.MonthsImportRefused as refused:
        context = {"form": MonthsImportForm(), "refused": refused.errors, "conflict": refused.conflict}
        return render(request, TEMPLATE, context)
    messages.success(
        request,
        ngettext(
            "%(file)s imported: %(count)s plan changed.",
            "%(file)s imported: %(count)s plans changed.",
            len(changes),
        )
        % {"file": held.file_name, "count": len(changes)},
    )
    return redirect("kpi:months_import")
