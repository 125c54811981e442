"""kpi listens to the reports app: once an organisation's rollups of some days are written, the
scores of the weeks and months holding them are queued (kpi.jobs)."""

from kpi import jobs


def scores_after_rollups(sender, *, organisation_id: int, days, **kwargs) -> None:
    jobs.scores_enqueue(organisation_id=organisation_id, days=days)
