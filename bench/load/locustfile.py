"""The users of bench/load/run.py, for locust (headless, started by run.py; not meant to run alone).

Ops leads and staff, each with their own session (accounts and session cookies in LOAD_ACCOUNTS,
written by run.py). Each reads a page for about LOAD_THINK seconds (uniformly 0.5–1.5×)
before the next. Every request goes as a reverse proxy would pass it (X-Forwarded-Proto: https) with
an id of its own (X-Bench-Request), which gunicorn's access log repeats; run.py reads the records
that this file writes to LOAD_RECORDS when locust quits.

A tick is the checklist's one-tap POST: it toggles the item and sets its note to "load <request id>",
so that run.py can find in the database exactly which POSTs were recorded, and how many times.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text())
THINK = float(os.environ.get("LOAD_THINK", "5"))
RECORDS: list[dict] = []
_accounts = {role: itertools.cycle([a for a in ACCOUNTS if a["role"] == role]) for role in ("lead", "staff")}


@events.test_start.add_listener
def _started(**_kwargs):
    Path(os.environ["LOAD_STARTED"]).write_text(str(time.time()))


@events.quitting.add_listener
def _save(**_kwargs):
    Path(os.environ["LOAD_RECORDS"]).write_text(json.dumps(RECORDS))


class OpsDeskUser(HttpUser):
    abstract = True
    wait_time = between(0.5 * THINK, 1.5 * THINK)
    role = ""

    def on_start(self):
        """The user's session, logged in by run.py through the login form; the cookies are sent by
        hand (they are Secure, so an http:// client's cookie jar would keep them to itself)."""
        self.account = next(_accounts[self.role])
        self.cookie = f"csrftoken={self.account['csrf']}; sessionid={self.account['session']}"
        time.sleep(random.uniform(0, THINK))  # users do not all arrive at once

    def send(self, method: str, path: str, *, data=None, rid: str = "", expects_json: bool = False):
        """One request, recorded (start, client-side time, status or connection error); the
        response, or None when the connection failed."""
        rid = rid or uuid.uuid4().hex[:16]
        https = self.host.replace("http://", "https://")
        headers = {"X-Forwarded-Proto": "https", "X-Bench-Request": rid, "Referer": f"{https}{path}"}
        headers["Cookie"] = self.cookie
        if method == "POST":
            headers["X-CSRFToken"] = self.account["csrf"]
        if expects_json:
            headers["Accept"] = "application/json"
        record = {"rid": rid, "method": method, "path": path.split("?")[0], "start": time.time()}
        started = time.perf_counter()
        response = self.client.request(
            method,
            path,
            data=data,
            headers=headers,
            allow_redirects=False,
            timeout=60,
            name=f"{method} {re.sub(r'[0-9]+', 'N', path)}",
        )
        record["ms"] = (time.perf_counter() - started) * 1000
        record["status"] = response.status_code
        if response.status_code == 0:  # locust's stand-in for a failed connection
            record["error"] = f"{type(response.error).__name__}: {response.error}"[:300]
            response = None
        RECORDS.append(record)
        self.last_record = record
        return response


class Lead(OpsDeskUser):
    """The ops lead (运营负责人): the dashboard first, reports and their files, every store."""

    role = "lead"

    @task(4)
    def dashboard(self):
        self.send("GET", "/")

    @task(2)
    def store_dashboard(self):
        self.send("GET", f"/dashboard/{random.choice(self.account['stores'])}/")

    @task(2)
    def store_page(self):
        self.send("GET", f"/stores/{random.choice(self.account['stores'])}/")

    @task(2)
    def daily_report(self):
        self.send("GET", "/reports/daily/")

    @task(2)
    def weekly_report(self):
        self.send("GET", "/reports/weekly/")

    @task(1)
    def weekly_report_xlsx(self):
        self.send("GET", "/reports/weekly/export/?format=xlsx")

    @task(1)
    def alerts(self):
        self.send("GET", "/alerts/")

    @task(1)
    def entry(self):
        """A correction of yesterday's GMV in a store: saved at once, its rollups queued (with Redis
        stopped, written to the database to follow once it is back)."""
        store = random.choice(self.account["stores"])
        gmv = f"{random.randint(4000, 6000)}.00"
        data = {"gmv": gmv, "confirm_warnings": "1"}
        self.send("POST", f"/stores/{store}/entry/{self.account['yesterday']}/", data=data)


class Staff(OpsDeskUser):
    """Staff with a role in two stores: the day's checklist, ticked item by item, and their stores."""

    role = "staff"
    weight = 4

    def on_start(self):
        super().on_start()
        self.done: dict[int, bool] = {}

    @task(4)
    def tick(self):
        if not self.account["items"]:
            return
        item = random.choice(self.account["items"])
        rid = uuid.uuid4().hex[:16]
        done = not self.done.get(item, False)
        data = {"done": "1" if done else "0", "note": f"load {rid}", "note_was": ""}
        response = self.send("POST", f"/tasks/items/{item}/", data=data, rid=rid, expects_json=True)
        if response is not None and response.status_code == 200 and response.json().get("ok"):
            self.last_record["ticked"] = True
            self.done[item] = response.json()["done"]

    @task(2)
    def checklist(self):
        self.send("GET", "/tasks/")

    @task(2)
    def dashboard(self):
        self.send("GET", "/dashboard/")

    @task(2)
    def store_page(self):
        self.send("GET", f"/stores/{random.choice(self.account['stores'])}/")

    @task(1)
    def daily_report(self):
        self.send("GET", "/reports/daily/")

    @task(1)
    def alerts(self):
        self.send("GET", "/alerts/")
