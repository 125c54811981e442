"""The weekly email's settings (the organisation's settings page, reports' section): other
recipients besides the bosses and ops leads, the switch to turn it off, and each organisation's
send time on Monday, honoured by the job that runs every 15 minutes."""

import datetime as dt

import pytest
from croniter import croniter
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import emails, jobs, services
from reports.models import WeeklyEmail, WeeklyEmailSettings
from stores import periods
from stores.models import Organisation, Store
from stores.periods import PeriodKind
from tests.factories import DailyMetricFactory

WEEK = periods.period_parse(PeriodKind.WEEK, "2026-W45")  # 2 – 8 November 2026
MONDAY = dt.date(2026, 11, 9)  # the Monday after it
SAVE = reverse("organisation_section_save", kwargs={"slug": "acme", "code": "weekly-email"})


def _at(hour: int, minute: int, day: dt.date = MONDAY) -> str:
    """A moment in Asia/Shanghai, as the job's `now` (ISO, with its offset)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute))).isoformat()


@pytest.fixture
def acme(personas):
    """Store A has numbers in W45; the boss and the lead have addresses."""
    DailyMetricFactory(store=personas.store_a, date=dt.date(2026, 11, 3))
    services.rollups_rebuild(stores=Store.objects.all())
    for user, address in ((personas.boss, "boss@acme.example"), (personas.lead, "lead@acme.example")):
        user.email = address
        user.save()
    return personas


def _settings(organisation, **values) -> WeeklyEmailSettings:
    return WeeklyEmailSettings.objects.create(organisation=organisation, **values)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _run_due(now: str, django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return jobs.weekly_report_emails_due(now)


def _sent_to(organisation_name: str) -> list[list[str]]:
    return [message.to for message in mail.outbox if organisation_name in message.subject]


# --- Who gets it ------------------------------------------------------------------------------------


def test_other_recipients_go_out_in_the_email_each_address_once(acme):
    _settings(
        acme.acme, extra_recipients=["finance@acme.example", "Boss@Acme.example", "ceo@holding.example"]
    )
    assert emails.weekly_report_recipients(organisation=acme.acme) == [
        "boss@acme.example",
        "ceo@holding.example",
        "finance@acme.example",
        "lead@acme.example",
    ]
    record = emails.weekly_report_email_send(organisation=acme.acme, week=WEEK)
    (message,) = mail.outbox
    assert message.to == [
        "boss@acme.example",
        "ceo@holding.example",
        "finance@acme.example",
        "lead@acme.example",
    ]
    assert record.recipients == message.to


def test_other_recipients_alone_are_enough_to_send(personas):
    assert personas.boss.email == "" and personas.lead.email == ""
    _settings(personas.acme, extra_recipients=["finance@acme.example"])
    assert emails.weekly_report_email_send(organisation=personas.acme, week=WEEK) is not None
    assert mail.outbox[0].to == ["finance@acme.example"]


def test_switched_off_sends_nothing_and_records_nothing(
    acme, jobs_in_process, django_capture_on_commit_callbacks
):
    _settings(acme.acme, enabled=False, extra_recipients=["finance@acme.example"])
    assert emails.weekly_report_email_send(organisation=acme.acme, week=WEEK) is None
    assert _run_due(_at(9, 5), django_capture_on_commit_callbacks) == 0
    with django_capture_on_commit_callbacks(execute=True):
        jobs.weekly_report_emails_send("2026-W45")  # by hand, too
    assert _sent_to("Acme") == []
    assert not WeeklyEmail.objects.filter(organisation=acme.acme).exists()
    # Switched on again the same Monday, the next run sends it.
    WeeklyEmailSettings.objects.filter(organisation=acme.acme).update(enabled=True)
    assert _run_due(_at(9, 15), django_capture_on_commit_callbacks) == 1
    assert len(_sent_to("Acme")) == 1


# --- When it goes -----------------------------------------------------------------------------------


def test_the_job_waits_for_the_send_time_and_sends_once(
    acme, jobs_in_process, django_capture_on_commit_callbacks
):
    _settings(acme.acme, send_time=dt.time(9, 0))
    assert _run_due(_at(8, 45), django_capture_on_commit_callbacks) == 0
    assert _sent_to("Acme") == []
    assert _run_due(_at(9, 5), django_capture_on_commit_callbacks) == 1
    assert _sent_to("Acme") == [["boss@acme.example", "lead@acme.example"]]
    assert WeeklyEmail.objects.get(organisation=acme.acme).week_start == WEEK.start
    # Every later run of the day, and a run again at the same moment, sends nothing twice.
    for moment in (_at(9, 5), _at(9, 15), _at(23, 45)):
        assert _run_due(moment, django_capture_on_commit_callbacks) == 0
    assert len(_sent_to("Acme")) == 1


def test_without_settings_the_email_goes_at_nine(acme, jobs_in_process, django_capture_on_commit_callbacks):
    assert not WeeklyEmailSettings.objects.exists()
    assert _run_due(_at(8, 45), django_capture_on_commit_callbacks) == 0
    assert _run_due(_at(9, 0), django_capture_on_commit_callbacks) == 1
    assert len(_sent_to("Acme")) == 1


def test_each_organisation_at_its_own_time(acme, jobs_in_process, django_capture_on_commit_callbacks):
    acme.stranger.email = "stranger@other.example"
    acme.stranger.save()
    _settings(acme.acme, send_time=dt.time(7, 30))
    _settings(Organisation.objects.get(slug="other"), send_time=dt.time(10, 30))
    assert _run_due(_at(7, 30), django_capture_on_commit_callbacks) == 1
    assert (len(_sent_to("Acme")), len(_sent_to("Other Co"))) == (1, 0)
    assert _run_due(_at(10, 15), django_capture_on_commit_callbacks) == 0
    assert _run_due(_at(10, 30), django_capture_on_commit_callbacks) == 1
    assert (len(_sent_to("Acme")), len(_sent_to("Other Co"))) == (1, 1)


def test_monday_in_shanghai_not_in_utc(acme, jobs_in_process, django_capture_on_commit_callbacks):
    """Monday 00:00 in Shanghai is Sunday 16:00 UTC; Monday 20:00 UTC is already Tuesday there."""
    _settings(acme.acme, send_time=dt.time(0, 0))
    assert _run_due("2026-11-08T15:45:00+00:00", django_capture_on_commit_callbacks) == 0  # Sunday 23:45
    assert _run_due("2026-11-08T16:00:00+00:00", django_capture_on_commit_callbacks) == 1
    assert len(_sent_to("Acme")) == 1
    WeeklyEmail.objects.all().delete()
    assert _run_due("2026-11-09T20:00:00+00:00", django_capture_on_commit_callbacks) == 0  # Tuesday 04:00
    assert len(_sent_to("Acme")) == 1


def test_a_late_send_time_goes_with_the_last_run_of_monday(
    acme, jobs_in_process, django_capture_on_commit_callbacks
):
    """A time between the job's runs (set in the admin) goes with the run after it, the last one
    of the day included."""
    _settings(acme.acme, send_time=dt.time(23, 50))
    assert _run_due(_at(23, 30), django_capture_on_commit_callbacks) == 0
    assert _run_due(_at(23, 45), django_capture_on_commit_callbacks) == 1
    assert len(_sent_to("Acme")) == 1


def test_nobody_to_send_to_is_not_queued(personas, jobs_in_process, django_capture_on_commit_callbacks):
    assert _run_due(_at(9, 0), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_cron_holds_every_quarter_hour_of_monday_in_shanghai():
    cron = "*/15 * * * 0,1"
    start = timezone.make_aware(dt.datetime.combine(MONDAY, dt.time(0, 0)))
    for quarter in range(96):
        moment = (start + dt.timedelta(minutes=15 * quarter)).astimezone(dt.UTC)
        assert croniter.match(cron, moment.replace(tzinfo=None)), moment


# --- The section of the organisation's settings page ----------------------------------------------


def test_the_lead_saves_the_settings_on_the_page(acme):
    client = _client(acme.lead)
    page = client.get(reverse("organisation_settings")).content.decode()
    assert "boss@acme.example, lead@acme.example" in page, "who gets it anyway"
    response = client.post(
        SAVE,
        {
            "enabled": "on",
            "extra_recipients": "finance@acme.example\n\n ceo@holding.example, FINANCE@acme.example",
            "send_time": "10:30",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#weekly-email")
    found = WeeklyEmailSettings.objects.get(organisation=acme.acme)
    assert (found.enabled, found.extra_recipients, found.send_time, found.updated_by) == (
        True,
        ["finance@acme.example", "ceo@holding.example"],
        dt.time(10, 30),
        acme.lead,
    )
    again = client.get(response["Location"]).content.decode()
    assert "The weekly email settings are saved." in again
    assert "finance@acme.example\nceo@holding.example</textarea>" in again
    assert '<option value="10:30" selected>' in again
    client.post(SAVE, {"extra_recipients": "", "send_time": "09:00"})  # the box unticked: off
    assert WeeklyEmailSettings.objects.get(organisation=acme.acme).enabled is False


def test_a_bad_address_is_refused_with_the_address_named(acme):
    response = _client(acme.lead).post(
        SAVE,
        {
            "enabled": "on",
            "extra_recipients": "finance@acme.example\nfinance.acme.example",
            "send_time": "09:00",
        },
    )
    assert response.status_code == 400
    assert "“finance.acme.example” is not an email address." in response.content.decode()
    assert not WeeklyEmailSettings.objects.exists()


def test_a_time_that_is_not_offered_is_refused(acme):
    response = _client(acme.lead).post(SAVE, {"enabled": "on", "extra_recipients": "", "send_time": "09:07"})
    assert response.status_code == 400
    assert not WeeklyEmailSettings.objects.exists()


def test_the_boss_reads_it_and_cannot_change_it(acme):
    _settings(acme.acme, extra_recipients=["finance@acme.example"], send_time=dt.time(8, 30))
    client = _client(acme.boss)
    page = client.get(reverse("organisation_settings")).content.decode()
    assert "boss@acme.example, finance@acme.example, lead@acme.example" in page
    assert "Monday 08:30 (Asia/Shanghai)" in page
    assert "<textarea" not in page
    assert (
        client.post(
            SAVE, {"enabled": "on", "extra_recipients": "me@boss.example", "send_time": "09:00"}
        ).status_code
        == 404
    )
    assert WeeklyEmailSettings.objects.get(organisation=acme.acme).extra_recipients == [
        "finance@acme.example"
    ]


def test_switched_off_reads_off(acme):
    _settings(acme.acme, enabled=False)
    page = _client(acme.boss).get(reverse("organisation_settings")).content.decode()
    assert "<dd>Off</dd>" in page


@pytest.mark.parametrize("name", ["operator", "stranger"])
def test_staff_and_other_organisations_get_404(acme, name):
    response = _client(acme.user(name)).post(
        SAVE, {"enabled": "on", "extra_recipients": "x@example.com", "send_time": "09:00"}
    )
    assert response.status_code == 404
    assert not WeeklyEmailSettings.objects.exists()


def test_the_service_checks_the_lead_and_the_addresses(acme):
    update = emails.weekly_email_settings_update
    with pytest.raises(PermissionDenied):
        update(
            organisation=acme.acme, enabled=True, extra_recipients=[], send_time=dt.time(9), user=acme.boss
        )
    with pytest.raises(ValidationError) as refused:
        update(
            organisation=acme.acme,
            enabled=True,
            extra_recipients=["ok@x.example", "nope"],
            send_time=dt.time(9),
            user=acme.lead,
        )
    assert "nope" in str(refused.value.messages)
    assert not WeeklyEmailSettings.objects.exists()
    found = update(
        organisation=acme.acme,
        enabled=True,
        extra_recipients=[" ok@x.example "],
        send_time=dt.time(9, 15, 30),
        user=acme.superuser,
    )
    assert (found.extra_recipients, found.send_time) == (["ok@x.example"], dt.time(9, 15))
