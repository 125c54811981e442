"""A store's alert thresholds page (/alerts/thresholds/<slug>/): the ops lead's, linked from the
store's edit page (stores.store_settings.registry, registered in reports/apps.py). Anyone who may
not manage the store gets 404, on the page and on a POST."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import thresholds
from reports.threshold_forms import AlertThresholdsForm
from stores import access
from stores.store_settings.registry import SettingsLink, settings_link_register


def alert_thresholds(request, slug: str):
    store = access.store_manageable_or_404(request.user, slug)
    form = AlertThresholdsForm(request.POST or None, rows=thresholds.store_thresholds_get(store=store))
    if form.is_bound and form.is_valid():
        try:
            changed = thresholds.alert_thresholds_save(
                store=store, thresholds=form.settings(), user=request.user
            )
        except PermissionDenied as error:
            raise Http404("No such store.") from error
        except ValidationError as error:
            for name, refusals in error.message_dict.items():
                form.add_error(name if name in form.fields else None, refusals)
        else:
            messages.success(
                request,
                _("Alert thresholds saved: %(count)s changed.") % {"count": len(changed)}
                if changed
                else _("Nothing changed."),
            )
            return redirect("reports:alert_thresholds", slug=store.slug)
    return render(request, "reports/alert_thresholds.html", {"store": store, "form": form})


def store_settings_register() -> None:
    """The store's edit page links this page, for whoever may open it (reports/apps.py)."""
    settings_link_register(
        SettingsLink(
            code="alert_thresholds",
            title=gettext_lazy("Alert thresholds and daily ad-spend cap"),
            description=gettext_lazy("The store's own limits for its alerts, the defaults, or a rule off."),
            allowed=lambda user, store: access.can_manage_stores(user, store.organisation_id),
            url_name="reports:alert_thresholds",
        )
    )
