"""Pages of funds: the public pages (no login) and the staff's."""

from django.urls import path

from funds.views import public, staff

app_name = "funds"

urlpatterns: list = [
    # --- Public pages, without logging in (views/public.py) ---
    path("public/<int:fund_id>/", public.public_fund, name="public_fund"),
    path("public/<int:fund_id>/movements.xlsx", public.public_fund_xlsx, name="public_fund_xlsx"),
    path("public/campaigns/<int:campaign_id>/", public.public_campaign, name="public_campaign"),
    path(
        "public/campaigns/<int:campaign_id>/movements.xlsx",
        public.public_campaign_xlsx,
        name="public_campaign_xlsx",
    ),
    # --- Staff (views/staff.py) ---
    path("", staff.index, name="index"),
    path("new/", staff.fund_new, name="fund_new"),
    path("<int:fund_id>/", staff.fund, name="fund"),
    path("<int:fund_id>/campaigns/new/", staff.campaign_new, name="campaign_new"),
    path("<int:fund_id>/gifts/new/", staff.gift_new, name="gift_new"),
    path("<int:fund_id>/expenses/new/", staff.expense_new, name="expense_new"),
    path("<int:fund_id>/reconcile/", staff.reconcile, name="reconcile"),
    path("campaigns/<int:campaign_id>/", staff.campaign, name="campaign"),
    path("gifts/<int:gift_id>/receipt.pdf", staff.receipt, name="receipt"),
    path("expenses/<int:expense_id>/", staff.expense, name="expense"),
    path("expenses/<int:expense_id>/invoice/", staff.invoice, name="invoice"),
    path("expenses/<int:expense_id>/approve/", staff.expense_approve, name="expense_approve"),
    path("expenses/<int:expense_id>/withdraw/", staff.expense_withdraw, name="expense_withdraw"),
    path("entries/<int:ledger_entry_id>/reverse/", staff.entry_reverse, name="entry_reverse"),
    path("statements/<int:bank_statement_id>/", staff.statement, name="statement"),
]
