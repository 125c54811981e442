"""The weekly report by email: every Monday, last week's report to each organisation's boss and ops lead.

Plain text and HTML body plus the report's .xlsx, in the site's language (Chinese), whatever
language the job happens to run in. The WeeklyEmail row is the guard: an organisation gets a
week's report once, however often the job runs.

Each organisation's settings (WeeklyEmailSettings, set by its ops lead on /organisation/): the
email on or off, other addresses besides its bosses and ops leads, and the time on Monday it goes
(reports.jobs.weekly_report_emails_due sends those whose time has come).
"""

import datetime as dt
import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from reports import exports, selectors
from reports.models import WEEKLY_EMAIL_TIME, WeeklyEmail, WeeklyEmailSettings
from reports.selectors import PeriodReport, ReportRow
from stores import metrics
from stores.models import Organisation, OrgMembership, OrgRole
from stores.organisation.services import organisation_change_check
from stores.periods import Period, PeriodKind

EXTRA_RECIPIENTS_MAX = 50
# What separates the addresses typed in: new lines, and commas, semicolons or spaces as pasted.
ADDRESS_SEPARATORS = re.compile(r"[\s,;，；]+")

# The per-store table of the email: what fits on a phone screen, GMV first.
TABLE_CODES = ("gmv", "uv", "conversion", "aov", "refund_rate", "ad_spend", "roi")
# Inline colours: mail clients drop stylesheets. Good / bad follow the metric's direction.
TONE_COLOURS = {"good": "#1a7f37", "bad": "#cf222e", "flat": "#57606a", "none": "#57606a"}


def weekly_report_people(*, organisation: Organisation) -> list[str]:
    """The e-mail addresses of the organisation's active bosses and ops leads (the people who
    read the whole organisation's report); users without an address are left out."""
    addresses = OrgMembership.objects.filter(
        organisation=organisation,
        role__in=[OrgRole.BOSS, OrgRole.LEAD],
        user__is_active=True,
    ).exclude(user__email="")
    return sorted(set(addresses.values_list("user__email", flat=True)))


def weekly_report_recipients(*, organisation: Organisation) -> list[str]:
    """Who gets the weekly email: the active bosses and ops leads with an address, and the other
    addresses of the organisation's settings; each address once (whatever its case), sorted."""
    found = weekly_email_settings_get(organisation=organisation)
    return addresses_unique([*weekly_report_people(organisation=organisation), *found.extra_recipients])


def addresses_unique(addresses: Iterable[str]) -> list[str]:
    """Each address once, compared without case (the first spelling kept), sorted."""
    unique: dict[str, str] = {}
    for address in addresses:
        unique.setdefault(address.strip().lower(), address.strip())
    return sorted((address for key, address in unique.items() if key), key=str.lower)


def weekly_email_settings_get(*, organisation: Organisation) -> WeeklyEmailSettings:
    """The organisation's weekly email settings, or the defaults (on, nobody else, 09:00), unsaved."""
    found = WeeklyEmailSettings.objects.filter(organisation=organisation).first()
    return found or WeeklyEmailSettings(organisation=organisation)


def addresses_parse(text: str) -> list[str]:
    """The addresses typed in (one per line; commas, semicolons and spaces also separate them),
    each once, in the order typed. ValidationError naming every one that is not an address."""
    typed = [address for address in ADDRESS_SEPARATORS.split(text or "") if address]
    return addresses_check(typed)


def addresses_check(addresses: Iterable[str]) -> list[str]:
    unique: dict[str, str] = {}
    bad = []
    for address in addresses:
        address = address.strip()
        try:
            validate_email(address)
        except ValidationError:
            bad.append(address)
            continue
        unique.setdefault(address.lower(), address)
    if bad:
        raise ValidationError(
            [
                ValidationError(
                    _("“%(address)s” is not an email address."), code="invalid", params={"address": address}
                )
                for address in bad
            ]
        )
    if len(unique) > EXTRA_RECIPIENTS_MAX:
        raise ValidationError(
            _("At most %(count)s other recipients."), code="too_many", params={"count": EXTRA_RECIPIENTS_MAX}
        )
    return list(unique.values())


def weekly_email_settings_update(
    *,
    organisation: Organisation,
    enabled: bool,
    extra_recipients: Iterable[str],
    send_time: dt.time,
    user,
) -> WeeklyEmailSettings:
    """The organisation's weekly email: on or off, the other addresses it goes to, and its time on
    Monday. Only its ops lead (or a superuser), checked now; ValidationError naming any address
    that is not one. A week already sent is not sent again, whatever changes."""
    organisation_change_check(organisation=organisation, user=user)
    addresses = addresses_check(extra_recipients)
    found, _created = WeeklyEmailSettings.objects.update_or_create(
        organisation=organisation,
        defaults={
            "enabled": enabled,
            "extra_recipients": addresses,
            "send_time": send_time.replace(second=0, microsecond=0),
            "updated_by": user,
        },
    )
    return found


def organisations_due(*, week: Period, at: dt.time) -> list[Organisation]:
    """The organisations whose email of `week` is due at `at` (the local time on the Monday after
    it): on, their send time come, with a store, and not sent for that week yet."""
    come = Q(weekly_email_settings__send_time__lte=at)
    if WEEKLY_EMAIL_TIME <= at:
        come |= Q(weekly_email_settings__isnull=True)
    return list(
        Organisation.objects.filter(come, stores__isnull=False)
        .exclude(weekly_email_settings__enabled=False)
        .exclude(weekly_emails__week_start=week.start)
        .distinct()
        .order_by("pk")
    )


def weekly_report_email_send(*, organisation: Organisation, week: Period) -> WeeklyEmail | None:
    """Send `week`'s report of `organisation` to its boss(es) and ops lead(s), once.

    Returns the WeeklyEmail record of the sending, or None when nothing was sent: the email is
    switched off, already sent for this week, no store to report on, or nobody to send it to
    (then a later run, after someone adds an address, still sends it). A failed send raises and
    leaves no record, so the job's retry sends it.
    """
    if week.kind is not PeriodKind.WEEK:
        raise ValueError(f"A weekly report email needs a week, not a {week.kind}.")
    if not weekly_email_settings_get(organisation=organisation).enabled:
        return None
    recipients = weekly_report_recipients(organisation=organisation)
    if not recipients or not organisation.stores.exists():
        return None
    if WeeklyEmail.objects.filter(organisation=organisation, week_start=week.start).exists():
        return None
    with translation.override(settings.LANGUAGE_CODE):
        message = weekly_report_message(organisation=organisation, week=week, recipients=recipients)
    # The row and the sending share one transaction: a concurrent run waits on the row's unique
    # constraint and then finds it; a failed send rolls the row back. (Should the commit itself
    # fail after a successful send, the next run sends again: twice beats never.)
    with transaction.atomic():
        record, created = WeeklyEmail.objects.get_or_create(
            organisation=organisation, week_start=week.start, defaults={"recipients": recipients}
        )
        if not created:
            return None
        message.send()
    return record


def weekly_report_message(
    *, organisation: Organisation, week: Period, recipients: list[str]
) -> EmailMultiAlternatives:
    """The email, in the active language: subject, plain text, HTML and the .xlsx attached."""
    selection = selectors.organisation_selection(organisation=organisation)
    report = selectors.period_report_get(selection=selection, period=week)
    context = weekly_report_context(report)
    message = EmailMultiAlternatives(
        subject=_("Weekly report %(week)s: %(organisation)s")
        % {"week": week.label, "organisation": organisation.name},
        body=render_to_string("reports/email/weekly_report.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    message.attach_alternative(render_to_string("reports/email/weekly_report.html", context), "text/html")
    message.attach(
        exports.report_file_name(report=report, file_format="xlsx"),
        exports.period_report_xlsx(report=report),
        exports.CONTENT_TYPES["xlsx"],
    )
    return message


def weekly_report_context(report: PeriodReport) -> dict:
    """What the templates show, worked out here so they only lay it out."""
    return {
        "report": report,
        "organisation": report.selection.organisation,
        "headlines": [_headline(report.total, code) for code in selectors.HEADLINE_CODES],
        "decomposition": report.decomposition.sentence() if report.decomposition else None,
        "decomposition_last_year": (
            report.decomposition_last_year.sentence() if report.decomposition_last_year else None
        ),
        # Other apps' columns (reports.row_figures: kpi's target and 达成率) after the report's own.
        "columns": [
            *(metrics.BY_CODE[code].label for code in TABLE_CODES),
            *(column.label for column in report.figure_columns),
        ],
        "store_rows": [_table_row(row, _("Total")) for row in [*report.rows, report.total]],
        "commentary": report.commentary if report.commentary and not report.commentary.is_empty else None,
        "partial": report.comparison.partial,
    }


def _headline(row: ReportRow, code: str) -> dict:
    return {
        "label": metrics.BY_CODE[code].label,
        "value": metrics.display(code, row.current.get(code)),
        "vs_previous": _change_coloured(code, row.current.get(code), row.previous.get(code)),
        "vs_last_year": _change_coloured(code, row.current.get(code), row.last_year.get(code)),
    }


def _table_row(row: ReportRow, total_label: str) -> dict:
    return {
        "name": row.store.name if row.store else total_label,
        "is_total": row.store is None,
        "values": [
            *(metrics.display(code, row.current.get(code)) for code in TABLE_CODES),
            *(cell.shown for cell in row.figure_cells),
        ],
        "gmv_vs_previous": _change_coloured("gmv", row.current.get("gmv"), row.previous.get("gmv")),
        "gmv_vs_last_year": _change_coloured("gmv", row.current.get("gmv"), row.last_year.get("gmv")),
    }


def _change_coloured(code: str, now: object, before: object) -> dict:
    """A 环比 / 同比 for the email: its text, and a colour inline (mail clients drop stylesheets)."""
    change = selectors.change_shown(code, now, before)
    return {"text": change.text, "colour": TONE_COLOURS[change.tone]}
