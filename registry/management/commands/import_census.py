"""manage.py import_census FILE --committee CODE [--apply]: the census import from the shell.

Without --apply it is a dry run (nothing is written); with --apply the same checks run and
everything is written in one transaction, or nothing if there is any problem.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel
from audit.context import acting_as
from registry.census.importer import import_census
from registry.census.report import summary_lines


class Command(BaseCommand):
    help = (
        "Check a census sheet (.xlsx, .xls, .ods or .csv) against a committee's registry; --apply writes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--committee", required=True, help="The committee's 12-digit code.")
        parser.add_argument("--apply", action="store_true", help="Write the sheet if it has no problems.")
        parser.add_argument("--actor", help="Mobile number of the staff member the change is recorded as.")
        parser.add_argument("--problems", type=Path, help="Write every problem to this CSV file.")

    def handle(self, *args, file: Path, committee: str, apply: bool, actor=None, problems=None, **options):
        area = Area.objects.filter(code=committee, level=AreaLevel.COMMITTEE).first()
        if area is None:
            raise CommandError(_("No committee with code %(code)s.") % {"code": committee})
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        user = User.objects.filter(phone=actor).first() if actor else None
        if actor and user is None:
            raise CommandError(_("No user with mobile number %(phone)s.") % {"phone": actor})

        def progress(rows: int) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(_("… %(rows)d rows") % {"rows": rows})
                self.stdout.flush()

        with acting_as(user):
            report = import_census(
                area, file, apply=apply, actor=user, progress=progress, problems_path=problems
            )
        for line in summary_lines(report):
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(_("%(n)d problem(s); nothing was written.") % {"n": report.problem_count})
        if not apply:
            self.stdout.write(_("Dry run: nothing was written. Run again with --apply to write it."))
