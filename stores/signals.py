from django.dispatch import Signal

# Sent after the transaction that changed some days' metrics commits, with
# store_dates: dict[int, set[datetime.date]] (store id -> the dates whose numbers changed).
# Whatever depends on daily numbers (rollups, alerts) listens and recomputes exactly those days.
daily_metrics_changed = Signal()
