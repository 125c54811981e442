from django.dispatch import Signal

# Sent once an organisation's rollups of some days are written (the night's run, a recomputation
# after a change of numbers, a re-run), with organisation_id: int and days: list[datetime.date].
# What reads rollups in a higher app (kpi's scores) listens and queues its own recomputation.
rollups_written = Signal()
