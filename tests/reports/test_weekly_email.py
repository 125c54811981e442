"""The weekly report email: who gets it, what is in it, and that it goes once per week."""

import datetime as dt
import io
from decimal import Decimal
from unittest import mock

import openpyxl
import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import translation

from reports import emails, jobs, services
from reports.models import WeeklyCommentary, WeeklyEmail
from stores import periods
from stores.models import Store
from stores.periods import PeriodKind
from tests.factories import DailyMetricFactory, OrgMembershipFactory, UserFactory

WEEK = periods.period_parse(PeriodKind.WEEK, "2026-W45")  # 2 – 8 November 2026
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def acme(personas):
    """Store A: ¥9,000 in W45 against ¥4,500 in W44; store B: ¥1,234.50 in W45 only.
    The boss and the lead have addresses; the operator has one too but is not a reader of the
    whole organisation's report; a second lead has none; a former boss is inactive."""
    for day in (dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 10, 27)):
        DailyMetricFactory(store=personas.store_a, date=day)
    DailyMetricFactory(
        store=personas.store_b, date=dt.date(2026, 11, 8), uv=500, paid_buyers=5, gmv=Decimal("1234.50")
    )
    services.rollups_rebuild(stores=Store.objects.all())
    for user, address in ((personas.boss, "boss@acme.example"), (personas.lead, "lead@acme.example")):
        user.email = address
        user.save()
    personas.operator.email = "operator@acme.example"
    personas.operator.save()
    OrgMembershipFactory(user=UserFactory(username="lead2"), organisation=personas.acme, role="lead")
    former = UserFactory(username="former", email="former@acme.example", is_active=False)
    OrgMembershipFactory(user=former, organisation=personas.acme, role="boss")
    WeeklyCommentary.objects.create(
        organisation=personas.acme,
        week_start=WEEK.start,
        wins="双11预售超目标",
        problems="<script>alert(1)</script> 主图点击率下降",
        next_week_plan="加大直通车预算",
    )
    return personas


def test_recipients_are_the_active_bosses_and_leads_with_an_address(acme):
    assert emails.weekly_report_recipients(organisation=acme.acme) == [
        "boss@acme.example",
        "lead@acme.example",
    ]


def test_sent_once_with_the_report_attached(acme):
    record = emails.weekly_report_email_send(organisation=acme.acme, week=WEEK)
    assert record is not None
    assert record.week_start == WEEK.start and record.recipients == ["boss@acme.example", "lead@acme.example"]
    (message,) = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    assert message.to == ["boss@acme.example", "lead@acme.example"]
    assert "2026-W45" in message.subject and "Acme" in message.subject
    (name, content, mimetype), *others = message.attachments
    assert not others
    assert (name, mimetype) == ("acme-weekly-2026-W45.xlsx", XLSX)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["汇总", "A店", "B店", "合计", "GMV拆解", "运营点评"]
    total = [cell.value for cell in book["汇总"][4]]
    assert total[:3] == ["合计", pytest.approx(10234.5), pytest.approx(10234.5 / 4500 - 1)]


def test_html_body_has_headlines_changes_decomposition_stores_and_commentary(acme):
    emails.weekly_report_email_send(organisation=acme.acme, week=WEEK)
    ((html, mimetype),) = mail.outbox[0].alternatives
    assert mimetype == "text/html"
    # Headline GMV of both stores, +127.4 % against ¥4,500 the week before (环比) and no 同比.
    assert "¥10,234.50" in html
    assert "↑ 127.4%" in html
    assert "#1a7f37" in html, "GMV going up is shown as good"
    # Chinese labels (the catalogue's), whatever language the job runs in.
    assert "支付金额" in html and "访客数" in html
    assert "A店" in html and "B店" in html
    assert "¥9,000.00" in html and "¥1,234.50" in html
    assert "双11预售超目标" in html and "加大直通车预算" in html
    assert "<script>" not in html and "&lt;script&gt;" in html, "the commentary is escaped"


def test_decomposition_sentence_in_both_bodies(acme):
    with translation.override("zh-hans"):
        report = emails.selectors.period_report_get(
            selection=emails.selectors.organisation_selection(organisation=acme.acme), period=WEEK
        )
        sentence = report.decomposition.sentence()
    emails.weekly_report_email_send(organisation=acme.acme, week=WEEK)
    message = mail.outbox[0]
    assert sentence in message.alternatives[0][0]
    assert sentence in message.body


def test_plain_text_body(acme):
    emails.weekly_report_email_send(organisation=acme.acme, week=WEEK)
    body = mail.outbox[0].body
    assert "¥10,234.50" in body
    assert "A店: ¥9,000.00" in body
    assert "<script>alert(1)</script>" in body, "plain text is not HTML-escaped"
    assert "&lt;" not in body


def test_rendered_in_the_site_language_even_from_an_english_context(acme):
    with translation.override("en"):
        emails.weekly_report_email_send(organisation=acme.acme, week=WEEK)
        assert translation.get_language() == "en", "the override ends with the sending"
    html = mail.outbox[0].alternatives[0][0]
    assert '<html lang="zh-hans">' in html
    # Metric labels are in the committed catalogue: Chinese, not the English msgids.
    assert "支付金额" in html and "访客数" in html
    assert "Visitors (UV)" not in html and "Conversion" not in html


def test_not_sent_again_for_the_same_week(acme):
    assert emails.weekly_report_email_send(organisation=acme.acme, week=WEEK) is not None
    assert emails.weekly_report_email_send(organisation=acme.acme, week=WEEK) is None
    assert len(mail.outbox) == 1
    assert WeeklyEmail.objects.count() == 1
    next_week = periods.next_period(WEEK)
    assert emails.weekly_report_email_send(organisation=acme.acme, week=next_week) is not None
    assert len(mail.outbox) == 2


def test_nobody_with_an_address_gets_nothing_and_no_record(personas):
    assert personas.boss.email == "" and personas.lead.email == ""
    assert emails.weekly_report_email_send(organisation=personas.acme, week=WEEK) is None
    assert mail.outbox == []
    assert not WeeklyEmail.objects.exists(), "a later run, once someone has an address, still sends"
    personas.boss.email = "boss@acme.example"
    personas.boss.save()
    assert emails.weekly_report_email_send(organisation=personas.acme, week=WEEK) is not None
    assert mail.outbox[0].to == ["boss@acme.example"]


def test_failed_send_leaves_no_record_so_a_retry_sends(acme):
    with (
        mock.patch.object(EmailMultiAlternatives, "send", side_effect=ConnectionRefusedError),
        pytest.raises(ConnectionRefusedError),
    ):
        emails.weekly_report_email_send(organisation=acme.acme, week=WEEK)
    assert not WeeklyEmail.objects.exists()
    assert emails.weekly_report_email_send(organisation=acme.acme, week=WEEK) is not None
    assert len(mail.outbox) == 1


def test_only_a_week(acme):
    with pytest.raises(ValueError):
        emails.weekly_report_email_send(
            organisation=acme.acme, week=periods.period_parse(PeriodKind.MONTH, "2026-11")
        )


def test_job_sends_each_organisation_once(acme, jobs_in_process, django_capture_on_commit_callbacks):
    acme.stranger.email = "stranger@other.example"
    acme.stranger.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.weekly_report_emails_send("2026-W45") == 2  # acme and other
    assert sorted(message.to[0] for message in mail.outbox) == ["boss@acme.example", "stranger@other.example"]
    assert [message.to for message in mail.outbox if "Acme" in message.subject] == [
        ["boss@acme.example", "lead@acme.example"]
    ]
    with django_capture_on_commit_callbacks(execute=True):
        jobs.weekly_report_emails_send("2026-W45")
    assert len(mail.outbox) == 2, "a second run sends nothing"


def test_job_defaults_to_the_last_complete_week(acme, jobs_in_process, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.weekly_report_emails_send()
    assert list(WeeklyEmail.objects.values_list("week_start", flat=True)) == [
        periods.last_complete_period(PeriodKind.WEEK).start
    ]


def test_scheduled_every_15_minutes_of_monday_shanghai():
    """Each organisation's send time is its own (test_weekly_email_settings.py): the job runs every
    15 minutes of Sunday and Monday UTC, which holds all of Monday in Asia/Shanghai."""
    from django_rq.cron import DjangoCronScheduler

    scheduler = DjangoCronScheduler()
    scheduler.load_config_from_file("opsdesk/schedule.py")
    (job,) = [job for job in scheduler.get_jobs() if job.func_name.endswith("weekly_report_emails_due")]
    assert job.cron == "*/15 * * * 0,1"
    assert job.queue_name == "default"
