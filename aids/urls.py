from django.urls import path

from aids.views import inventory, lending, mine

app_name = "aids"

urlpatterns: list = [
    # --- Kinds of aid, their policies and the items (views/inventory.py) ---
    path("", inventory.index, name="index"),
    path("kinds/new/", inventory.kind_new, name="kind_new"),
    path("kinds/<int:kind_id>/", inventory.kind, name="kind"),
    path("kinds/<int:kind_id>/edit/", inventory.kind_edit, name="kind_edit"),
    path("kinds/<int:kind_id>/archive/", inventory.kind_archive, name="kind_archive"),
    path("kinds/<int:kind_id>/items/new/", inventory.item_new, name="item_new"),
    path("items/<int:item_id>/", inventory.item, name="item"),
    path("items/<int:item_id>/condition/", inventory.item_condition, name="item_condition"),
    # --- end of inventory ---
    # --- Holds, loans, returns, renewals, overdue (views/lending.py) ---
    path("kinds/<int:kind_id>/ask/", lending.ask, name="ask"),
    path("queue/", lending.queue, name="queue"),
    path("holds/<int:hold_id>/approve/", lending.hold_approve, name="hold_approve"),
    path("holds/<int:hold_id>/decline/", lending.hold_decline, name="hold_decline"),
    path("holds/<int:hold_id>/cancel/", lending.hold_cancel, name="hold_cancel"),
    path("items/<int:item_id>/lend/", lending.lend, name="lend"),
    path("loans/", lending.loans, name="loans"),
    path("loans/export.csv", lending.loans_csv, name="loans_csv"),
    path("loans/export.xlsx", lending.loans_xlsx, name="loans_xlsx"),
    path("loans/<int:loan_id>/", lending.loan, name="loan"),
    path("loans/<int:loan_id>/renew/", lending.loan_renew, name="loan_renew"),
    path("loans/<int:loan_id>/return/", lending.loan_return, name="loan_return"),
    path("overdue/", lending.overdue, name="overdue"),
    # --- end of lending ---
    # --- A resident's pages (views/mine.py) ---
    path("borrow/", mine.borrow, name="borrow"),
    path("mine/", mine.mine, name="mine"),
]
