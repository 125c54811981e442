"""Gunicorn settings of the web service (docker-compose's `web`, run from the image's WORKDIR /app).

Gunicorn reads ./gunicorn.conf.py from its working directory; options on its command line win over
this file. Sized for a 2-core machine; tune with WEB_CONCURRENCY (processes) and WEB_THREADS
(threads per process). Behind a buffering reverse proxy in production (README, "Production").
"""

import os

# Inside the container; compose publishes it on the host's 127.0.0.1:8000 only.
bind = ["0.0.0.0:8000"]

# Threads instead of one request per process: a sync worker reading from a client that sends
# nothing (or half a request) is held until `timeout`, and with 2 of them one such client each
# blocked everyone. A gthread worker's main thread accepts and polls; a request line and headers go
# to one of its threads. Gunicorn 24+ still lends a thread to a new connection for up to 5 s while
# it waits for its first bytes (then parks it in the poller), so there must be more threads than
# the silent connections one process may receive at once.
worker_class = "gthread"
# One process per core: the GIL runs one thread of a process at a time, so processes give the CPU
# parallelism and threads overlap the waits (PostgreSQL, Redis, slow sockets).
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
# Each thread holds its own PostgreSQL connection for CONN_MAX_AGE (60 s, opsdesk/settings.py):
# up to workers × threads connections (2 × 16 = 32 of PostgreSQL's default 100).
threads = int(os.environ.get("WEB_THREADS", 16))

# With gthread this is the heartbeat of a worker's main loop, not a limit on a request: a worker
# that stops answering for 30 s is killed and replaced; a slow request in a thread is not cut off.
timeout = 30
# On a restart or stop, requests in progress get this long (the longest, the 500-store weekly
# .xlsx, takes about 5 s); under Docker's default 10 s between SIGTERM and SIGKILL.
graceful_timeout = 8
# Idle kept-alive connections wait in the poller, not in a thread, and are closed after this long
# (so is a new connection that has sent nothing). Longer than a proxy's idle upstream connections
# (nginx's upstream keepalive_timeout, a load balancer's idle timeout: 60 s) so that the client
# side closes first: when gunicorn closes one just as a request is sent on it, that request gets a
# connection reset (bench/load saw it with 5 s, users reading ~5 s between pages).
keepalive = 75

# A fresh process now and then returns memory that large exports (pandas, openpyxl) leave
# fragmented; the jitter keeps the two workers from restarting together.
max_requests = 1000
max_requests_jitter = 200

# Access log on stdout (docker logs) with the request's server time in seconds as the last field
# (%(L)s, microsecond precision): where server-side times are read from (bench/load/).
accesslog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)s'
errorlog = "-"

# No runtime control socket (gunicorn 25+, for gunicornc): nothing uses it, and every gunicorn of
# one user would share its default path ($HOME/.gunicorn/gunicorn.ctl).
control_socket_disable = True
