from django.core.management.base import BaseCommand

from notifications.jobs import PERIODIC, start_all


class Command(BaseCommand):
    help = "Queue each periodic job (the elderly watch's cutoffs, overdue requests…) once."

    def handle(self, *args, **options):
        started = start_all()
        for path in started:
            self.stdout.write(f"queued {path}")
        if options["verbosity"] > 1:
            for path in sorted(set(PERIODIC) - set(started)):
                self.stdout.write(f"already waiting: {path}")
