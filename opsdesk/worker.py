"""RQ's workers as OpsDesk runs them (docker-compose's `worker` and `nightly-worker`).

Two changes to RQ's own: maintenance every MAINTENANCE_INTERVAL seconds instead of ten minutes,
so a scheduler that died in a Redis outage is restarted within a minute; and the outbox swept
(opsdesk.queue.jobs_sweep) at start-up and at each maintenance, so jobs that waited for Redis
are delivered and jobs whose worker died are taken back within JOB_ABANDONED_AFTER plus a
minute.
"""

import logging

import rq
from django.db import connections

from opsdesk import queue

log = logging.getLogger(__name__)
MAINTENANCE_INTERVAL = 30


class SweepingMixin:
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("maintenance_interval", MAINTENANCE_INTERVAL)
        super().__init__(*args, **kwargs)

    @property
    def dequeue_timeout(self) -> int:
        # RQ waits for a job up to worker_ttl - 15 s (405 s) and runs maintenance only between
        # waits: an idle worker must wake up to sweep.
        return min(super().dequeue_timeout, MAINTENANCE_INTERVAL)

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        try:
            outcome = queue.jobs_sweep()
            if outcome.abandoned or outcome.lost or outcome.delivered:
                log.info("Outbox swept: %s", outcome)
        except Exception:
            log.exception("Outbox sweep failed; the next maintenance tries again")


class Worker(SweepingMixin, rq.Worker):
    """Forks a work horse per job (imports, emails, rollups after a change)."""

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        # The sweep's database connection must not be inherited by the next work horse: two
        # processes on one connection corrupt it. (One inside a transaction is a test's own.)
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()


class SimpleWorker(SweepingMixin, rq.SimpleWorker):
    """Runs each job in its own process: the nightly rollup's many short jobs."""
