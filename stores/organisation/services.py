"""The writes of the organisation's settings page that belong to stores: the organisation itself.

Each write checks, at the moment of the write, that `user` leads the organisation (or is a
superuser): the page's check, when it was shown, is not enough."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from stores import access
from stores.models import Organisation


def organisation_change_check(*, organisation: Organisation, user) -> None:
    """PermissionDenied unless `user` may change the organisation's settings: its ops lead, or a
    superuser. Every app's service of the settings page asks this."""
    if not access.runs_organisation(user, organisation.pk):
        raise PermissionDenied("Only the organisation's ops lead changes its settings.")


def organisation_update(*, organisation: Organisation, default_language: str, user) -> Organisation:
    """The language people added from now on start in (their own choice, once made, stays)."""
    organisation_change_check(organisation=organisation, user=user)
    if default_language not in dict(settings.LANGUAGES):
        raise ValidationError(
            _("%(language)s is not a language of OpsDesk.") % {"language": default_language}
        )
    if organisation.default_language != default_language:
        organisation.default_language = default_language
        organisation.save(update_fields=["default_language"])
    return organisation
