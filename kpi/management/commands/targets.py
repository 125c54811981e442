"""`manage.py targets set|show|override`: a store's sales targets from the command line.

An admin tool: it runs with full access, like the other management commands (no user, so no role is
asked). A plan that refuses a change (kpi.rebalance.PlanRefused) ends the command with its reason on
stderr and exit status 1, as does any bad option.
"""

from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kpi import exports, selectors
from kpi.imports import messages as target_messages
from kpi.models import SalesTarget
from kpi.rebalance import PlanRefused, money_shown
from kpi.services.changes import plan_override, plan_period_parse
from kpi.services.plans import target_set
from stores import periods
from stores.imports import cells
from stores.imports import messages as import_messages
from stores.models import Store

CENT = Decimal("0.01")
PERCENT_LIMIT = Decimal(10_000)  # the column holds 6 digits, 2 of them decimals


def amount_parse(option: str, text: str) -> Decimal:
    """An amount option: 36000000, 36,000,000.00, ¥36,000,000 (never negative, to the cent)."""
    try:
        amount = cells.parse_money(text)
    except cells.CellError as error:
        raise CommandError(f"--{option}: {import_messages.cell_problem(error.problem, text)}") from None
    if amount is None:
        raise CommandError(f"--{option}: {import_messages.cell_problem('not_number', text)}")
    return amount


def percent_parse(option: str, text: str | None) -> Decimal | None:
    """A percentage option: 80 or 80% (of the annual target), at most 2 decimals."""
    if text is None:
        return None
    try:
        parsed = cells.parse_number(text)
    except cells.CellError as error:
        raise CommandError(f"--{option}: {import_messages.cell_problem(error.problem, text)}") from None
    problem = None
    if parsed is None:
        problem = "not_number"
    elif parsed[0] < 0:
        problem = "negative"
    elif parsed[0] >= PERCENT_LIMIT:
        problem = "too_large"
    elif parsed[0] != parsed[0].quantize(CENT):
        problem = "money_decimals"
    if problem:
        raise CommandError(f"--{option}: {import_messages.cell_problem(problem, text)}")
    return parsed[0].quantize(CENT)


class Command(BaseCommand):
    help = (
        "A store's sales targets: set the annual target of a financial year, show the plan as JSON, CSV "
        "or Excel, or set a month, week or day to an amount (the rest of the year re-balanced)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{set,show,override}")

        set_parser = actions.add_parser("set", help="Set a store's annual target for a financial year.")
        set_parser.add_argument("--store", required=True, metavar="SLUG")
        set_parser.add_argument("--year", type=int, required=True, metavar="YYYY", help="The financial year.")
        set_parser.add_argument("--annual", required=True, metavar="AMOUNT", help="36000000 or 36,000,000.00")
        set_parser.add_argument("--floor", metavar="PCT", help="保底 as a percentage of the annual target.")
        set_parser.add_argument("--stretch", metavar="PCT", help="冲刺 as a percentage of the annual target.")
        set_parser.add_argument("--reason", default="", metavar="TEXT")

        show = actions.add_parser("show", help="Write a store's plan as JSON, CSV or Excel.")
        show.add_argument("--store", required=True, metavar="SLUG")
        show.add_argument("--year", type=int, required=True, metavar="YYYY")
        show.add_argument("--format", dest="file_format", choices=exports.FORMATS, required=True)
        show.add_argument("-o", "--output", type=Path, help="FILE (json and csv go to stdout without it).")

        override = actions.add_parser("override", help="Set a month, ISO week or day of a plan to an amount.")
        override.add_argument("--store", required=True, metavar="SLUG")
        override.add_argument("--period", required=True, help="2027-05, 2027-W19 or 2027-05-20.")
        override.add_argument("--amount", required=True, metavar="AMOUNT")
        override.add_argument("--reason", required=True, metavar="TEXT")
        override.add_argument("--lock", action="store_true", help="Lock the period once it is set.")

    def handle(self, *args, action: str, **options):
        try:
            {"set": self.target_set, "show": self.plan_show, "override": self.plan_override}[action](
                **options
            )
        except PlanRefused as refused:
            raise CommandError(str(refused)) from refused

    def store_found(self, slug: str) -> Store:
        store = Store.objects.filter(slug=slug).select_related("organisation").first()
        if store is None:
            raise CommandError(_("No store with the slug “%(slug)s”.") % {"slug": slug})
        return store

    def year_checked(self, year: int) -> int:
        first, last = periods.FIRST_DAY.year, periods.last_supported_day().year
        if not first <= year <= last:
            raise CommandError(
                _("--year: plans are for the years %(first)s to %(last)s.") % {"first": first, "last": last}
            )
        return year

    def target_set(self, *, store: str, year: int, annual: str, floor, stretch, reason: str, **options):
        chosen = self.store_found(store)
        year = self.year_checked(year)
        amount = amount_parse("annual", annual)
        floor_percent, stretch_percent = percent_parse("floor", floor), percent_parse("stretch", stretch)
        existing = selectors.plan_get(store=chosen, year=year)
        if existing is not None:  # the levels not given stay as they are
            floor_percent = existing.floor_percent if floor is None else floor_percent
            stretch_percent = existing.stretch_percent if stretch is None else stretch_percent
        plan = target_set(
            store=chosen,
            year=year,
            annual=amount,
            floor_percent=floor_percent,
            stretch_percent=stretch_percent,
            reason=reason,
        )
        self.stdout.write(
            _(
                "%(store)s %(plan)s (%(first)s – %(last)s): annual target %(annual)s, floor %(floor)s, "
                "stretch %(stretch)s; version %(version)s."
            )
            % {
                "store": chosen.slug,
                "plan": plan.label,
                "first": plan.first_day.isoformat(),
                "last": plan.last_day.isoformat(),
                "annual": money_shown(plan.annual),
                "floor": money_shown(plan.floor),
                "stretch": money_shown(plan.stretch),
                "version": plan.version,
            }
        )

    def plan_show(self, *, store: str, year: int, file_format: str, output: Path | None, **options):
        chosen = self.store_found(store)
        if file_format == "xlsx" and output is None:
            raise CommandError(_("An Excel export needs a file: add -o FILE.xlsx."))
        plan = selectors.plan_get(store=chosen, year=self.year_checked(year))
        if plan is None:
            raise CommandError(target_messages.no_plan(chosen.slug, year))
        content = exports.plan_export(plan=plan, file_format=file_format)
        if output is None:
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from error
        self.stderr.write(
            _("Wrote %(file)s (%(size)s bytes).") % {"file": output, "size": f"{len(content):,}"}
        )

    def plan_override(self, *, store: str, period: str, amount: str, reason: str, lock: bool, **options):
        chosen = self.store_found(store)
        chosen_period = plan_period_parse(period)
        value = amount_parse("amount", amount)
        plan = (
            SalesTarget.objects.filter(
                store=chosen, first_day__lte=chosen_period.end, last_day__gte=chosen_period.start
            )
            .order_by("first_day")
            .first()
        )
        if plan is None:
            raise CommandError(
                _("“%(store)s” has no plan covering %(period)s.")
                % {"store": chosen.slug, "period": chosen_period.label}
            )
        change = plan_override(plan=plan, label=period, amount=value, reason=reason, lock=lock)
        self.stdout.write(
            _("%(store)s %(period)s: %(before)s → %(after)s (version %(version)s).")
            % {
                "store": chosen.slug,
                "period": change.label,
                "before": money_shown(change.before),
                "after": money_shown(change.after),
                "version": change.version,
            }
        )
        if change.months:
            self.stdout.write(_("Months that moved:"))
            for month in change.months:
                before, after = money_shown(Decimal(month["before"])), money_shown(Decimal(month["after"]))
                self.stdout.write(f"  {month['label']}: {before} → {after}")
        if lock:
            self.stdout.write(_("%(period)s is locked.") % {"period": change.label})
