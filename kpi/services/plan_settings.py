"""The organisation's planning settings (docs/targets.md#the-plan): the month its financial year
starts in, set by its ops lead on the organisation's settings page (/organisation/).

A plan keeps the first month it was made with (SalesTarget.first_month and its days); what reads
the setting afresh follows a change at once: new plans, the current financial year of the targets
page and the months import, and the quarter and year of the pacing."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kpi.models import PlanSettings
from stores.models import Organisation
from stores.organisation.services import organisation_change_check


def plan_settings_update(*, organisation: Organisation, first_month: int, user) -> PlanSettings:
    """Only the organisation's ops lead (or a superuser), checked now."""
    organisation_change_check(organisation=organisation, user=user)
    if not 1 <= first_month <= 12:
        raise ValidationError(
            _("A financial year starts in a month 1–12, not %(month)s.") % {"month": first_month}
        )
    found, _created = PlanSettings.objects.update_or_create(
        organisation=organisation, defaults={"first_month": first_month}
    )
    return found
