import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.services import rollups_rebuild
from stores.models import Store


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text}") from error


class Command(BaseCommand):
    help = (
        "Rebuild the stored rollups (day, ISO week, month, quarter, year) of every store, or of one, "
        "synchronously. Periods cut by --from or --to are rebuilt whole. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--store", help="The store's slug (default: every store).")
        parser.add_argument(
            "--from", dest="date_from", help="First day, YYYY-MM-DD (default: the first recorded)."
        )
        parser.add_argument("--to", dest="date_to", help="Last day, YYYY-MM-DD (default: the last recorded).")

    def handle(self, *args, store: str | None, date_from: str | None, date_to: str | None, **options) -> None:
        stores = Store.objects.all()
        if store:
            stores = stores.filter(slug=store)
            if not stores.exists():
                raise CommandError(f"No store with the slug {store!r}.")
        first, last = (_day(date_from) if date_from else None), (_day(date_to) if date_to else None)
        if first and last and first > last:
            raise CommandError("--from is after --to.")
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done}/{total} stores ({time.monotonic() - started:.1f} s)")

        written = rollups_rebuild(stores=stores, date_from=first, date_to=last, progress=progress)
        self.stdout.write(f"Rolled up: {written} rows written in {time.monotonic() - started:.1f} s.")
