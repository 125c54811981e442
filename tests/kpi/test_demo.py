"""The demo shows the sales targets and the scorecards on first visit: every store planned for this
year and next with overrides and a lock, and every demo person scored for 12 weeks and 6 months, one
month closed and corrected late, manual items with comments."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from kpi.models import KpiScore, ManualScore, MonthClose, PlanChange, PlanLock, SalesTarget
from stores import periods


@pytest.fixture
def demo(db, jobs_in_process, django_capture_on_commit_callbacks):
    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--years", "1", "--stores", "2")


def test_every_store_has_a_plan_for_this_year_and_next_with_overrides_and_a_lock(demo):
    year = periods.today().year
    assert set(SalesTarget.objects.values_list("store__slug", "year")) == {
        (slug, plan_year) for slug in ("demo-flagship", "demo-specialty") for plan_year in (year, year + 1)
    }
    assert PlanChange.objects.filter(kind="override").exclude(reason="").exists()
    assert PlanLock.objects.filter(label=f"{year + 1}-11").exists()


def test_every_demo_person_is_scored_for_12_weeks_and_6_months(demo):
    # "former" worked the whole history and left at the end (their scores stay); "xinren" joined
    # at the end, and the jobs of the demo's late corrections score her current week and month.
    people = {"lead", "operator", "promotion", "designer", "service", "content", "former", "xinren"}
    for kind, count in (("week", 12), ("month", 6)):
        scored = KpiScore.objects.filter(kind=kind)
        assert set(scored.values_list("user__username", flat=True)) == people
        # At least these; the jobs the demo's own corrections queue score the recent past too.
        assert scored.values("period_start").distinct().count() >= count
    assert ManualScore.objects.exclude(comment="").exists()
    (closed,) = MonthClose.objects.filter(closed=True)
    corrected = KpiScore.objects.filter(
        kind="month", period_start=closed.month_start, latest_total__isnull=False
    )
    assert corrected.exists(), "a late correction of the closed month shows"
