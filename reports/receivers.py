"""Reports listen to changes of daily numbers: whatever changed is rolled up again."""

from reports import jobs


def rollups_on_metrics_change(sender, *, store_dates, **kwargs) -> None:
    jobs.rollups_after_change(store_dates=store_dates)
