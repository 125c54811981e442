from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stores.imports.services import import_batch_create, import_batch_run
from stores.models import ImportBatch, Store


class Command(BaseCommand):
    help = "Import a 生意参谋 store-level daily export (.xlsx or .csv). Nothing is saved if any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--store", help="Slug of the store the file belongs to (omit if it has a 店铺名称 column)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show what would change; save nothing."
        )

    def handle(self, *args, path: Path, store: str | None, dry_run: bool, **options):
        chosen = Store.objects.filter(slug=store).first() if store else None
        if store and chosen is None:
            raise CommandError(f"No store with the slug “{store}”.")
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        batch = import_batch_create(content=content, file_name=path.name, store=chosen, keep_content=False)
        batch = import_batch_run(batch=batch, dry_run=dry_run, content=content)
        for warning in batch.warnings:
            self.stderr.write(f"warning: {warning}")
        if batch.status == ImportBatch.Status.REFUSED:
            raise CommandError("\n".join([f"{path.name} was refused; nothing was saved.", *batch.errors]))
        verb = "would add" if dry_run else "added"
        self.stdout.write(
            f"{path.name}: {batch.rows_total} rows — {verb} {batch.rows_inserted} days, "
            f"{'would change' if dry_run else 'changed'} {batch.rows_updated} "
            f"({batch.values_changed} values), {batch.rows_unchanged} unchanged. Import #{batch.pk}."
        )
        if batch.ignored_columns:
            self.stdout.write("Ignored columns: " + ", ".join(batch.ignored_columns))
