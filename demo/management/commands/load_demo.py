from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.roles import Role
from demo import data
from demo.builder import build


class Command(BaseCommand):
    help = "Load the seed neighbourhoods on their real codes, with a demo user for every role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-divisions", action="store_true", help="Do not (re-)import Shanghai's divisions first."
        )

    def handle(self, *args, skip_divisions=False, **options):
        result = build(import_divisions=not skip_divisions)
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(_("Demo loaded: %(n)d new local units.") % {"n": result.local_units})
        )
        for row in result.registries:
            self.stdout.write(
                _(
                    "  %(committee)s: %(households)s households, %(residents)s residents, "
                    "%(verified)s verified accounts (on-cloud rate %(rate).2f%%)"
                )
                % {
                    "committee": row.committee,
                    "households": f"{row.households:,}",
                    "residents": f"{row.residents:,}",
                    "verified": f"{row.verified:,}",
                    "rate": 100 * row.verified / row.residents if row.residents else 0,
                }
            )
        if result.notices:
            self.stdout.write(_("  %(n)d notices published, with their reads.") % {"n": result.notices})
        if result.activities:
            self.stdout.write(
                _("  %(n)d activities, with sign-ups and check-ins.") % {"n": result.activities}
            )
        if result.topics:
            self.stdout.write(
                _("  %(n)d deliberation topics, with opinions, polls and meetings.") % {"n": result.topics}
            )
        if result.conventions:
            self.stdout.write(_("  %(n)d conventions, with their signatures.") % {"n": result.conventions})
        if result.demands:
            self.stdout.write(
                _("  %(n)d residents' requests, with a service project and one overdue, escalated.")
                % {"n": result.demands}
            )
        if result.visits:
            self.stdout.write(
                _("  %(n)d household visits, with this quarter's visit plans.") % {"n": result.visits}
            )
        if result.watches:
            self.stdout.write(
                _("  %(n)d elderly on the watch list; one missed check has reached the workers.")
                % {"n": result.watches}
            )
        if result.teams:
            self.stdout.write(
                _(
                    "  %(teams)d volunteer teams, %(shifts)d service shifts with their hours, "
                    "%(accounts)d time-bank accounts; %(units)d partner units."
                )
                % {
                    "teams": result.teams,
                    "shifts": result.shifts,
                    "accounts": result.credit_accounts,
                    "units": result.partner_units,
                }
            )
        if result.meals:
            self.stdout.write(
                _("  %(n)d meal orders at a clubhouse canteen, with their subsidies and deliveries.")
                % {"n": result.meals}
            )
        if result.donations:
            self.stdout.write(
                _("  A community fund with its lift campaign: %(n)d donations, an auction, the lift paid.")
                % {"n": result.donations}
            )
        if result.projects:
            self.stdout.write(
                _("  %(n)d governance projects in a district's competition, the ten best chosen.")
                % {"n": result.projects}
            )
        if any(result.recognition.values()):
            self.stdout.write(
                _("  %(centres)d centres rated, %(talent)d local talents, %(votes)d votes for an award.")
                % result.recognition
            )
        self.stdout.write("")
        self.stdout.write(_("Demo logins (password for all: %(pw)s)") % {"pw": data.DEMO_PASSWORD})
        labels = dict(Role.choices) | {"resident": _("Resident")}
        for login in result.logins:
            line = f"  {login.phone}  {login.name:<10} {labels[login.role]!s:<16} {login.area}"
            if login.totp_secret:
                line += f"   TOTP {login.totp_secret}"
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            _(
                "Staff log in with a TOTP code: add the secret to an authenticator app, or print "
                "the current code with `.venv/bin/python manage.py demo_otp <phone>`."
            )
        )
