"""The ops lead's manual KPI items (issue 14, "Manual scoring"): the attainment and comment of each
person's manual items for one ISO week or month, entered for the whole team at once, then the
period scored again so that the team table shows them.

Only the ops lead of the organisation (or a superuser) writes them; the check is made here, at the
moment of the write (stores.access.is_lead_of). Only the manual items of the period's sheet
(kpi.scorecard_selectors.manual_sheet_get) may be written, never those of a period still to come,
nor of a closed month (reopen it first: its scores are frozen).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kpi.models import ManualScore, MonthClose
from kpi.scorecard_selectors import manual_sheet_get
from kpi.services.scores import scores_compute
from stores import access, periods
from stores.models import Organisation
from stores.periods import Period

FRACTION_PLACES = Decimal("0.0001")


class ManualScoresRefused(ValueError):
    """Manual scores that cannot be saved; the message says why."""


@dataclass(frozen=True)
class ManualEntry:
    """One person's manual item in one role: the attainment as a fraction (None: no score, any
    earlier one is taken away) and the comment."""

    user_id: int
    role: str
    item_code: str
    attainment: Decimal | None
    comment: str = ""


def manual_scores_save(
    *,
    organisation: Organisation,
    kind: str,
    period: Period,
    entries: Iterable[ManualEntry],
    user,
    today: dt.date | None = None,
) -> int:
    """Save the entries that changed (who entered an unchanged one stays as it was), then score the
    period again; returns how many changed.
    PermissionDenied for anyone but the organisation's ops lead; ManualScoresRefused for a period
    that has not started, a closed month, or an item that is not one of the period's manual items."""
    if not access.runs_organisation(user, organisation.pk):
        raise PermissionDenied("Only the ops lead enters manual scores.")
    today = today or periods.today()
    if period.start > today:
        raise ManualScoresRefused(_("%(period)s has not started yet.") % {"period": period.label})
    if (
        kind == "month"
        and MonthClose.objects.filter(
            organisation=organisation, month_start=period.start, closed=True
        ).exists()
    ):
        raise ManualScoresRefused(
            _("%(period)s is closed: reopen it to change its manual scores.") % {"period": period.label}
        )
    entries = list(entries)
    allowed = {
        (row.user.pk, row.role, row.code)
        for row in manual_sheet_get(organisation=organisation, kind=kind, period=period)
    }
    unknown = [entry for entry in entries if (entry.user_id, entry.role, entry.item_code) not in allowed]
    if unknown:
        raise ManualScoresRefused(_("Some of these items are not manual items of this period."))
    changed = 0
    with transaction.atomic():
        existing = {
            (score.user_id, score.role, score.item_code): score
            for score in ManualScore.objects.select_for_update().filter(
                organisation=organisation, kind=kind, period_start=period.start
            )
        }
        for entry in entries:
            key = (entry.user_id, entry.role, entry.item_code)
            found = existing.get(key)
            comment = entry.comment.strip()
            if entry.attainment is None:
                if found is not None:
                    found.delete()
                    changed += 1
                continue
            attainment = Decimal(entry.attainment).quantize(FRACTION_PLACES)
            if found is not None and (found.attainment, found.comment) == (attainment, comment):
                continue
            ManualScore.objects.update_or_create(
                user_id=entry.user_id,
                role=entry.role,
                item_code=entry.item_code,
                kind=kind,
                period_start=period.start,
                defaults={
                    "organisation": organisation,
                    "attainment": attainment,
                    "comment": comment,
                    "entered_by": user,
                },
            )
            changed += 1
    scores_compute(organisation=organisation, kind=kind, period=period, today=today)
    return changed
