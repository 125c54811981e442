"""Background jobs: in-process without Redis, through a real Redis queue and worker with it."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone
from rq import SimpleWorker

from opsdesk import jobs, queue


def _expired_session() -> Session:
    return Session.objects.create(
        session_key="expired", session_data="", expire_date=timezone.now() - dt.timedelta(days=1)
    )


@pytest.mark.django_db
def test_job_deletes_only_expired_sessions():
    _expired_session()
    Session.objects.create(
        session_key="live", session_data="", expire_date=timezone.now() + dt.timedelta(days=1)
    )
    assert jobs.expired_sessions_delete() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_without_redis_a_job_runs_in_process_when_the_transaction_commits(django_capture_on_commit_callbacks):
    _expired_session()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queue.enqueue(jobs.expired_sessions_delete)
        assert Session.objects.exists(), "nothing runs before the commit"
    assert len(callbacks) == 1
    assert not Session.objects.exists()


@pytest.mark.redis
@pytest.mark.django_db
def test_with_redis_a_job_is_queued_on_commit_and_a_worker_runs_it(
    redis_queue, django_capture_on_commit_callbacks
):
    _expired_session()
    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue(jobs.expired_sessions_delete)
        assert redis_queue.count == 0, "queued only when the transaction commits"
    assert redis_queue.count == 1
    assert Session.objects.exists(), "the job waits for a worker"

    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)

    assert redis_queue.count == 0
    assert not Session.objects.exists()
