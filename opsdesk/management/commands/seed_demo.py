import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpi.demo import kpi_demo_seed
from kpi.scores_demo import kpi_scores_demo_seed
from reports.demo import reports_demo_seed
from stores.demo import DemoLogin, demo_seed
from stores.periods import today, yesterday
from stores.team.demo import team_demo_seed
from tasks.demo import tasks_demo_seed


class Command(BaseCommand):
    """The demo composes every app's demo data, so it lives with the wiring (opsdesk), not in an app."""

    help = (
        "Rebuild the demo organisation (示例电商有限公司): stores, users and realistic daily numbers "
        "from 1 January YEARS years ago up to yesterday. Development only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stores", type=int, default=3, help="Number of demo stores (default 3).")
        parser.add_argument(
            "--years", type=int, default=2, help="Full past calendar years before this one (default 2)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed; same seed, same numbers.")
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, stores: int, years: int, seed: int, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo replaces the demo organisation's data and is meant for development. "
                "Run it with DEBUG=true, or add --force if you really want demo data here."
            )
        if stores < 1 or years < 0:
            raise CommandError("--stores must be at least 1 and --years at least 0.")
        started = time.monotonic()
        summary = demo_seed(stores=stores, years=years, seed=seed, end_date=yesterday())
        # Targets first: the nights the reports demo runs raise the pacing alerts too.
        kpi_demo_seed(organisation=summary.organisation, today=today())
        reports_demo_seed(organisation=summary.organisation, end_date=summary.last)
        tasks_demo_seed(organisation=summary.organisation, end_date=today())
        # Scores last: they read the numbers, the plans, the checklists and the 日报.
        kpi_scores_demo_seed(organisation=summary.organisation, today=today())
        # The team last: who left keeps the history seeded above.
        team = team_demo_seed(organisation=summary.organisation)
        elapsed = time.monotonic() - started
        self.stdout.write(login_table(summary.logins, password=summary.password))
        self.stdout.write(
            f"Team: {team.former} has left (deactivated, history kept); {team.invited} is invited and "
            f"sets a password at http://127.0.0.1:8000{team.invitation_path}"
        )
        self.stdout.write(
            f"Seeded {summary.stores} stores × {summary.days} days ({summary.first} … {summary.last}): "
            f"{summary.rows} daily rows in {elapsed:.1f} s."
        )


def login_table(logins: list[DemoLogin], *, password: str) -> str:
    rows = [("username", "role", "stores", "password")]
    for login in logins:
        if login.stores is None:
            stores = "all"
        elif len(login.stores) > 3:
            stores = f"{len(login.stores)} stores"
        else:
            stores = ", ".join(login.stores) or "-"
        rows.append((login.username, login.role, stores, password))
    widths = [max(_width(row[column]) for row in rows) for column in range(4)]
    return "\n".join(
        "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
