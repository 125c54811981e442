"""The reports app's section of the organisation's settings page (stores.organisation.sections):
the weekly report email, on or off, who gets it besides the bosses and ops leads, and its time on
Monday. Registered in ReportsConfig.ready(); saved through reports.emails.weekly_email_settings_update."""

import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import emails
from stores.models import Organisation
from stores.organisation.sections import OrganisationSection, Shown, organisation_section_register

CODE = "weekly-email"
# The weekly email is sent by a job every 15 minutes on Monday (reports.jobs.weekly_report_emails_due).
SEND_TIMES = [dt.time(hour, minute) for hour in range(24) for minute in (0, 15, 30, 45)]


def _time_shown(time: dt.time) -> str:
    return time.strftime("%H:%M")


class WeeklyEmailForm(forms.Form):
    enabled = forms.BooleanField(label=gettext_lazy("Send the weekly report email"), required=False)
    extra_recipients = forms.CharField(
        label=gettext_lazy("Other recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
    )
    send_time = forms.TypedChoiceField(
        label=gettext_lazy("Send time on Monday"), coerce=dt.time.fromisoformat, empty_value=None
    )

    def __init__(self, data=None, *, organisation: Organisation):
        found = emails.weekly_email_settings_get(organisation=organisation)
        times = sorted({*SEND_TIMES, found.send_time})  # a time set in the admin stays offered
        super().__init__(
            data,
            initial={
                "enabled": found.enabled,
                "extra_recipients": "\n".join(found.extra_recipients),
                "send_time": _time_shown(found.send_time),
            },
        )
        self.fields["send_time"].choices = [(_time_shown(time), _time_shown(time)) for time in times]
        self.fields["send_time"].help_text = _(
            "%(zone)s time. The report of the week before goes at this time, or within 15 minutes of it."
        ) % {"zone": settings.TIME_ZONE}
        people = emails.weekly_report_people(organisation=organisation)
        self.fields["extra_recipients"].help_text = _(
            "It always goes to the organisation's active bosses and operations leads who have an email "
            "address (now: %(people)s). Other addresses here, one per line."
        ) % {"people": ", ".join(people) if people else _("nobody has one")}

    def clean_extra_recipients(self) -> list[str]:
        return emails.addresses_parse(self.cleaned_data["extra_recipients"])


def weekly_email_form(organisation: Organisation, data=None) -> WeeklyEmailForm:
    return WeeklyEmailForm(data, organisation=organisation)


def weekly_email_save(form: WeeklyEmailForm, *, organisation: Organisation, user) -> None:
    emails.weekly_email_settings_update(organisation=organisation, user=user, **form.cleaned_data)


def weekly_email_shown(organisation: Organisation) -> list[Shown]:
    found = emails.weekly_email_settings_get(organisation=organisation)
    if not found.enabled:
        return [Shown(_("Weekly report email"), _("Off"))]
    recipients = emails.weekly_report_recipients(organisation=organisation)
    return [
        Shown(_("Weekly report email"), _("On")),
        Shown(
            _("Recipients"), ", ".join(recipients) if recipients else _("Nobody has an email address yet.")
        ),
        Shown(
            _("Send time"),
            _("Monday %(time)s (%(zone)s)")
            % {"time": _time_shown(found.send_time), "zone": settings.TIME_ZONE},
        ),
    ]


def section_register() -> None:
    organisation_section_register(
        OrganisationSection(
            code=CODE,
            title=gettext_lazy("Weekly report email"),
            order=20,
            form=weekly_email_form,
            save=weekly_email_save,
            shown=weekly_email_shown,
            description=gettext_lazy(
                "Every Monday, the last complete week's report (with its .xlsx) by email, once a week."
            ),
            saved=gettext_lazy("The weekly email settings are saved."),
        )
    )
