"""Every periodic job, in one place, for `python manage.py rqcron opsdesk/schedule.py`.

RQ evaluates cron strings in UTC: each line says the Asia/Shanghai time in its comment.
Each entry is a thin job wrapper from an app's jobs.py.
"""

from rq import cron

from opsdesk import jobs

# 03:30 Asia/Shanghai every day.
cron.register(jobs.expired_sessions_delete, queue_name="default", cron="30 19 * * *")
