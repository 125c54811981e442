"""The web server as production runs it: a client that connects and sends nothing blocks nobody.

A real gunicorn is started with the project's gunicorn.conf.py (from the project directory, as in
the image) on a free loopback port, with one worker process so that every connection reaches the
same process: the worst case. It serves the test settings on a throwaway SQLite file; the login
page and its assets need no data.

With sync workers one silent connection held the only worker until its timeout (30 s) and a
normal page waited behind it. To see these tests fail that way:

    GUNICORN_CMD_ARGS="--worker-class sync --threads 1" .venv/bin/pytest tests/opsdesk/test_gunicorn.py

(gunicorn turns a sync worker with more than one thread into a gthread one.)
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SILENT_CONNECTIONS = 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, *, timeout: float) -> tuple[int, float]:
    """(status, seconds) of one GET on a new connection."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(port, path of gunicorn's output): gunicorn.conf.py's settings with one worker process."""
    port = _free_port()
    folder = tmp_path_factory.mktemp("gunicorn")
    output = folder / "gunicorn.log"
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
    }
    if "GUNICORN_CMD_ARGS" in os.environ:  # an override to try other workers (see the docstring)
        environment["GUNICORN_CMD_ARGS"] = os.environ["GUNICORN_CMD_ARGS"]
    with output.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "opsdesk.wsgi:application", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(port, "/login/", timeout=5)[0] == 200:  # also loads the app: the warm-up
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{output.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield port, output
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def silent_clients(server):
    """SILENT_CONNECTIONS connections that send nothing and one that stalls half-way through its
    request line, as a slow or hostile client (or a browser's unused preconnection) does."""
    port, _output = server
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(SILENT_CONNECTIONS)]
    stalled = socket.create_connection(("127.0.0.1", port))
    stalled.sendall(b"GET /log")
    clients.append(stalled)
    time.sleep(0.5)  # accepted, and each handed to a thread waiting for its bytes
    yield clients
    for client in clients:
        client.close()


def test_a_page_answers_at_once_while_clients_hold_connections_open_sending_nothing(server, silent_clients):
    port, output = server
    for _ in range(3):
        status, seconds = _get(port, "/login/", timeout=10)
        assert status == 200
        assert seconds < 1, f"the login page took {seconds:.1f} s behind {len(silent_clients)} silent clients"


def test_the_silent_connections_are_still_open_meanwhile(server, silent_clients):
    """The server did not get its way by dropping them: they are only waited for, off the threads."""
    port, _output = server
    _get(port, "/login/", timeout=10)
    for client in silent_clients:
        client.setblocking(False)
        with pytest.raises(BlockingIOError):  # nothing to read, and not closed (that reads b"")
            client.recv(1)


def test_the_access_log_gives_each_request_its_server_time(server):
    port, output = server
    _get(port, "/login/?from=access-log-test", timeout=10)
    deadline = time.monotonic() + 5
    while not (lines := [line for line in output.read_text().splitlines() if "access-log-test" in line]):
        assert time.monotonic() < deadline, "no access log line for the request"
        time.sleep(0.1)
    (line,) = lines
    assert re.search(r'"GET /login/\?from=access-log-test HTTP/1\.1" 200 .* \d+\.\d{6}$', line), line
