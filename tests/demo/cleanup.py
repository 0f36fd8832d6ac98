"""Deleting what the demo loaded: module-scoped data lives outside the per-test transactions.

Children before parents: the places of issue 19 first (they point at teams, units,
residents and areas), the time bank's ledger before its accounts and the residents they
belong to, the hours before the shifts and volunteers, partner units after the requests
given to them, and areas last.
"""

from django.db import connection, transaction
from django.db.models.signals import post_delete
from factory.django import mute_signals

from accounts.models import User
from activities.models import Activity, Series
from aids.models import AidItem, AidKind, Hold, Loan
from areas.models import Area
from audit.context import suspended
from audit.models import AuditEntry
from conventions.models import Convention
from deliberation.models import Decision, Meeting, Topic
from demands.models import Demand, ServiceProject
from eldercare.models import Watch
from meals.models import Diner, DiningPoint, Order, OrderSubsidy, RouteRun, StandingOrder, SubsidyRule
from notices.models import Notice
from notifications.models import Notification
from partners.models import PartnerUnit
from projects.models import Entry as ProjectEntry
from projects.models import Project, Round, Score
from recognition.models import Award, Centre, Rating, RatingSheet, Talent
from registry.models import (
    AccessLog,
    CensusImport,
    GroupLeader,
    Household,
    Proxy,
    Registration,
    Residence,
    Resident,
    ResidentTag,
)
from servicedays.models import ServiceDay
from spaces.models import Booking, BookingSeries, Season, Site, Space
from visits.models import Visit, VisitPlan
from volunteers.models import (
    BankRequest,
    BankRule,
    Certificate,
    CreditAccount,
    CreditEntry,
    HoursEntry,
    Membership,
    Service,
    Shift,
    ShiftClaim,
    Team,
    TeamCategory,
    Volunteer,
)


def last_service_id() -> int:
    """The newest volunteer service before the demo: the city-wide defaults a migration may
    have written stay."""
    return Service.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _wipe_ledger(queryset) -> None:
    """The ledgers are append-only (their querysets refuse ``delete``); the test database is
    emptied underneath them, as a fresh database would be."""
    queryset._raw_delete(queryset.db)


def delete_volunteers(services_after: int) -> None:
    _wipe_ledger(CreditEntry.objects.all())
    BankRequest.objects.all().delete()
    CreditAccount.objects.all().delete()
    Certificate.objects.all().delete()
    _wipe_ledger(HoursEntry.objects.filter(reverses__isnull=False))
    _wipe_ledger(HoursEntry.objects.all())
    ShiftClaim.objects.filter(swapped_from__isnull=False).delete()
    ShiftClaim.objects.all().delete()
    Shift.objects.all().delete()
    Membership.objects.all().delete()
    Team.objects.all().delete()
    TeamCategory.objects.all().delete()
    Volunteer.objects.all().delete()
    BankRule.objects.all().delete()
    Service.objects.filter(pk__gt=services_after).delete()


def delete_places() -> None:
    """Issue 19's: loans and holds before their items and kinds, tickets and stalls with their
    service days, bookings before their series, spaces (their hours, rules, slots) and sites."""
    Loan.objects.all().delete()
    Hold.objects.all().delete()
    AidItem.objects.all().delete()
    AidKind.objects.all().delete()
    ServiceDay.objects.all().delete()  # its stalls and tickets
    Season.objects.all().delete()  # its applications
    Booking.objects.all().delete()
    BookingSeries.objects.all().delete()
    Space.objects.all().delete()
    Site.objects.all().delete()


def delete_meals() -> None:
    """Issue 20's: the orders' subsidy lines and the orders, rounds and standing orders, the
    diners and rules, then the points (their meals, dishes, menus, services and routes)."""
    OrderSubsidy.objects.all().delete()
    Order.objects.all().delete()
    RouteRun.objects.all().delete()
    StandingOrder.objects.all().delete()
    Diner.objects.all().delete()
    SubsidyRule.objects.all().delete()
    DiningPoint.objects.all().delete()


def delete_funds() -> None:
    """Issue 21's: the ledger is append-only (its models refuse delete(), PostgreSQL's trigger
    refuses DELETE unless the session says it purges), so the fund's tables are emptied in SQL,
    children first; the entries in one statement (a reversal points at the entry it reverses)."""
    tables = (
        "funds_statementline",
        "funds_statementimport",
        "funds_expense",
        "funds_gift",
        "funds_posting",
        "funds_entry",
        "funds_campaign",
        "funds_fund",
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL mulin.ledger_purge = 'on'")
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # the table names above


def delete_projects() -> None:
    """Issue 21's: the rounds' scores (kept from deletion by their judges and entries), the
    rounds (their criteria, judges, entries, conflicts and objections), then the projects."""
    Score.objects.all().delete()
    ProjectEntry.objects.all().delete()
    Round.objects.all().delete()
    Project.objects.all().delete()


def delete_recognition() -> None:
    """Issue 21's: the awards (their nominations), the talent, the ratings (their scores) before
    the sheets they were scored on, then the centres."""
    Award.objects.all().delete()
    Talent.objects.all().delete()
    Rating.objects.all().delete()
    RatingSheet.objects.all().delete()
    Centre.objects.all().delete()


def delete_demo(services_after: int = 0) -> None:
    # The audit log's post_delete receiver (the only one) records nothing while suspended, but
    # its being connected made each delete fetch every row and cascade in Python, one signal
    # per row (some 160,000): muted, the deletes and their cascades run in SQL.
    with suspended(), mute_signals(post_delete):
        delete_funds()
        delete_projects()
        delete_recognition()
        delete_meals()
        delete_places()
        Convention.objects.all().delete()
        Watch.objects.all().delete()  # its checks, watchers and alerts go with it
        VisitPlan.objects.all().delete()
        Visit.objects.all().delete()
        Demand.objects.all().delete()  # the visits demo raises a few
        ServiceProject.objects.all().delete()
        delete_volunteers(services_after)
        PartnerUnit.objects.all().delete()  # its agreements, offers, contacts, contributions
        Notification.objects.all().delete()
        Decision.objects.all().delete()
        Meeting.objects.all().delete()
        Topic.objects.all().delete()
        Activity.objects.all().delete()
        Series.objects.all().delete()
        Notice.objects.all().delete()
        for model in (AccessLog, Registration, Proxy, GroupLeader, ResidentTag, Residence, Resident):
            model.objects.all().delete()
        Household.objects.all().delete()
        CensusImport.objects.all().delete()
        User.objects.all().delete()
        Area.objects.all().update(parent=None)
        Area.objects.all().delete()
        AuditEntry.objects.all().delete()
