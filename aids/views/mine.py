"""A resident's pages: what can be borrowed at their committee, and "my aids" (their requests
and loans, and those of the people they act for). Phone first, large in elderly mode."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from aids import selectors
from aids.forms.lending import AskForm
from aids.holds import eligibility_problem, who_may_borrow
from registry.selectors import people_of


@login_required
def borrow(request):
    """Every kind lent at the user's committee and street: how many are free, how long the
    queue is, who may borrow, and for each person the user acts for, ask or why not."""
    people = people_of(request.user)
    kinds = selectors.borrowable_for(request.user)
    rows = [
        (kind, who_may_borrow(kind), [(p, eligibility_problem(kind, p)) for p in people]) for kind in kinds
    ]
    return render(request, "aids/mine/borrow.html", {"rows": rows, "people": people, "ask_form": AskForm()})


@login_required
def mine(request):
    return render(request, "aids/mine/mine.html", {"mine": selectors.mine(request.user)})
