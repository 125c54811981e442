"""`manage.py kpi scores --week 2026-W48 | --month 2026-11 [--organisation SLUG] --format json|xlsx
[-o FILE]`: the period's KPI scores, computed first (the same job the night runs: safe to repeat).

An admin tool with full access, like the other management commands.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kpi.scorecard_exports import team_xlsx
from kpi.scorecard_selectors import team_scores_get
from kpi.scores_json import scores_dict
from kpi.services.scores import scores_compute
from stores import periods
from stores.models import Organisation
from stores.periods import PeriodKind


class Command(BaseCommand):
    help = "Compute and write an organisation's KPI scores of an ISO week or a month (JSON or Excel)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["scores"])
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument("--week", help="YYYY-Www, e.g. 2026-W48.")
        period.add_argument("--month", help="YYYY-MM, e.g. 2026-11.")
        parser.add_argument("--organisation", metavar="SLUG", help="Needed only when there are several.")
        parser.add_argument("--format", dest="file_format", choices=["json", "xlsx"], default="json")
        parser.add_argument("-o", "--output", type=Path, help="FILE (json goes to stdout without it).")

    def handle(self, *args, week, month, organisation, file_format, output, **options):
        kind, text = ("week", week) if week else ("month", month)
        try:
            period = periods.period_parse(PeriodKind(kind), text)
        except ValueError:
            raise CommandError(
                _("--%(kind)s: “%(text)s” is not a %(kind)s.") % {"kind": kind, "text": text}
            ) from None
        chosen = self.organisation_chosen(organisation)
        scores_compute(organisation=chosen, kind=kind, period=period)
        if file_format == "xlsx":
            if output is None:
                raise CommandError(_("An Excel export needs a file: add -o FILE.xlsx."))
            table = team_scores_get(organisation=chosen, kind=kind, period=period)
            output.write_bytes(team_xlsx(table=table))
            return
        content = json.dumps(
            scores_dict(organisation=chosen, kind=kind, period=period), ensure_ascii=False, indent=2
        )
        if output is None:
            self.stdout.write(content)
        else:
            output.write_text(content + "\n", encoding="utf-8")

    def organisation_chosen(self, slug: str | None) -> Organisation:
        if slug:
            found = Organisation.objects.filter(slug=slug).first()
            if found is None:
                raise CommandError(_("No organisation with the slug “%(slug)s”.") % {"slug": slug})
            return found
        organisations = list(Organisation.objects.order_by("slug")[:2])
        if len(organisations) != 1:
            raise CommandError(_("Choose the organisation with --organisation SLUG."))
        return organisations[0]
