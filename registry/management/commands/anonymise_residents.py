"""manage.py anonymise_residents: remove the identity of people who moved away or died more
than REGISTRY_RETENTION_DAYS ago, and discard census uploads left unapplied for more than
REGISTRY_UPLOAD_HOURS. Run it daily (cron, a systemd timer)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from registry.census.uploads import discard_stale_uploads
from registry.privacy import anonymise_expired, retention_cutoff


class Command(BaseCommand):
    help = "Anonymise registry records past the retention period (moved out or deceased)."

    def handle(self, *args, **options):
        count = anonymise_expired()
        self.stdout.write(
            _("%(n)d record(s) of people who left before %(date)s anonymised.")
            % {"n": count, "date": retention_cutoff().isoformat()}
        )
        stale = discard_stale_uploads()
        self.stdout.write(_("%(n)d census upload(s) left unapplied discarded.") % {"n": stale})
