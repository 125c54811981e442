"""kpi's section of the organisation's settings page: the month the financial year starts in. The
ops lead saves it, the boss reads it, and what reads it (new plans, the pacing's year) follows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from kpi import selectors
from kpi.allocation import PlanLevel
from kpi.models import PlanSettings, SalesTarget
from kpi.pacing import pacing_get
from kpi.services.plan_settings import plan_settings_update
from kpi.services.plans import target_set

SAVE = reverse("organisation_section_save", kwargs={"slug": "acme", "code": "financial-year"})
LONG_AGO = dt.date(2020, 1, 1)  # the plans' "today": every day of them is still to come


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_lead_saves_the_first_month(personas):
    client = _client(personas.lead)
    page = client.get(reverse("organisation_settings")).content.decode()
    assert '<select name="first_month"' in page and '<option value="1" selected>January</option>' in page
    assert "Plans already made keep the months they were made with." in page
    response = client.post(SAVE, {"first_month": "4"})
    assert response.status_code == 302 and response["Location"].endswith("#financial-year")
    assert PlanSettings.objects.get(organisation=personas.acme).first_month == 4
    assert selectors.first_month_get(organisation_id=personas.acme.pk) == 4
    assert selectors.first_month_get(organisation_id=personas.store_c.organisation_id) == 1, "only acme"
    again = client.get(response["Location"]).content.decode()
    assert "The financial year&#x27;s first month is saved." in again
    assert '<option value="4" selected>April</option>' in again
    client.post(SAVE, {"first_month": "7"})
    assert PlanSettings.objects.get(organisation=personas.acme).first_month == 7, "changed again, one row"


def test_a_month_that_is_not_one_is_refused(personas):
    response = _client(personas.lead).post(SAVE, {"first_month": "13"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not PlanSettings.objects.exists()


def test_new_plans_and_the_pacing_follow_it_plans_made_before_keep_theirs(personas):
    before = target_set(store=personas.store_a, year=2029, annual=Decimal("3650000"), today=LONG_AGO)
    assert (before.first_day, before.last_day) == (dt.date(2029, 1, 1), dt.date(2029, 12, 31))

    assert _client(personas.lead).post(SAVE, {"first_month": "4"}).status_code == 302

    after = target_set(store=personas.store_a, year=2030, annual=Decimal("3650000"), today=LONG_AGO)
    assert (after.first_month, after.first_day, after.last_day) == (
        4,
        dt.date(2030, 4, 1),
        dt.date(2031, 3, 31),
    )
    before.refresh_from_db()
    assert (before.first_month, before.first_day, before.last_day) == (
        1,
        dt.date(2029, 1, 1),
        dt.date(2029, 12, 31),
    )
    year = pacing_get(stores=[personas.store_a], day=dt.date(2030, 6, 1), levels=(PlanLevel.YEAR,))[
        PlanLevel.YEAR
    ]
    assert (year[personas.store_a.pk].start, year[personas.store_a.pk].end) == (
        dt.date(2030, 4, 1),
        dt.date(2031, 3, 31),
    )
    assert SalesTarget.objects.filter(store=personas.store_a).count() == 2


def test_the_boss_reads_it_and_cannot_change_it(personas):
    PlanSettings.objects.create(organisation=personas.acme, first_month=4)
    client = _client(personas.boss)
    page = client.get(reverse("organisation_settings")).content.decode()
    assert "<dt>The financial year starts in</dt><dd>April</dd>" in page
    assert '<select name="first_month"' not in page
    assert client.post(SAVE, {"first_month": "1"}).status_code == 404
    assert PlanSettings.objects.get(organisation=personas.acme).first_month == 4


@pytest.mark.parametrize("name", ["operator", "stranger", "nobody"])
def test_others_get_404(personas, name):
    assert _client(personas.user(name)).post(SAVE, {"first_month": "4"}).status_code == 404
    assert not PlanSettings.objects.exists()


def test_the_service_checks_the_lead_at_the_moment_of_the_write(personas):
    with pytest.raises(PermissionDenied):
        plan_settings_update(organisation=personas.acme, first_month=4, user=personas.boss)
    with pytest.raises(PermissionDenied):
        plan_settings_update(organisation=personas.acme, first_month=4, user=personas.stranger)
    assert not PlanSettings.objects.exists()
    assert (
        plan_settings_update(organisation=personas.acme, first_month=4, user=personas.superuser).first_month
        == 4
    )
