"""The one way OpsDesk starts a background job.

With REDIS_URL set, a job goes to an RQ queue (django-rq enqueues it when the surrounding
transaction commits) and an `rqworker` runs it, retrying it as `retry` says. Without REDIS_URL
(the demo, a laptop) the job runs synchronously in this process once the transaction commits,
in the order jobs were queued; a failure there is logged, not raised into the page that queued
the job.
"""

from collections.abc import Callable

import django_rq
from django.conf import settings
from django.db import transaction
from rq import Retry


def redis_enabled() -> bool:
    return bool(settings.REDIS_URL)


def enqueue(func: Callable, *args, queue_name: str = "default", retry: Retry | None = None, **kwargs) -> None:
    if redis_enabled():
        django_rq.get_queue(queue_name).enqueue_call(func, args=args, kwargs=kwargs, retry=retry)
    else:
        transaction.on_commit(lambda: func(*args, **kwargs), robust=True)
