"""Access is earned: staff see and tick only their own lists; the ops lead (and, read-only, the
boss) sees the team of their organisation; everyone else gets 404."""

import pytest
from django.urls import reverse

from stores import periods
from tasks import services
from tasks.models import ChecklistItem, ChecklistTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_given(every_day):
    services.checklist_generate(day=periods.today())
    return every_day


def test_staff_see_only_their_own_list(today_given, client_for):
    page = client_for(today_given.promotion).get(reverse("tasks:checklist")).content.decode()
    assert "早间ROI检查" in page
    assert "店铺自检" not in page  # the operator's


@pytest.mark.parametrize("who", ["promotion", "lead", "boss", "stranger"])
def test_nobody_ticks_another_persons_item(today_given, client_for, who):
    item = ChecklistItem.objects.filter(checklist__user=today_given.operator).first()
    response = client_for(today_given.user(who)).post(reverse("tasks:tick", args=[item.pk]), {"done": "1"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert not item.done


def test_the_lead_sees_the_teams_lists_and_reports(today_given, client_for):
    services.daily_report_submit(
        user=today_given.operator,
        day=periods.today(),
        done_today="登记完毕",
        problems="",
        plan_tomorrow="报名",
    )
    page = client_for(today_given.lead).get(reverse("tasks:team")).content.decode()
    assert "店铺自检" in page and "早间ROI检查" in page and "夜间转化检查" in page
    assert "登记完毕" in page  # the operator's 日报, readable in place
    missing = page[page.index('class="missing"') :].split("</p>")[0]
    assert "customer_service" in missing and "promotion" in missing and "operator" not in missing
    assert reverse("tasks:template_list") in page


def test_the_boss_reads_the_team_view_but_edits_no_template(today_given, client_for):
    client = client_for(today_given.boss)
    page = client.get(reverse("tasks:team")).content.decode()
    assert "店铺自检" in page and reverse("tasks:template_list") not in page
    assert client.get(reverse("tasks:template_list")).status_code == 404
    template = ChecklistTemplate.objects.filter(organisation=today_given.acme).first()
    assert client.get(reverse("tasks:template_edit", args=[template.pk])).status_code == 404


@pytest.mark.parametrize("who", ["operator", "nobody"])
def test_staff_and_people_without_a_role_have_no_team_view(today_given, client_for, who):
    assert client_for(today_given.user(who)).get(reverse("tasks:team")).status_code == 404


def test_a_lead_of_another_organisation_sees_nothing_of_acme(today_given, client_for):
    client = client_for(today_given.stranger)
    assert client.get(reverse("tasks:team") + "?org=acme").status_code == 404
    own = client.get(reverse("tasks:team")).content.decode()
    assert "店铺自检" not in own  # their own organisation has no staff
    template = ChecklistTemplate.objects.filter(organisation=today_given.acme).first()
    assert client.get(reverse("tasks:template_edit", args=[template.pk])).status_code == 404
    response = client.post(reverse("tasks:template_list") + "?org=acme", {"role": "designer"})
    assert response.status_code == 404
