from django.core.management.base import BaseCommand

from opsdesk import queue


class Command(BaseCommand):
    help = (
        "Deliver the background jobs that wait, take back those a dead worker abandoned "
        "(docs/jobs.md). Every worker does this at start-up and every 30 s; this is for by hand."
    )

    def handle(self, *args, **options):
        outcome = queue.jobs_sweep()
        self.stdout.write(
            f"abandoned {outcome.abandoned}, lost {outcome.lost}, delivered {outcome.delivered}"
        )
