"""The time bank (时间银行): credits earned by confirmed service, given to family (转赠),
donated to the committee's pool (捐赠), granted from the pool, spent on a service.

A balance never goes below zero: every move locks the accounts it touches (``select_for_update``,
in the order of their ids, so two moves between the same accounts cannot deadlock), reads the
balance under the lock, refuses with a message when it would go negative, and writes the
entry with ``balance_after``; the CHECK constraint on ``CreditAccount.balance`` is the last word.
The balance is kept on the account so that a list of a thousand volunteers reads a thousand
numbers, never a million ledger lines.

An account is the person's (a volunteer's, or a resident's who is not one), not the
committee's: a volunteer who moves keeps it, and only its ``area`` follows them
(``move_account``), so that the new committee's staff see it (通存通兑).
Spending on a service (asking, matching, finishing, cancelling) is in ``volunteers/spending.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel
from audit.services import record
from common.scope import Scope
from registry.models import Resident, Tag
from registry.selectors import shares_household, speaks_for
from volunteers.models import BankRule, CreditAccount, CreditEntry, CreditKind, HoursEntry, Volunteer
from volunteers.rules import manages, volunteer_of

CENT = Decimal("0.01")
MAX_MOVE = Decimal("10000")


# --- The rule of a committee ---------------------------------------------------------------


def amount_text(value: Decimal) -> str:
    """10.00 as "10", 2.50 as "2.5": how a message says credits or hours, whichever database
    read them."""
    return f"{Decimal(value).quantize(CENT).normalize():f}"


@dataclass(frozen=True)
class Terms:
    """The time-bank settings that hold in a committee: its own, its street's, or the defaults."""

    credits_per_hour: Decimal = Decimal(1)
    min_age: int = 65
    tags: tuple[str, ...] = ()
    not_earning: frozenset[int] = field(default_factory=frozenset)
    set_in: Area | None = None  # where the rule is kept; None: the defaults


def tag_list(text: str) -> tuple[str, ...]:
    return tuple(t for t in text.split("|") if t)


def terms_for(area: Area) -> Terms:
    """The committee's own rule, else its street's, else the defaults (1 credit an hour, 65+)."""
    places = [area]
    if area.level != AreaLevel.STREET and area.parent_id is not None:
        street = area.ancestors().filter(level=AreaLevel.STREET).first()
        if street is not None:
            places.append(street)
    rules = {r.area_id: r for r in BankRule.objects.filter(area__in=places).prefetch_related("not_earning")}
    for place in places:
        rule = rules.get(place.pk)
        if rule is not None:
            return Terms(
                rule.credits_per_hour,
                rule.min_age,
                tag_list(rule.tags),
                frozenset(s.pk for s in rule.not_earning.all()),
                place,
            )
    return Terms()


def credits_for(hours: Decimal, terms: Terms) -> Decimal:
    return (hours * terms.credits_per_hour).quantize(CENT, rounding=ROUND_HALF_UP)


def spending_problem(resident: Resident, terms: Terms) -> str:
    """Why ``resident`` may not spend credits on a service, in their words; "" if they may: aged
    ``min_age`` or more, or carrying one of the rule's tags."""
    if not resident.is_living:
        return _("%(name)s is not a current resident in the registry.") % {"name": resident.name}
    age = resident.age()
    if age is not None and age >= terms.min_age:
        return ""
    have = {t.tag for t in resident.tags.all()} | set(resident.derived_tags())
    if have & set(terms.tags):
        return ""
    tags = "、".join(str(Tag(t).label) for t in terms.tags if t in Tag.values)
    if tags:
        return _("The time bank serves residents aged %(age)d or more, or who are: %(tags)s.") % {
            "age": terms.min_age,
            "tags": tags,
        }
    return _("The time bank serves residents aged %(age)d or more.") % {"age": terms.min_age}


@transaction.atomic
def save_rule(
    area: Area,
    *,
    by: User,
    scope: Scope,
    credits_per_hour: Decimal,
    min_age: int,
    tags: list[str],
    not_earning,
) -> BankRule:
    """Staff set the time-bank rule of their committee or street."""
    if not manages(scope, area):
        raise PermissionDenied(_("Only the committee's or street's staff set its time bank."))
    if area.level not in (AreaLevel.COMMITTEE, AreaLevel.STREET):
        raise ValidationError(_("A time-bank rule is set for a committee or a street."))
    if credits_per_hour <= 0 or credits_per_hour > 99:
        raise ValidationError({"credits_per_hour": _("Give a rate above 0 and below 100 credits an hour.")})
    if not 0 <= min_age <= 120:
        raise ValidationError({"min_age": _("Give an age between 0 and 120.")})
    unknown = [t for t in tags if t not in Tag.values]
    if unknown:
        raise ValidationError({"tags": _("Unknown tag: %(tag)s.") % {"tag": unknown[0]}})
    rule, _made = BankRule.objects.get_or_create(area=area)
    rule.credits_per_hour, rule.min_age = credits_per_hour, min_age
    rule.tags = "|" + "|".join(tags) + "|" if tags else ""
    rule.save()
    rule.not_earning.set(not_earning)
    return rule


# --- Accounts --------------------------------------------------------------------------------


def account_of(volunteer: Volunteer) -> CreditAccount:
    found, _made = CreditAccount.objects.get_or_create(
        volunteer=volunteer, defaults={"area": volunteer.committee}
    )
    return found


def account_of_person(resident: Resident) -> CreditAccount:
    """The account a resident holds: their volunteer account if they serve, else their own."""
    volunteer = Volunteer.objects.filter(resident=resident).first()
    if volunteer is not None:
        return account_of(volunteer)
    found, _made = CreditAccount.objects.get_or_create(
        resident=resident, defaults={"area": resident.committee}
    )
    return found


def pool_of(area: Area) -> CreditAccount:
    found, _made = CreditAccount.objects.get_or_create(pool=area, defaults={"area": area})
    return found


def move_account(volunteer: Volunteer, to_committee: Area) -> None:
    """A volunteer moved: their account (balance and ledger) goes with them; only the committee
    whose staff see it changes. Called by whatever changes the volunteer's committee."""
    CreditAccount.objects.filter(volunteer=volunteer).update(area=to_committee)


def lock(*accounts: CreditAccount) -> dict[int, CreditAccount]:
    """The accounts' rows, locked in the order of their ids (never a deadlock between two moves
    in opposite directions), with their balances as they are now."""
    ids = sorted({a.pk for a in accounts})
    return {a.pk: a for a in CreditAccount.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def post(account: CreditAccount, amount: Decimal, kind: str, *, by: User | None, **extra) -> CreditEntry:
    """One line on a locked account, its balance moved by ``amount``."""
    after = account.balance + amount
    if after < 0:
        message = _("Only %(balance)s credits are left; %(amount)s cannot be taken.") % {
            "balance": amount_text(account.balance),
            "amount": amount_text(-amount),
        }
        raise ValidationError({"amount": message})
    CreditAccount.objects.filter(pk=account.pk).update(balance=after)
    account.balance = after
    return CreditEntry.objects.create(
        account=account, amount=amount, balance_after=after, kind=kind, by=by, at=timezone.now(), **extra
    )


def amount_problem(amount: Decimal | None) -> str:
    if amount is None:
        return _("Give the number of credits.")
    if amount <= 0:
        return _("Give a number of credits above zero.")
    if amount != amount.quantize(CENT):
        return _("Credits have at most two decimals.")
    if amount > MAX_MOVE:
        return _("No more than %(most)s credits move at once.") % {"most": MAX_MOVE}
    return ""


def move(
    source: CreditAccount,
    target: CreditAccount,
    amount: Decimal,
    kinds: tuple[str, str],
    *,
    by: User | None,
    note: str = "",
    **extra,
) -> tuple[CreditEntry, CreditEntry]:
    """Credits from one account to another under both row locks: the debit refused (nothing
    written) when the source's balance is short."""
    problem = amount_problem(amount)
    if problem:
        raise ValidationError({"amount": problem})
    if source.pk == target.pk:
        raise ValidationError({"to": _("Credits cannot be given to the account they come from.")})
    locked = lock(source, target)
    out = post(locked[source.pk], -amount, kinds[0], by=by, counterpart=target, note=note[:200], **extra)
    into = post(locked[target.pk], amount, kinds[1], by=by, counterpart=source, note=note[:200], **extra)
    return out, into


# --- Earning and taking back -----------------------------------------------------------------


def earn(entry: HoursEntry, *, by: User | None) -> CreditEntry | None:
    """Confirmed hours earn credits at the rate of the committee served, unless its rule says the
    service earns none. Called inside the confirmation's transaction."""
    terms = terms_for(entry.area)
    if entry.service_id is not None and entry.service_id in terms.not_earning:
        return None
    amount = credits_for(entry.hours, terms)
    if amount <= 0:
        return None
    account = account_of(entry.volunteer)
    locked = lock(account)[account.pk]
    return post(locked, amount, CreditKind.EARNED, by=by, hours_entry=entry)


def take_back(entry: HoursEntry, reversal: HoursEntry, *, by: User | None) -> list[CreditEntry]:
    """The credits ``entry`` earned, taken back by a correction: refused (nothing written) when
    the volunteer has already given or spent them."""
    written = []
    for earned in CreditEntry.objects.filter(hours_entry=entry, kind=CreditKind.EARNED):
        locked = lock(earned.account)[earned.account_id]
        if locked.balance < earned.amount:
            raise ValidationError(
                _(
                    "%(name)s has %(balance)s credits left and these hours earned %(amount)s; "
                    "they were already given or spent, so the hours cannot be corrected here."
                )
                % {
                    "name": entry.volunteer.name,
                    "balance": amount_text(locked.balance),
                    "amount": amount_text(earned.amount),
                }
            )
        written.append(post(locked, -earned.amount, CreditKind.REVERSAL, by=by, hours_entry=reversal))
    return written


# --- Giving, donating, granting --------------------------------------------------------------


def _giver(user: User) -> Volunteer:
    volunteer = volunteer_of(user)
    if volunteer is None:
        raise PermissionDenied(_("Only a volunteer gives or donates credits."))
    return volunteer


def family_problem(giver: Volunteer, resident: Resident, user: User) -> str:
    """Why ``resident`` is not family ``user`` may give to; "" if they are: someone of the same
    household as the volunteer's own record, or someone they act for (家属代办)."""
    if giver.resident_id is not None and giver.resident_id == resident.pk:
        return _("Credits cannot be given to yourself.")
    if not resident.is_living:
        return _("%(name)s is not a current resident in the registry.") % {"name": resident.name}
    if speaks_for(user, resident) == "proxy" or shares_household(user, resident):
        return ""
    if giver.resident is not None and giver.resident.household_id == resident.household_id:
        return ""
    return _("Credits are given only to family: someone of your household or someone you act for.")


@transaction.atomic
def give(
    user: User,
    *,
    scope: Scope,
    amount: Decimal,
    resident: Resident | None = None,
    volunteer: Volunteer | None = None,
    note: str = "",
) -> CreditEntry:
    """转赠: a volunteer gives credits to a family member (a resident of their household or one
    they act for, or such a person's volunteer account)."""
    giver = _giver(user)
    if volunteer is not None:
        if volunteer.pk == giver.pk:
            raise ValidationError({"to": _("Credits cannot be given to yourself.")})
        if volunteer.resident is None:
            raise ValidationError(
                {
                    "to": _(
                        "Credits are given only to family: someone of your household or someone you act for."
                    )
                }
            )
        resident = volunteer.resident
    if resident is None:
        raise ValidationError({"to": _("Choose whom to give the credits to.")})
    problem = family_problem(giver, resident, user)
    if problem:
        raise ValidationError({"to": problem})
    out, _into = move(
        account_of(giver),
        account_of_person(resident),
        amount,
        (CreditKind.GIFT_OUT, CreditKind.GIFT_IN),
        by=user,
        note=note,
    )
    return out


@transaction.atomic
def donate(user: User, *, scope: Scope, amount: Decimal, note: str = "") -> CreditEntry:
    """捐赠: a volunteer gives credits to their committee's pool, from which staff grant them."""
    giver = _giver(user)
    out, _into = move(
        account_of(giver),
        pool_of(giver.committee),
        amount,
        (CreditKind.DONATED, CreditKind.DONATION),
        by=user,
        note=note,
    )
    return out


@transaction.atomic
def grant(by: User, resident: Resident, *, scope: Scope, amount: Decimal, note: str = "") -> CreditEntry:
    """Staff grant credits from their committee's pool to a resident who may spend them."""
    committee = resident.committee
    if not manages(scope, committee):
        raise PermissionDenied(_("Only the committee's staff grant credits from its pool."))
    problem = spending_problem(resident, terms_for(committee))
    if problem:
        raise ValidationError({"resident": problem})
    _out, into = move(
        pool_of(committee),
        account_of_person(resident),
        amount,
        (CreditKind.GRANT_OUT, CreditKind.GRANT_IN),
        by=by,
        note=note,
    )
    record("update", resident, note=f"time-bank grant {amount}")
    return into
