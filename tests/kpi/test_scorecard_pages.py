"""The KPI scorecard pages (issue 14): the team table of a week or month, a person's page, the ops
lead's manual items, closing and reopening a month, and their .xlsx files.

The scores are computed from real numbers: the default templates (kpi_templates_seed), November
2026 in stores A and B (every day the factory's plausible day: 1,000 visitors, 30 buyers, ¥4,500,
40 inquiries of which 16 bought), rolled up and scored by kpi.services.scores. The ops lead and the
boss see everyone; staff only themselves; only the ops lead closes, reopens and scores by hand.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kpi.models import KpiPersonValue, KpiScore, ManualScore, MonthClose
from kpi.services.kpi_templates import kpi_templates_seed
from kpi.services.scores import month_close, period_of, scores_compute
from reports import services as report_services
from stores import periods
from stores.models import DailyMetric, Store
from tests.factories import (
    DailyMetricFactory,
    OrganisationFactory,
    OrgMembershipFactory,
    StoreAssignmentFactory,
    StoreFactory,
    UserFactory,
)

D = Decimal
WEEK = period_of("week", dt.date(2026, 11, 16))  # 2026-W47
MONTH = period_of("month", dt.date(2026, 11, 1))
STAFF = ("operator", "promotion", "designer", "customer_service", "content")
SCORED = ("lead", *STAFF)  # the ops lead is scored too (their template: the sales target)


def _november(*stores) -> None:
    for store in stores:
        for day in periods.days_between(MONTH.start, MONTH.end):
            DailyMetricFactory(store=store, date=day)
    report_services.rollups_rebuild(stores=Store.objects.filter(pk__in=[store.pk for store in stores]))


@pytest.fixture
def scored(personas):
    """Acme's people scored for 2026-W47 and November 2026."""
    kpi_templates_seed(organisation=personas.acme)
    _november(personas.store_a, personas.store_b)
    scores_compute(organisation=personas.acme, kind="week", period=WEEK)
    scores_compute(organisation=personas.acme, kind="month", period=MONTH)
    return personas


def _table_url(kind="week", period=WEEK, **extra) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"org": "acme", **extra}.items())
    return f"{reverse('kpi:scores')}?{query}&kind={kind}&period={period.label}"


def _person_url(username: str, kind="week", period=WEEK) -> str:
    return f"{reverse('kpi:person', args=[username])}?org=acme&kind={kind}&period={period.label}"


def _manual_url(kind="week", period=WEEK) -> str:
    return f"{reverse('kpi:manual_scores')}?org=acme&kind={kind}&period={period.label}"


def _people_linked(page: str) -> set[str]:
    return {name for name in (*SCORED, "boss") if f'href="{reverse("kpi:person", args=[name])}?' in page}


def _designer_row(page: str) -> str:
    start = page.index('id="role-designer"')
    return page[start : page.index("</section>", start)]


# Who sees what --------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["lead", "boss", "superuser"])
def test_the_lead_and_the_boss_see_everyones_scores(scored, english, viewer):
    page = english(scored.user(viewer)).get(_table_url()).content.decode()
    assert _people_linked(page) == set(SCORED)
    # The designer: conversion 30 / 1,000 = 3.00 % against 3 % (100.00 %); the pages not scored
    # yet ("—"), so the conversion's weight is all there is: 100 points, grade B.
    designer = _designer_row(page)
    assert "100.00%" in designer and "—" in designer and "<strong>100.00</strong>" in designer
    assert 'class="grade-badge grade-1">B<' in designer
    assert "provisional" not in designer  # the week is over


def test_staff_see_only_themselves_and_another_persons_page_is_a_404(scored, english):
    client = english(scored.operator)
    page = client.get(_table_url()).content.decode()
    assert _people_linked(page) == {"operator"}
    assert "Your own scores." in page
    assert client.get(_person_url("operator")).status_code == 200
    for other in ("designer", "lead", "boss", "nobody-at-all"):
        assert client.get(_person_url(other)).status_code == 404
    assert client.get(reverse("kpi:person_export", args=["designer"]) + "?org=acme").status_code == 404


def test_strangers_see_no_one_of_acme(scored, english):
    stranger = english(scored.stranger)
    assert stranger.get(_table_url()).status_code == 404  # acme is not theirs
    assert stranger.get(_person_url("operator")).status_code == 404
    assert english(scored.nobody).get(reverse("kpi:scores")).status_code == 404


def test_the_navigation_links_the_kpis(scored, english):
    page = english(scored.operator).get(reverse("stores:list")).content.decode()
    nav = page[page.index('<nav class="nav">') : page.index("</nav>")]
    assert f'href="{reverse("kpi:scores")}"' in nav and "KPIs" in nav


def test_the_table_defaults_to_the_current_week_and_filters_by_store_and_role(scored, english):
    client = english(scored.lead)
    page = client.get(reverse("kpi:scores")).content.decode()
    assert periods.period_containing(periods.PeriodKind.WEEK, periods.today()).label in page
    # Store B: only the ops lead holds a role there.
    assert _people_linked(client.get(_table_url(store="store-b")).content.decode()) == {"lead"}
    assert _people_linked(client.get(_table_url(role="promotion")).content.decode()) == {"promotion"}
    by_total = client.get(_table_url(sort="total")).content.decode()
    assert 'class="sorted"><a href="?org=acme&amp;kind=week&amp;period=2026-W47&amp;sort=total"' in by_total


def test_a_week_to_come_is_not_shown(scored, english):
    later = periods.period_containing(periods.PeriodKind.WEEK, periods.today() + dt.timedelta(days=14))
    page = english(scored.lead).get(_table_url(period=later)).content.decode()
    assert "has not started yet; showing the current one." in page


# A person's page --------------------------------------------------------------------------------


def test_a_persons_card_shows_where_each_figure_comes_from(scored, english):
    item = scored.acme.kpi_templates.get(role="customer_service").items.get(code="inquiry_conversion")
    KpiPersonValue.objects.create(item=item, user=scored.customer_service, week_target=D("0.40"))
    KpiScore.objects.filter(user=scored.customer_service).delete()  # scored again with the own target
    scores_compute(organisation=scored.acme, kind="week", period=WEEK)
    page = english(scored.lead).get(_person_url("customer_service")).content.decode()
    # 16 / 40 inquiries bought = 40.00 % against their own 40 %: 100.00 %, shown as theirs.
    assert "40.00%" in page and "personal" in page
    assert f"{reverse('reports:weekly')}?org=acme&amp;period=2026-W47&amp;store=store-a" in page
    # No target for bad reviews, the response time not scored: their weights are shared out.
    assert page.count("weight shared out: no attainment") == 2
    assert "not scored yet" in page
    assert page.count('class="plotly-chart"') == 2  # the last 12 weeks and 6 months


# Closing and reopening a month ------------------------------------------------------------------


def test_the_lead_closes_a_month_and_a_later_correction_is_shown(scored, english):
    client = english(scored.lead)
    response = client.post(reverse("kpi:month_close"), {"org": "acme", "period": "2026-11"}, follow=True)
    assert MonthClose.objects.get(organisation=scored.acme, month_start=MONTH.start).closed
    page = response.content.decode()
    assert "2026-11 is closed: its scores are frozen." in page and "Reopen 2026-11" in page
    before = KpiScore.objects.get(user=scored.designer, kind="month").total
    # A late correction: store A had 3,000 visitors every day of November, not 1,000.
    DailyMetric.objects.filter(store=scored.store_a).update(uv=3000)
    report_services.rollups_rebuild(stores=Store.objects.filter(pk=scored.store_a.pk))
    scores_compute(organisation=scored.acme, kind="month", period=MONTH)
    designer = KpiScore.objects.get(user=scored.designer, kind="month")
    assert designer.total == before and designer.latest_total < before
    page = client.get(_table_url(kind="month", period=MONTH)).content.decode()
    assert f"the numbers changed after closing: {before} → {designer.latest_total}" in page


def test_reopening_needs_a_reason_which_is_kept(scored, english):
    month_close(organisation=scored.acme, month=MONTH, user=scored.lead)
    client = english(scored.lead)
    page = client.post(
        reverse("kpi:month_reopen"), {"org": "acme", "period": "2026-11", "reason": "  "}, follow=True
    ).content.decode()
    assert "Say why the month is reopened." in page
    assert MonthClose.objects.get(organisation=scored.acme).closed
    page = client.post(
        reverse("kpi:month_reopen"),
        {"org": "acme", "period": "2026-11", "reason": "访客数更正"},
        follow=True,
    ).content.decode()
    close = MonthClose.objects.get(organisation=scored.acme)
    assert not close.closed and close.events[-1]["reason"] == "访客数更正"
    assert "2026-11 is open again" in page and "Close 2026-11" in page


def test_a_month_still_running_cannot_be_closed(scored, english):
    running = periods.period_containing(periods.PeriodKind.MONTH, periods.today())
    response = english(scored.lead).post(
        reverse("kpi:month_close"), {"org": "acme", "period": running.label}, follow=True
    )
    assert "is not over yet." in response.content.decode()
    assert not MonthClose.objects.filter(closed=True).exists()


def test_the_boss_reads_but_does_not_close_reopen_or_score(scored, english):
    client = english(scored.boss)
    page = client.get(_table_url(kind="month", period=MONTH)).content.decode()
    assert "Close 2026-11" not in page and "Enter the manual items" not in page
    assert client.post(reverse("kpi:month_close"), {"org": "acme", "period": "2026-11"}).status_code == 403
    assert not MonthClose.objects.exists()
    month_close(organisation=scored.acme, month=MONTH, user=scored.lead)
    reopen = {"org": "acme", "period": "2026-11", "reason": "boss wants it"}
    assert client.post(reverse("kpi:month_reopen"), reopen).status_code == 403
    assert MonthClose.objects.get().closed
    assert client.get(_manual_url()).status_code == 404
    designer_key = f"attainment-{scored.designer.pk}-designer-pages"
    assert client.post(_manual_url(), {designer_key: "80"}).status_code == 403
    assert not ManualScore.objects.exists()
    staff = english(scored.designer)
    assert staff.get(_manual_url()).status_code == 404
    assert staff.post(_manual_url(), {designer_key: "80"}).status_code == 404
    # Staff learn nothing of closing either: their close or reopen is a 404, as their manual scores.
    assert staff.post(reverse("kpi:month_close"), {"org": "acme", "period": "2026-11"}).status_code == 404
    assert staff.post(reverse("kpi:month_reopen"), reopen).status_code == 404
    assert MonthClose.objects.get().closed
    assert not ManualScore.objects.exists() and MonthClose.objects.get().closed


# Manual items -----------------------------------------------------------------------------------


def test_manual_scores_entered_in_the_form_show_in_the_table(scored, english):
    client = english(scored.lead)
    page = client.get(_manual_url()).content.decode()
    pages_key = f"{scored.designer.pk}-designer-pages"
    response_key = f"{scored.customer_service.pk}-customer_service-response"
    assert f'name="attainment-{pages_key}"' in page and f'name="attainment-{response_key}"' in page
    response = client.post(
        _manual_url(),
        {f"attainment-{pages_key}": "80 %", f"comment-{pages_key}": "主图 3 张，详情页 1 个"},
        follow=True,
    )
    saved = ManualScore.objects.get(user=scored.designer, item_code="pages")
    assert (saved.attainment, saved.entered_by, saved.kind) == (D("0.8000"), scored.lead, "week")
    # 60 × 100 % + 40 × 80 % = 92 points, grade C.
    designer = _designer_row(response.content.decode())
    assert "80.00%" in designer and "<strong>92.00</strong>" in designer
    assert "主图 3 张，详情页 1 个" in english(scored.designer).get(_person_url("designer")).content.decode()


def test_a_manual_score_out_of_range_saves_nothing(scored, english):
    key = f"attainment-{scored.designer.pk}-designer-pages"
    response = english(scored.lead).post(_manual_url(), {key: "-5"})
    assert response.status_code == 200 and "greater than or equal to 0" in response.content.decode()
    assert not ManualScore.objects.exists()


def test_a_closed_months_manual_scores_wait_for_it_to_be_reopened(scored, english):
    month_close(organisation=scored.acme, month=MONTH, user=scored.lead)
    key = f"attainment-{scored.designer.pk}-designer-pages"
    client = english(scored.lead)
    page = client.post(_manual_url(kind="month", period=MONTH), {key: "90"}).content.decode()
    assert "2026-11 is closed: reopen it to change its manual scores." in page
    assert not ManualScore.objects.exists()


# Files ------------------------------------------------------------------------------------------


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )


def test_the_team_table_downloads_as_xlsx_with_chinese_headers_and_numbers(scored, english):
    url = f"{reverse('kpi:scores_export')}?org=acme&kind=week&period=2026-W47&format=xlsx"
    book = _workbook(english(scored.lead).get(url))
    assert book.sheetnames[0] == "总览" and "美工" in book.sheetnames
    summary = book["总览"]
    assert [cell.value for cell in summary[1]][:7] == [
        "期间",
        "姓名",
        "用户名",
        "角色",
        "店铺",
        "得分",
        "等级",
    ]
    designer = next(row for row in summary.iter_rows(min_row=2) if row[2].value == "designer")
    assert (designer[3].value, designer[5].value, designer[5].number_format) == ("美工", 100.0, "0.00")
    sheet = book["美工"]
    assert [cell.value for cell in sheet[1]] == [
        "姓名",
        "用户名",
        "店铺",
        "支付转化率达成率",
        "支付转化率得分",
        "页面与主图产出达成率",
        "页面与主图产出得分",
        "得分",
        "等级",
    ]
    row = sheet[2]
    assert (row[3].value, row[3].number_format, row[4].value) == (1.0, "0.00%", 100.0)
    assert row[5].value is None  # no attainment: an empty cell, not 0


def test_a_persons_page_downloads_as_xlsx(scored, english):
    client = english(scored.operator)
    url = f"{reverse('kpi:person_export', args=['customer_service'])}?org=acme&kind=week&period=2026-W47"
    assert client.get(url).status_code == 404
    book = _workbook(english(scored.customer_service).get(url))
    card = book["评分卡"]
    assert [cell.value for cell in card[1]][:9] == [
        "期间",
        "角色",
        "项目代码",
        "项目",
        "来源",
        "方向",
        "实际",
        "目标",
        "达成率",
    ]
    inquiry = next(row for row in card.iter_rows(min_row=2) if row[2].value == "inquiry_conversion")
    # 16 / 40 = 40 % against 45 %: 88.89 %.
    assert (inquiry[6].value, inquiry[6].number_format) == (0.4, "0.00%")
    assert (round(inquiry[8].value, 4), inquiry[10].value, inquiry[10].number_format) == (
        0.8889,
        0.4,
        "0.00%",
    )
    assert [cell.value for cell in book["趋势"][1]] == ["角色", "周期", "期间", "得分"]


# Queries ----------------------------------------------------------------------------------------


def _team_of(size: int):
    """An organisation with one store, its ops lead and `size` - 1 operators, scored for W47."""
    organisation = OrganisationFactory()
    store = StoreFactory(organisation=organisation)
    lead = OrgMembershipFactory(organisation=organisation, role="lead").user
    for _number in range(size - 1):
        StoreAssignmentFactory(user=UserFactory(), store=store, role="operator")
    kpi_templates_seed(organisation=organisation)
    _november(store)
    scores_compute(organisation=organisation, kind="week", period=WEEK)
    assert KpiScore.objects.filter(organisation=organisation).count() == size
    return organisation, lead


def _queries(client_for, organisation, lead) -> int:
    client = client_for(lead)
    url = f"{reverse('kpi:scores')}?org={organisation.slug}&kind=week&period=2026-W47"
    client.get(url)  # the session and anything read once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_team_tables_queries_do_not_grow_with_the_team(db, client_for):
    small, big = _team_of(2), _team_of(8)
    assert _queries(client_for, *small) == _queries(client_for, *big)
