"""Reads: the public movements of a fund or campaign, a page at a time by keyset (``?before=``
the last id shown), so the page costs the same at the millionth entry as at the first; and
the figures per committee."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from common.scope import Scope
from funds import rules
from funds.models import ZERO, Campaign, Entry, EntryKind, Fund, Gift, GiftKind

PAGE = 50


@dataclass
class MovementsPage:
    entries: list[Entry]
    next_before: int | None  # the ``before`` of the next (older) page, None at the end


def movements(
    *, fund: Fund | None = None, campaign: Campaign | None = None, before: int | None = None, size: int = PAGE
) -> MovementsPage:
    """One page of movements, newest first: one query, on the (fund, -id) or (campaign, -id)
    index."""
    rows = Entry.objects.all()
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    elif fund is not None:
        rows = rows.filter(fund=fund)
    if before:
        rows = rows.filter(pk__lt=before)
    entries = list(
        rows.order_by("-pk").only(
            "pk",
            "day",
            "kind",
            "gift_kind",
            "amount",
            "shown_as",
            "anonymous",
            "reverses_id",
            "reason",
            "campaign_id",
        )[: size + 1]
    )
    more = len(entries) > size
    entries = entries[:size]
    return MovementsPage(entries, entries[-1].pk if more and entries else None)


def all_movements(*, fund: Fund | None = None, campaign: Campaign | None = None, chunk: int = 2000):
    """Every movement, newest first, read in keyset chunks (the export streams them)."""
    before = None
    while True:
        page = movements(fund=fund, campaign=campaign, before=before, size=chunk)
        yield from page.entries
        if page.next_before is None:
            return
        before = page.next_before


@dataclass
class CommitteeFigures:
    area: str
    funds: int
    raised: object
    spent: object
    balance: object
    donors: int


def figures(scope: Scope) -> list[CommitteeFigures]:
    """Raised, spent, balance and donations per committee or street keeping a fund in scope:
    one query."""
    rows = (
        rules.seen_funds(scope)
        .values("area__name")
        .annotate(
            n=Count("pk"),
            raised_sum=Sum("raised"),
            spent_sum=Sum("spent"),
            balance_sum=Sum("balance"),
            donors=Sum("donations"),
        )
        .order_by("area__name")
    )
    return [
        CommitteeFigures(
            r["area__name"],
            r["n"],
            r["raised_sum"] or ZERO,
            r["spent_sum"] or ZERO,
            r["balance_sum"] or ZERO,
            r["donors"] or 0,
        )
        for r in rows
    ]


def gifts_of(fund: Fund):
    return (
        Gift.objects.filter(fund=fund)
        .select_related("campaign", "entry__reversed_by")
        .order_by("-received_on", "-pk")
    )


def donors_count(fund: Fund) -> int:
    """Donations not reversed (a staff figure; the public counters are on the fund)."""
    return (
        Gift.objects.filter(fund=fund, kind=GiftKind.DONATION)
        .filter(Q(entry__reversed_by__isnull=True))
        .count()
    )


def corrections(fund: Fund):
    return Entry.objects.filter(fund=fund, kind=EntryKind.REVERSAL).order_by("-pk")
