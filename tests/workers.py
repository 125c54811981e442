"""Real RQ workers in processes of their own, for the tests that kill them.

They reach the test database (PostgreSQL only: the SQLite test database lives in the test's
memory) and the Redis of `redis_url`, with the job timings of `environment`.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs the PostgreSQL test database")


def worker_environment(redis_url: str, **environment: str) -> dict:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        **environment,
    }


def _python(script: str, arguments: tuple[str, ...], redis_url: str, environment: dict) -> dict:
    """The keyword arguments of subprocess.run / Popen for `python -c script arguments…`."""
    return {
        "args": [sys.executable, "-c", script, *arguments],
        "cwd": ROOT,
        "env": worker_environment(redis_url, **environment),
    }


def worker_start(script: str, *arguments: str, redis_url: str, **environment: str) -> subprocess.Popen:
    """`python -c script arguments…` in its own process group (to kill it whole)."""
    return subprocess.Popen(
        **_python(script, arguments, redis_url, environment),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def worker_run(
    script: str, *arguments: str, redis_url: str, **environment: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        **_python(script, arguments, redis_url, environment), capture_output=True, timeout=120
    )
