from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
            raise CommandError(_("No store with the slug “%(slug)s”.") % {"slug": store})
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        batch = import_batch_create(content=content, file_name=path.name, store=chosen, keep_content=False)
        batch = import_batch_run(batch=batch, dry_run=dry_run, content=content)
        for warning in batch.warnings:
            self.stderr.write(_("warning: %(warning)s") % {"warning": warning})
        if batch.status == ImportBatch.Status.REFUSED:
            refused = _("%(file)s was refused; nothing was saved.") % {"file": path.name}
            raise CommandError("\n".join([refused, *batch.errors]))
        summary = _(
            "%(file)s: %(rows)s rows — %(added)s days added, %(changed)s changed (%(values)s values), "
            "%(unchanged)s unchanged. Import #%(batch)s."
        )
        if dry_run:
            summary = _(
                "%(file)s: %(rows)s rows — would add %(added)s days, would change %(changed)s "
                "(%(values)s values), %(unchanged)s unchanged. Nothing saved (dry run #%(batch)s)."
            )
        self.stdout.write(
            summary
            % {
                "file": path.name,
                "rows": batch.rows_total,
                "added": batch.rows_inserted,
                "changed": batch.rows_updated,
                "values": batch.values_changed,
                "unchanged": batch.rows_unchanged,
                "batch": batch.pk,
            }
        )
        if batch.same_as:
            self.stdout.write(
                _(
                    "The same file as import #%(earlier)s, and nothing it covers has changed since: "
                    "the file was not read again."
                )
                % {"earlier": batch.same_as_id}
            )
        if batch.ignored_columns:
            self.stdout.write(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(batch.ignored_columns)}
            )
