"""The one way OpsDesk starts a background job.

With REDIS_URL set, a job goes to an RQ queue (django-rq enqueues it when the surrounding
transaction commits) and an `rqworker` runs it. Without REDIS_URL (the demo, a laptop) the job
runs synchronously in this process once the transaction commits, so callers behave the same.
"""

from collections.abc import Callable

import django_rq
from django.conf import settings
from django.db import transaction


def redis_enabled() -> bool:
    return bool(settings.REDIS_URL)


def enqueue(func: Callable, *args, queue_name: str = "default", **kwargs) -> None:
    if redis_enabled():
        django_rq.get_queue(queue_name).enqueue(func, *args, **kwargs)
    else:
        transaction.on_commit(lambda: func(*args, **kwargs))
