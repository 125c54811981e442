import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stores.exports import FORMATS, daily_metrics_export
from stores.models import Store


class Command(BaseCommand):
    help = "Export raw daily metrics, one row per store and date, as .csv or .xlsx (re-importable as is)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, required=True, help="FILE.csv or FILE.xlsx")
        parser.add_argument("--store", help="Slug of one store (default: every store).")
        parser.add_argument(
            "--from", dest="date_from", type=dt.date.fromisoformat, help="First date, YYYY-MM-DD."
        )
        parser.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, help="Last date, YYYY-MM-DD.")
        parser.add_argument(
            "--lang", choices=["zh", "en"], default="zh", help="Chinese headers or canonical codes."
        )

    def handle(self, *args, output: Path, store, date_from, date_to, lang, **options):
        file_format = output.suffix.lstrip(".").lower()
        if file_format not in FORMATS:
            raise CommandError("The output file must end in .csv or .xlsx.")
        stores = Store.objects.all()
        if store:
            stores = stores.filter(slug=store)
            if not stores.exists():
                raise CommandError(f"No store with the slug “{store}”.")
        content = daily_metrics_export(
            stores=stores, date_from=date_from, date_to=date_to, lang=lang, file_format=file_format
        )
        output.write_bytes(content)
        self.stdout.write(f"Wrote {output} ({len(content):,} bytes).")
