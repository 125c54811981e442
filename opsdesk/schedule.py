"""Every periodic job, in one place, for `python manage.py rqcron opsdesk/schedule.py`.

RQ evaluates cron strings in UTC: each line says the Asia/Shanghai time in its comment.
Each entry is a thin job wrapper from an app's jobs.py.
"""

from rq import cron

from kpi import jobs as kpi_jobs
from opsdesk import jobs
from reports import jobs as reports_jobs
from stores import jobs as stores_jobs
from tasks import jobs as tasks_jobs

# 03:30 Asia/Shanghai every day.
cron.register(jobs.expired_sessions_delete, queue_name="default", cron="30 19 * * *")

# 01:15 Asia/Shanghai every day, a quiet hour: the item days' partitions of this month and
# the next 3 (the job takes the Shanghai date, not the UTC one).
cron.register(stores_jobs.item_partitions_ahead, queue_name="default", cron="15 17 * * *")

# 02:00 Asia/Shanghai every day: roll up yesterday, one job per store.
cron.register(reports_jobs.rollup_nightly, queue_name="nightly", cron="0 18 * * *")

# Every 15 minutes of Monday Asia/Shanghai (Sunday 16:00 – Monday 15:45 UTC; the cron runs all of
# Sunday and Monday UTC and the job does nothing on another local day): last week's report to each
# organisation whose send time (set on /organisation/, 09:00 by default) has come, once a week.
cron.register(reports_jobs.weekly_report_emails_due, queue_name="default", cron="*/15 * * * 0,1")

# 10:00 Asia/Shanghai every day: yesterday's alerts, missing numbers included.
cron.register(reports_jobs.alerts_daily_check, queue_name="default", cron="0 2 * * *")

# 06:00 Asia/Shanghai every day: today's checklists (22:00 UTC is already the next day in Shanghai).
cron.register(tasks_jobs.checklists_generate, queue_name="default", cron="0 22 * * *")

# 04:00 Asia/Shanghai every day: last month's KPI scores close on KPI_MONTH_CLOSE_DAY.
cron.register(kpi_jobs.months_close_due, queue_name="default", cron="0 20 * * *")
