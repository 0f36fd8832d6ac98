"""manage.py anonymise_residents: remove the identity of people who moved away or died more
than REGISTRY_RETENTION_DAYS ago. Run it daily (cron, a systemd timer)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from registry.privacy import anonymise_expired, retention_cutoff


class Command(BaseCommand):
    help = "Anonymise registry records past the retention period (moved out or deceased)."

    def handle(self, *args, **options):
        count = anonymise_expired()
        self.stdout.write(
            _("%(n)d record(s) of people who left before %(date)s anonymised.")
            % {"n": count, "date": retention_cutoff().isoformat()}
        )
