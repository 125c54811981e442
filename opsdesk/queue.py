"""The one way OpsDesk starts a background job.

With REDIS_URL set, a job goes to an RQ queue (django-rq enqueues it when the surrounding
transaction commits) and an `rqworker` runs it, retrying it as `retry` says. Without REDIS_URL
(the demo, a laptop) the job runs synchronously in this process once the transaction commits,
in the order jobs were queued (which satisfies `depends_on`); a failure there is logged, not
raised into the page that queued the job.
"""

from collections.abc import Callable, Sequence

import django_rq
from django.conf import settings
from django.db import transaction
from rq import Retry
from rq.job import Job


def redis_enabled() -> bool:
    return bool(settings.REDIS_URL)


def enqueue(
    func: Callable,
    *args,
    queue_name: str = "default",
    retry: Retry | None = None,
    depends_on: Sequence[Job] | None = None,
    at_once: bool = False,
    **kwargs,
) -> Job | None:
    """Queue `func(*args, **kwargs)`; returns the RQ job (None when it runs in-process or is
    held until the transaction commits). `at_once` queues it even inside a transaction, for a
    job that other jobs must name in `depends_on`."""
    if redis_enabled():
        commit_mode = "auto" if at_once else None
        return django_rq.get_queue(queue_name, commit_mode=commit_mode).enqueue_call(
            func, args=args, kwargs=kwargs, retry=retry, depends_on=list(depends_on or []) or None
        )
    transaction.on_commit(lambda: func(*args, **kwargs), robust=True)
    return None
