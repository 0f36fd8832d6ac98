"""manage.py deliver_notices: send every notice that is due and has not gone out yet.

Scheduled notices are queued for their time where the task backend can defer work; run this
every few minutes from cron as well, so that nothing waits on a worker that was down."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from notices.tasks import deliver_due


class Command(BaseCommand):
    help = "Deliver notices whose publication time has come."

    def handle(self, *args, **options):
        count = deliver_due()
        self.stdout.write(_("%(n)d notice(s) delivered.") % {"n": count})
