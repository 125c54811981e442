"""The figures of bench/load/run.py: from locust's records (client side), gunicorn's access log (server
side, each request found by its X-Bench-Request id) and gunicorn's error log (the exceptions)."""

import re
import statistics
from collections import Counter
from pathlib import Path

# Path → page, first match wins.
PAGES = [
    (r"/", "dashboard (lead)"),
    (r"/dashboard/", "dashboard (staff)"),
    (r"/dashboard/[^/]+/", "store dashboard"),
    (r"/stores/[^/]+/", "store page"),
    (r"/reports/daily/", "daily report"),
    (r"/reports/weekly/", "weekly report"),
    (r"/reports/weekly/export/", "weekly .xlsx"),
    (r"/alerts/", "alerts"),
    (r"/tasks/", "checklist"),
    (r"/tasks/items/\d+/", "tick (POST)"),
    (r"/stores/[^/]+/entry/[\d-]+/", "entry (POST)"),
]
GOAL_P95_MS = 500
# A line of Django's log "Internal Server Error: /path", then its traceback; gunicorn's own lines.
DJANGO_ERROR = re.compile(r"^Internal Server Error: (\S+)")
GUNICORN_LINE = re.compile(r"^\[\d{4}-\d\d-\d\d [\d:]+ [+-]\d{4}\] \[\d+\] \[(ERROR|CRITICAL|WARNING)\] (.*)")
# A traceback's last line: the exception, just after the indented lines of the frames.
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(: .*)?$")


def page_of(path: str) -> str:
    return next((name for pattern, name in PAGES if re.fullmatch(pattern, path)), path)


def percentiles(values: list[float]) -> str:
    if not values:
        return "—"
    if len(values) == 1:
        return f"{values[0]:.0f} / {values[0]:.0f} / {values[0]:.0f}"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"{statistics.median(values):.0f} / {cuts[94]:.0f} / {cuts[98]:.0f}"


def server_times(access_log: Path) -> dict[str, float]:
    """Request id → server-side ms: the log's last two fields are %(L)s and the id."""
    times = {}
    for line in access_log.read_text(errors="replace").splitlines():
        fields = line.rsplit(" ", 2)
        if len(fields) == 3 and fields[2] != "-" and re.fullmatch(r"\d+\.\d+", fields[1]):
            times[fields[2]] = float(fields[1]) * 1000
    return times


def exceptions(text: str) -> Counter:
    """(page, exception) → count, from Django's "Internal Server Error" records (the traceback's
    last exception line) and gunicorn's error and warning lines."""
    found: Counter = Counter()
    path, last, previous = None, None, ""
    for line in [*text.splitlines(), "[end]"]:
        match = DJANGO_ERROR.match(line)
        gunicorn = GUNICORN_LINE.match(line)
        if (match or gunicorn or line == "[end]") and path:
            found[(page_of(path), last or "(no traceback)")] += 1
            path, last = None, None
        if match:
            path = match[1]
        elif gunicorn:
            message = re.sub(r"pid:? ?[0-9]+", "pid N", gunicorn[2])[:160]
            found[("gunicorn", f"[{gunicorn[1]}] {message}")] += 1
        elif path and previous.startswith(" ") and EXCEPTION_LINE.match(line):
            last = line[:200]
        previous = line
    return found


def half(title: str, records: list[dict], seconds: float, server: dict[str, float], errors: Counter) -> bool:
    """Prints one half's table; True when it meets the goal."""
    failed = [r for r in records if r["status"] >= 500 or r["status"] == 0]
    rate = len(records) / seconds
    print(f"\n== {title}: {len(records)} requests in {seconds:.1f} s, {rate:.1f} requests/s")
    columns = "client p50 / p95 / p99 ms   server p50 / p95 / p99 ms"
    print(f"{'page':<18} {'requests':>8} {'errors':>6} {'3/4xx':>5}   {columns}")
    by_page: dict[str, list[dict]] = {}
    for record in records:
        by_page.setdefault(page_of(record["path"]), []).append(record)
    for page, rows in [*sorted(by_page.items()), ("all", records)]:
        errors_here = sum(1 for r in rows if r["status"] >= 500 or r["status"] == 0)
        unexpected = sum(1 for r in rows if 300 <= r["status"] < 500)  # every page answers 200
        client = [r["ms"] for r in rows]
        served = [server[r["rid"]] for r in rows if r["rid"] in server]
        print(
            f"{page:<18} {len(rows):>8} {errors_here:>6} {unexpected:>5}   {percentiles(client):>24}"
            f"   {percentiles(served):>24}"
        )
    if failed:
        print("errors seen by the users (page: status or connection error × count):")
        seen = Counter((page_of(r["path"]), r.get("error") or f"HTTP {r['status']}") for r in failed)
        for (page, what), count in sorted(seen.items()):
            print(f"  {page}: {what} × {count}")
    if errors:
        print("exceptions in gunicorn's error log (page: last exception of the traceback × count):")
        for (page, what), count in sorted(errors.items()):
            print(f"  {page}: {what} × {count}")
    p95 = statistics.quantiles([r["ms"] for r in records], n=100, method="inclusive")[94] if records else 0
    met = not failed and p95 < GOAL_P95_MS
    print(
        f"goal: 0 errors, client-side p95 < {GOAL_P95_MS} ms: {len(failed)} errors, p95 {p95:.0f} ms: "
        f"{'met' if met else 'NOT met'}"
    )
    return met


def ticks(records: list[dict], recorded: Counter) -> bool:
    """Successful tick POSTs against their notes in the database: each recorded exactly once."""
    posts = [r for r in records if page_of(r["path"]) == "tick (POST)"]
    succeeded = {r["rid"] for r in posts if r.get("ticked")}
    failed = {r["rid"] for r in posts if not r.get("ticked")}
    lost = [rid for rid in succeeded if recorded[rid] == 0]
    duplicated = [rid for rid, count in recorded.items() if count > 1]
    unknown = [rid for rid in recorded if rid not in succeeded | failed]
    anyway = [rid for rid in failed if recorded[rid]]
    print(
        f"\nticks: {len(succeeded)} successful tick POSTs, {sum(recorded.values())} recorded in the "
        f"database; {len(lost)} lost, {len(duplicated)} duplicated (goal: 0 lost, 0 duplicated)"
    )
    if failed or unknown:
        print(
            f"  {len(failed)} tick POSTs failed as the user saw it, {len(anyway)} of them recorded all the "
            f"same; {len(unknown)} recorded that no user sent"
        )
    return not lost and not duplicated
