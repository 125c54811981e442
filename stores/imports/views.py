from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsdesk import queue
from stores import access, jobs, selectors
from stores.imports import services
from stores.imports.forms import ImportUploadForm
from stores.models import ImportBatch


def _batch_for_user_or_404(user, batch_id: int) -> ImportBatch:
    return get_object_or_404(access.import_batches_visible_to(user).select_related("store"), pk=batch_id)


def _process(batch: ImportBatch, *, dry_run: bool) -> None:
    """Small files inline; large ones in a background job while the page shows a progress bar."""
    if batch.size_bytes <= settings.IMPORT_INLINE_MAX_BYTES or not queue.redis_enabled():
        jobs.import_batch_process(batch.pk, dry_run)
        return
    jobs.import_batch_enqueue(batch, dry_run=dry_run)


def import_list(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error(
                "file",
                _("The file is larger than %(limit)s MB.")
                % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
            )
        else:
            batch = services.import_batch_create(
                content=upload.read(),
                file_name=upload.name,
                user=request.user,
                store=form.cleaned_data["store"],
            )
            _process(batch, dry_run=True)
            return redirect("imports:detail", batch_id=batch.pk)
    batches = access.import_batches_visible_to(request.user).select_related("store", "uploaded_by")[:50]
    return render(request, "imports/import_list.html", {"form": form, "batches": batches})


def import_detail(request, batch_id: int):
    batch = _batch_for_user_or_404(request.user, batch_id)
    return render(
        request,
        "imports/import_detail.html",
        {
            "batch": batch,
            "preview": selectors.import_summary(batch=batch),
            "can_apply": batch.status == ImportBatch.Status.PREVIEWED
            and batch.uploaded_by_id == request.user.pk,
            "can_retry": batch.status == ImportBatch.Status.FAILED
            and batch.uploaded_by_id == request.user.pk,
            "can_revert": batch.status == ImportBatch.Status.APPLIED
            and access.can_revert_import(request.user, batch),
        },
    )


def import_progress(request, batch_id: int):
    batch = _batch_for_user_or_404(request.user, batch_id)
    percent = cache.get(jobs.progress_key(batch.pk), batch.progress)
    return JsonResponse({"status": batch.status, "progress": percent})


@require_POST
def import_apply(request, batch_id: int):
    batch = _batch_for_user_or_404(request.user, batch_id)
    if batch.uploaded_by_id != request.user.pk or batch.status != ImportBatch.Status.PREVIEWED:
        raise PermissionDenied
    _process(batch, dry_run=False)
    return redirect("imports:detail", batch_id=batch.pk)


@require_POST
def import_retry(request, batch_id: int):
    """The uploader tries a failed import again: its kept file is checked anew."""
    batch = _batch_for_user_or_404(request.user, batch_id)
    if batch.uploaded_by_id != request.user.pk:
        raise PermissionDenied
    if services.import_batch_retry(batch=batch):
        batch.refresh_from_db()
        _process(batch, dry_run=True)
    return redirect("imports:detail", batch_id=batch.pk)


@require_POST
def import_revert(request, batch_id: int):
    batch = _batch_for_user_or_404(request.user, batch_id)
    if not access.can_revert_import(request.user, batch):
        raise PermissionDenied
    try:
        outcome = services.import_batch_revert(batch=batch, user=request.user)
    except services.ImportRefused as refused:
        messages.error(request, " ".join(refused.errors))
    else:
        messages.success(
            request,
            _("Import undone: %(restored)s values restored, %(kept)s left as later changes.")
            % {"restored": outcome.restored, "kept": len(outcome.kept)},
        )
    return redirect("imports:detail", batch_id=batch.pk)
