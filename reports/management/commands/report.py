"""`manage.py report weekly --format xlsx -o FILE`: a period report from the stored rollups.

An admin tool: it runs with full access, like the other management commands, so it picks the
organisation from the stores (or the only organisation) instead of asking a user's role.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports import exports, selectors
from stores import periods
from stores.models import Organisation, Store
from stores.periods import Period, PeriodKind

KINDS = {"daily": PeriodKind.DAY, "weekly": PeriodKind.WEEK, "monthly": PeriodKind.MONTH}
# Which period option goes with which kind of report.
PERIOD_OPTIONS = {PeriodKind.DAY: "date", PeriodKind.WEEK: "week", PeriodKind.MONTH: "month"}


class Command(BaseCommand):
    help = (
        "Write the daily, weekly or monthly report (every store of the selection and the total, "
        "with 环比 and 同比) as JSON, CSV or Excel, from the stored rollups."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="daily, weekly or monthly.")
        period = parser.add_mutually_exclusive_group()
        period.add_argument("--date", help="daily: YYYY-MM-DD (default: yesterday).")
        period.add_argument("--week", help="weekly: YYYY-Www, e.g. 2026-W47 (default: last complete week).")
        period.add_argument("--month", help="monthly: YYYY-MM (default: last complete month).")
        parser.add_argument(
            "--store",
            dest="stores",
            nargs="+",
            action="extend",
            default=[],
            metavar="SLUG",
            help="Only these stores (default: every store of the organisation).",
        )
        parser.add_argument(
            "--organisation", metavar="SLUG", help="Needed only when there are several and no --store."
        )
        parser.add_argument("--format", dest="file_format", choices=exports.FORMATS, required=True)
        parser.add_argument(
            "--lang",
            choices=["zh", "en"],
            default="zh",
            help="csv and xlsx: Chinese headers or canonical codes.",
        )
        parser.add_argument("-o", "--output", type=Path, help="FILE (json and csv go to stdout without it).")

    def handle(self, *args, kind: str, stores: list[str], file_format: str, output: Path | None, **options):
        period_kind = KINDS[kind]
        if file_format == "xlsx" and output is None:
            raise CommandError(_("An Excel report needs a file: add -o FILE.xlsx."))
        period = self.period_chosen(period_kind, options)
        chosen = self.stores_found(stores)
        organisation = self.organisation_chosen(options.get("organisation"), chosen)
        selection = selectors.organisation_selection(organisation=organisation, stores=chosen)
        report = selectors.period_report_get(selection=selection, period=period)
        if not any(row.current.get("store_days") for row in report.rows):
            self.stderr.write(
                _("Warning: no stored numbers for %(period)s (has `manage.py rollup` run?).")
                % {"period": period.label}
            )
        content = exports.period_report_export(report=report, file_format=file_format, lang=options["lang"])
        if output is None:
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        output.write_bytes(content)
        self.stderr.write(
            _("Wrote %(file)s (%(size)s bytes).") % {"file": output, "size": f"{len(content):,}"}
        )

    def period_chosen(self, kind: PeriodKind, options: dict) -> Period:
        """The period of the option that goes with `kind`, or the last complete one; an option
        of another kind (daily --week) is refused rather than silently ignored."""
        wanted = PERIOD_OPTIONS[kind]
        for option in PERIOD_OPTIONS.values():
            if option != wanted and options.get(option):
                raise CommandError(
                    _("--%(option)s does not go with a %(kind)s report: use --%(wanted)s.")
                    % {"option": option, "kind": kind.label, "wanted": wanted}
                )
        text = options.get(wanted)
        if not text:
            return periods.last_complete_period(kind)
        try:
            period = periods.period_parse(kind, text)
        except periods.UnsupportedPeriod as error:
            raise CommandError(
                _("“%(text)s” is outside the days OpsDesk supports (%(first)s to %(last)s).")
                % {
                    "text": text,
                    "first": periods.FIRST_DAY.isoformat(),
                    "last": periods.last_supported_day().isoformat(),
                }
            ) from error
        except ValueError as error:
            examples = {"date": "2026-11-21", "week": "2026-W47", "month": "2026-11"}
            raise CommandError(
                _("“%(text)s” is not a valid --%(option)s (for example %(example)s).")
                % {"text": text, "option": wanted, "example": examples[wanted]}
            ) from error
        if period.start > periods.yesterday():
            raise CommandError(_("%(period)s has no complete day yet.") % {"period": period.label})
        return period

    def stores_found(self, slugs: list[str]) -> list[Store]:
        found = {
            store.slug: store for store in Store.objects.filter(slug__in=slugs).select_related("organisation")
        }
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise CommandError(_("No store with the slug “%(slug)s”.") % {"slug": "”, “".join(unknown)})
        return list(found.values())

    def organisation_chosen(self, slug: str | None, stores: list[Store]) -> Organisation:
        """--organisation, else the stores' organisation, else the only organisation there is."""
        if slug:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                raise CommandError(_("No organisation with the slug “%(slug)s”.") % {"slug": slug})
            strangers = [store.slug for store in stores if store.organisation_id != organisation.pk]
            if strangers:
                raise CommandError(
                    _("Not stores of %(organisation)s: %(stores)s.")
                    % {"organisation": organisation.slug, "stores": ", ".join(strangers)}
                )
            return organisation
        if stores:
            owners = {store.organisation for store in stores}
            if len(owners) > 1:
                raise CommandError(_("A report covers one organisation: these stores belong to several."))
            return owners.pop()
        organisations = list(Organisation.objects.order_by("slug"))
        if len(organisations) == 1:
            return organisations[0]
        if not organisations:
            raise CommandError(_("There is no organisation yet."))
        raise CommandError(
            _("There are several organisations: choose one with --organisation (%(slugs)s).")
            % {"slugs": ", ".join(organisation.slug for organisation in organisations)}
        )
