"""The targets list and the plan page: the ops lead sets targets, previews and saves overrides from
the version read, locks and unlocks; the boss and staff read; strangers get 404; a reader's POST
changes nothing.

The pages plan from today (stores.periods.today()), so the plans here are for next year: every day
of it is still to come and can move.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kpi import pacing, selectors
from kpi.allocation import PlanLevel
from kpi.models import OrganisationTarget, PlanChange, PlanLock, PlanSettings, SalesTarget
from kpi.services.changes import plan_lock
from kpi.services.plans import target_set
from stores import metrics, periods
from tests.factories import DailyMetricFactory

D = Decimal
YEAR = periods.today().year + 1
MAY, JUNE = f"{YEAR}-05", f"{YEAR}-06"
ANNUAL = D("3650000.00")


def _targets_url(organisation="acme", year=YEAR) -> str:
    return f"{reverse('kpi:targets')}?organisation={organisation}&year={year}"


def _plan_url(store, year=YEAR) -> str:
    return reverse("kpi:plan", args=[store.slug, year])


def _plan(personas, store=None, annual=ANNUAL, **levels):
    return target_set(store=store or personas.store_a, year=YEAR, annual=annual, **levels)


def _month(plan, label) -> Decimal:
    return next(
        row.target for row in selectors.plan_table_get(plan=plan).rows(PlanLevel.MONTH) if row.label == label
    )


def _override(plan, **changes) -> dict:
    return {
        "label": MAY,
        "amount": "600,000",
        "reason": "618 pre-sale starts in May",
        "version": plan.version,
        **changes,
    }


# The targets list ---------------------------------------------------------------------------------


def test_the_lead_sets_a_stores_target_from_the_list(personas, english):
    client = english(personas.lead)
    page = client.get(_targets_url()).content.decode()
    assert 'id="target-form"' in page and "No target for this year yet." in page

    response = client.post(
        _targets_url(),
        {"store": "store-a", "annual": "¥3,650,000", "floor_percent": "90", "stretch_percent": "120 %"},
    )

    assert response.status_code == 302
    plan = SalesTarget.objects.get(store=personas.store_a, year=YEAR)
    assert (plan.annual, plan.floor_percent, plan.stretch_percent) == (ANNUAL, D("90"), D("120"))
    assert plan.changes.get().changed_by == personas.lead
    page = client.get(_targets_url()).content.decode()
    assert "¥3,650,000.00" in page and "¥3,285,000.00" in page and "¥4,380,000.00" in page  # 90 %, 120 %
    assert f'href="{_plan_url(personas.store_a)}"' in page


def test_changing_a_stores_target_needs_a_reason(personas, english):
    _plan(personas)
    client = english(personas.lead)
    data = {"store": "store-a", "annual": "4000000"}

    page = client.post(_targets_url(), data).content.decode()
    assert "Say why: a change of the plan needs a reason." in page
    assert SalesTarget.objects.get(store=personas.store_a).annual == ANNUAL

    client.post(_targets_url(), {**data, "reason": "the boss raised it"})
    plan = SalesTarget.objects.get(store=personas.store_a)
    assert plan.annual == D("4000000.00")
    assert plan.changes.first().reason == "the boss raised it"


def test_a_refused_target_shows_why_and_saves_nothing(personas, english):
    _plan(personas)
    # The financial year now starts in April: this year's (April to March) would share January to
    # March of next year with the calendar-year plan already made.
    PlanSettings.objects.create(organisation=personas.acme, first_month=4)
    url = _targets_url(year=YEAR - 1)

    page = english(personas.lead).post(url, {"store": "store-a", "annual": "100"}).content.decode()

    assert "already has a plan covering part of these days" in page
    assert SalesTarget.objects.filter(store=personas.store_a).count() == 1


def test_the_sum_of_the_stores_plans_stands_beside_the_organisations_number(personas, english):
    _plan(personas)
    _plan(personas, store=personas.store_b, annual=D("1350000.00"))
    OrganisationTarget.objects.create(organisation=personas.acme, year=YEAR, annual=D("6000000.00"))

    page = english(personas.boss).get(_targets_url()).content.decode()

    assert "¥5,000,000.00" in page  # the sum of the stores' plans
    assert "¥6,000,000.00" in page and "¥-1,000,000.00" in page  # the organisation's, the difference


def test_the_boss_reads_the_list_but_sets_nothing(personas, english):
    client = english(personas.boss)
    page = client.get(_targets_url()).content.decode()
    assert "A店" in page and "B店" in page and 'id="target-form"' not in page

    response = client.post(_targets_url(), {"store": "store-a", "annual": "1000"})

    assert response.status_code == 403
    assert not SalesTarget.objects.exists()


def test_staff_see_only_their_stores_and_not_the_organisations_number(personas, english):
    _plan(personas)
    _plan(personas, store=personas.store_b)
    OrganisationTarget.objects.create(organisation=personas.acme, year=YEAR, annual=D("9999999.00"))

    page = english(personas.operator).get(_targets_url()).content.decode()

    assert "A店" in page and "B店" not in page
    assert "¥9,999,999.00" not in page and 'id="target-form"' not in page


@pytest.mark.parametrize("persona", ["stranger", "nobody"])
def test_others_do_not_see_the_organisations_targets(personas, english, persona):
    assert english(personas.user(persona)).get(_targets_url()).status_code == 404


def test_the_list_paces_the_month_of_the_current_financial_year(personas, english):
    this_year, yesterday = periods.today().year, periods.yesterday()
    target_set(
        store=personas.store_a, year=this_year, annual=ANNUAL, today=dt.date(this_year, 1, 1), user=None
    )
    DailyMetricFactory(store=personas.store_a, date=yesterday, gmv=D("7000.00"))
    month = pacing.pacing_get(stores=[personas.store_a], day=yesterday, levels=(PlanLevel.MONTH,))[
        PlanLevel.MONTH
    ][personas.store_a.pk]

    page = english(personas.lead).get(_targets_url(year=this_year)).content.decode()

    if yesterday.year == this_year:  # on 1 January yesterday is last year's
        assert metrics.display("conversion", month.completion) in page  # as a percentage
        assert metrics.display("conversion", month.planned_progress) in page
    next_year = english(personas.lead).get(_targets_url(year=YEAR)).content.decode()
    assert "The month's pacing is shown for the current financial year." in next_year


def test_the_list_tells_the_years_calendar(personas, english):
    page = english(personas.lead).get(_targets_url()).content.decode()
    assert "双11" in page and "618" in page
    assert "Edit the promotion calendar" not in page
    page = english(personas.superuser).get(_targets_url()).content.decode()
    assert reverse("admin:kpi_promotionnode_changelist") in page


def test_the_navigation_links_the_targets(personas, client_for):
    link = f'href="{reverse("kpi:targets")}"'
    assert link in client_for(personas.operator).get(reverse("stores:list")).content.decode()
    assert link not in client_for(personas.nobody).get(reverse("stores:list")).content.decode()


# The plan page ------------------------------------------------------------------------------------


def test_the_lead_reads_the_plan_with_its_forms(personas, english):
    plan = _plan(personas, floor_percent=D("90"), stretch_percent=D("115"))
    page = english(personas.lead).get(_plan_url(personas.store_a)).content.decode()
    assert "¥3,650,000.00" in page and "¥3,285,000.00" in page and "¥4,197,500.00" in page
    assert MAY in page and f"{YEAR}-W19" in page  # the months and the weeks
    assert 'class="plotly-chart"' in page
    assert 'value="preview"' in page and 'value="lock"' in page
    assert f'name="version" value="{plan.version}"' in page


@pytest.mark.parametrize("persona", ["boss", "operator", "superuser"])
def test_whoever_sees_the_store_reads_its_plan(personas, english, persona):
    _plan(personas)
    page = english(personas.user(persona)).get(_plan_url(personas.store_a)).content.decode()
    assert "¥3,650,000.00" in page
    assert ('value="preview"' in page) is (persona == "superuser")


@pytest.mark.parametrize("persona", ["boss", "operator"])
@pytest.mark.parametrize("action", ["preview", "save", "lock", "unlock"])
def test_a_readers_post_changes_nothing(personas, english, persona, action):
    plan = _plan(personas)
    plan_lock(plan=plan, label=JUNE)
    plan.refresh_from_db()
    before = selectors.plan_day_targets(plan=plan)

    response = english(personas.user(persona)).post(
        _plan_url(personas.store_a), {**_override(plan), "action": action}
    )

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.version == 2 and selectors.plan_day_targets(plan=plan) == before
    assert list(plan.locks.values_list("label", flat=True)) == [JUNE]


@pytest.mark.parametrize("persona", ["stranger", "nobody"])
def test_strangers_get_404_for_the_plan(personas, english, persona):
    plan = _plan(personas)
    client = english(personas.user(persona))
    assert client.get(_plan_url(personas.store_a)).status_code == 404
    assert client.post(_plan_url(personas.store_a), {**_override(plan), "action": "save"}).status_code == 404
    assert SalesTarget.objects.get(pk=plan.pk).version == 1


def test_a_year_without_a_plan_is_404(personas, english):
    _plan(personas)
    assert english(personas.lead).get(_plan_url(personas.store_a, YEAR + 1)).status_code == 404


def test_the_preview_shows_each_month_before_and_after_and_saves_nothing(personas, english):
    plan = _plan(personas)
    before = selectors.plan_day_targets(plan=plan)
    may_before = _month(plan, MAY)

    page = (
        english(personas.lead)
        .post(_plan_url(personas.store_a), {**_override(plan), "action": "preview"})
        .content.decode()
    )

    assert f"{MAY}: ¥{may_before:,} → ¥600,000.00" in page
    assert f"<mark>{MAY}</mark>" in page and "<mark>¥600,000.00</mark>" in page
    assert f"<mark>{JUNE}</mark>" in page  # the rest of the year takes the difference
    assert 'value="save"' in page  # the confirm button, carrying the same values and version
    assert f'type="hidden" name="version" value="{plan.version}"' in page
    assert 'type="hidden" name="amount" value="600,000"' in page
    plan.refresh_from_db()
    assert plan.version == 1 and selectors.plan_day_targets(plan=plan) == before


def test_confirming_saves_the_override_with_its_reason(personas, english):
    plan = _plan(personas)
    client = english(personas.lead)

    response = client.post(_plan_url(personas.store_a), {**_override(plan, lock="True"), "action": "save"})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2 and _month(plan, MAY) == D("600000.00")
    assert list(plan.locks.values_list("label", flat=True)) == [MAY]
    change = plan.changes.first()
    assert (change.kind, change.label, change.changed_by) == (PlanChange.Kind.OVERRIDE, MAY, personas.lead)
    page = client.get(_plan_url(personas.store_a)).content.decode()
    assert "618 pre-sale starts in May" in page and "¥600,000.00" in page


def test_a_save_from_a_stale_version_is_refused_and_changes_nothing(personas, english):
    plan = _plan(personas)
    opened = plan.version
    plan_lock(plan=plan, label=f"{YEAR}-12")  # somebody else saved in between
    plan.refresh_from_db()
    before = selectors.plan_day_targets(plan=plan)

    response = english(personas.lead).post(
        _plan_url(personas.store_a), {**_override(plan, version=opened), "action": "save"}
    )

    assert response.status_code == 200
    assert "The plan changed since you opened it" in response.content.decode()
    plan.refresh_from_db()
    assert plan.version == 2 and selectors.plan_day_targets(plan=plan) == before
    assert not plan.changes.filter(kind=PlanChange.Kind.OVERRIDE).exists()


def test_a_refused_override_shows_its_reason(personas, english):
    plan = _plan(personas)
    plan_lock(plan=plan, label=MAY)
    plan.refresh_from_db()
    client = english(personas.lead)

    for action in ("preview", "save"):
        page = client.post(
            _plan_url(personas.store_a), {**_override(plan), "action": action}
        ).content.decode()
        assert f"{MAY} is locked: unlock it first." in page
    plan.refresh_from_db()
    assert plan.version == 2


def test_a_period_that_is_not_one_is_refused(personas, english):
    plan = _plan(personas)
    page = (
        english(personas.lead)
        .post(_plan_url(personas.store_a), {**_override(plan, label="May"), "action": "preview"})
        .content.decode()
    )
    assert "MAY is not a month (2027-05), a week (2027-W19) or a day (2027-05-20)." in page


def test_the_lead_locks_and_unlocks_a_period_from_the_page(personas, english):
    plan = _plan(personas)
    client = english(personas.lead)
    url = _plan_url(personas.store_a)

    response = client.post(url, {"action": "lock", "label": MAY, "version": plan.version}, follow=True)

    assert f"{MAY} is locked." in response.content.decode()
    assert list(PlanLock.objects.filter(plan=plan).values_list("label", flat=True)) == [MAY]
    page = response.content.decode()
    assert 'value="unlock"' in page

    plan.refresh_from_db()
    response = client.post(url, {"action": "unlock", "label": MAY, "version": plan.version}, follow=True)

    assert f"{MAY} is unlocked." in response.content.decode()
    assert not PlanLock.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    assert plan.version == 3
    assert [change.kind for change in plan.changes.all()[:2]] == [
        PlanChange.Kind.UNLOCK,
        PlanChange.Kind.LOCK,
    ]


def test_a_lock_from_a_stale_version_is_refused(personas, english):
    plan = _plan(personas)
    response = english(personas.lead).post(
        _plan_url(personas.store_a), {"action": "lock", "label": MAY, "version": 7}, follow=True
    )
    assert "The plan changed since you opened it" in response.content.decode()
    assert not PlanLock.objects.filter(plan=plan).exists()


def test_the_days_of_a_month_are_listed_on_request(personas, english):
    _plan(personas)
    page = english(personas.boss).get(f"{_plan_url(personas.store_a)}?month={MAY}").content.decode()
    assert f"{MAY}-01" in page and f"{MAY}-31" in page and f"{JUNE}-01" not in page
