"""The public pages of a fund and a campaign, open without logging in: raised, spent, balance,
progress to the goal and every movement, a page at a time by keyset (``?before=``), donors as
they chose to appear; and every movement as .xlsx. Nothing private: no phone, no anonymous
donor's name. A fixed number of queries whatever the size of the ledger."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from common.downloads import named
from funds import rules, selectors
from funds.exports import XLSX, entry_what, entry_who, movements_xlsx


def _before(request) -> int | None:
    text = request.GET.get("before", "")
    return int(text) if text.isdigit() and len(text) < 19 else None


def _rows(page, names: dict[int, str]) -> list[dict]:
    return [
        {
            "entry": e,
            "what": entry_what(e),
            "who": entry_who(e),
            "campaign": names.get(e.campaign_id or 0, ""),
        }
        for e in page.entries
    ]


def public_fund(request, fund_id: int):
    fund = rules.public_fund_or_404(fund_id)
    campaigns = list(fund.campaigns.order_by("-created_at", "pk"))
    page = selectors.movements(fund=fund, before=_before(request))
    return render(
        request,
        "funds/public/fund.html",
        {
            "fund": fund,
            "campaigns": campaigns,
            "rows": _rows(page, {c.pk: c.name for c in campaigns}),
            "page": page,
            "first_page": _before(request) is None,
        },
    )


def public_campaign(request, campaign_id: int):
    campaign = rules.public_campaign_or_404(campaign_id)
    page = selectors.movements(campaign=campaign, before=_before(request))
    return render(
        request,
        "funds/public/campaign.html",
        {
            "campaign": campaign,
            "fund": campaign.fund,
            "rows": _rows(page, {}),
            "page": page,
            "first_page": _before(request) is None,
        },
    )


def public_fund_xlsx(request, fund_id: int):
    fund = rules.public_fund_or_404(fund_id)
    name = _("%(fund)s movements.xlsx") % {"fund": fund.name}
    return named(FileResponse(movements_xlsx(fund), content_type=XLSX), name, f"fund-{fund.pk}.xlsx")


def public_campaign_xlsx(request, campaign_id: int):
    campaign = rules.public_campaign_or_404(campaign_id)
    name = _("%(fund)s movements.xlsx") % {"fund": campaign.name}
    return named(
        FileResponse(movements_xlsx(campaign.fund, campaign), content_type=XLSX),
        name,
        f"campaign-{campaign.pk}.xlsx",
    )
