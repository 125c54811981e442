from django.dispatch import Signal

# Sent inside the transaction that changes some days' metrics, with
# store_dates: dict[int, set[datetime.date]] (store id -> the dates whose numbers changed).
# Whatever depends on daily numbers (rollups, alerts) listens and queues (opsdesk.queue) the
# recomputation of exactly those days: the jobs are written in the same transaction, and run
# once it commits; if it rolls back, they vanish with it.
daily_metrics_changed = Signal()
