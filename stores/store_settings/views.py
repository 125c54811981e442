"""The ops lead's store pages: add a store, edit one (with its registered settings links), archive
and unarchive. Each page and POST answers 404 to anyone who may not manage the store; the services
check again at the moment of the write."""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stores import access
from stores.store_settings import registry, services
from stores.store_settings.forms import StoreForm


def _refused_as_404(error: PermissionDenied):
    """A role removed between the page and the write: the store is not the user's to manage."""
    raise Http404("No such store.") from error


def store_new(request):
    organisations = access.organisations_for_new_stores(request.user)
    if not organisations.exists():
        raise Http404("No organisation to add a store to.")
    form = StoreForm(request.POST or None, organisations=organisations)
    if form.is_bound and form.is_valid():
        try:
            store = services.store_create(
                user=request.user, organisation=form.organisation(), **form.details()
            )
        except PermissionDenied as error:
            _refused_as_404(error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The store “%(name)s” is added.") % {"name": store.name})
            return redirect("stores:edit", slug=store.slug)
    return render(request, "stores/store_form.html", {"form": form, "store": None})


def store_edit(request, slug: str):
    store = access.store_manageable_or_404(request.user, slug)
    form = StoreForm(request.POST or None, instance=copy.copy(store))
    if form.is_bound and form.is_valid():
        try:
            store = services.store_update(user=request.user, store=store, **form.details())
        except PermissionDenied as error:
            _refused_as_404(error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The store “%(name)s” is saved.") % {"name": store.name})
            return redirect("stores:edit", slug=store.slug)
    return render(
        request,
        "stores/store_form.html",
        {
            "form": form,
            "store": store,
            "settings_links": registry.settings_links_for(user=request.user, store=store),
        },
    )


@require_POST
def store_archive(request, slug: str):
    store = access.store_manageable_or_404(request.user, slug)
    try:
        services.store_archive(user=request.user, store=store)
    except PermissionDenied as error:
        _refused_as_404(error)
    messages.success(
        request,
        _("“%(name)s” is archived: off the dashboard and the checklists; its history stays in the reports.")
        % {"name": store.name},
    )
    return redirect("stores:list")


@require_POST
def store_unarchive(request, slug: str):
    store = access.store_manageable_or_404(request.user, slug)
    try:
        services.store_unarchive(user=request.user, store=store)
    except PermissionDenied as error:
        _refused_as_404(error)
    messages.success(request, _("“%(name)s” is active again.") % {"name": store.name})
    return redirect("stores:edit", slug=store.slug)
