"""An organisation's scores of a period as JSON (`manage.py kpi scores --format json`, docs/kpis.md):
one entry per person and role, ratios as fractions and money as strings (as stored), null for
what has no value."""

from kpi.models import KpiScore
from stores.models import Organisation
from stores.periods import Period

ITEM_KEYS = ("code", "source", "direction", "actual", "target", "attainment", "capped", "weight", "points")


def scores_dict(*, organisation: Organisation, kind: str, period: Period) -> dict:
    scores = (
        KpiScore.objects.filter(organisation=organisation, kind=kind, period_start=period.start)
        .select_related("user")
        .order_by("user__username", "role")
    )
    return {
        "period": {
            "kind": kind,
            "label": period.label,
            "first_day": period.start.isoformat(),
            "last_day": period.end.isoformat(),
        },
        "organisation": organisation.slug,
        "people": [
            {
                "username": score.user.username,
                "roles": [score.role],
                "stores": score.stores,
                "total": None if score.total is None else f"{score.total:.2f}",
                "provisional": score.provisional,
                "closed": score.closed,
                "changed_after_closing": None if score.latest_total is None else f"{score.latest_total:.2f}",
                "items": [{key: item.get(key) for key in ITEM_KEYS} for item in score.items],
            }
            for score in scores
        ],
    }
