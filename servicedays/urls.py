from django.urls import path

from servicedays.views import days, figures, queue

app_name = "servicedays"

urlpatterns: list = [
    # --- Service days and their stalls, planned month by month (views/days.py) ---
    path("", days.index, name="index"),
    path("plan/", days.plan, name="plan"),
    path("new/", days.day_new, name="day_new"),
    path("<int:service_day_id>/", days.day, name="day"),
    path("<int:service_day_id>/edit/", days.day_edit, name="day_edit"),
    path("<int:service_day_id>/publish/", days.day_publish, name="day_publish"),
    path("<int:service_day_id>/cancel/", days.day_cancel, name="day_cancel"),
    path("<int:service_day_id>/repeat/", days.day_repeat, name="day_repeat"),
    path("<int:service_day_id>/stalls/new/", days.stall_new, name="stall_new"),
    path("stalls/<int:stall_id>/edit/", days.stall_edit, name="stall_edit"),
    path("stalls/<int:stall_id>/remove/", days.stall_remove, name="stall_remove"),
    path("stalls/<int:stall_id>/shift/", days.stall_shift, name="stall_shift"),
    # --- end of days ---
    # --- Queue numbers: take, call, serve, the lobby display (views/queue.py) ---
    path("stalls/<int:stall_id>/take/", queue.take, name="take"),
    path("tickets/<int:ticket_id>/", queue.ticket, name="ticket"),
    path("tickets/<int:ticket_id>/status/", queue.ticket_status, name="ticket_status"),
    path("tickets/<int:ticket_id>/give-up/", queue.ticket_give_up, name="ticket_give_up"),
    path("stalls/<int:stall_id>/console/", queue.console, name="console"),
    path("stalls/<int:stall_id>/open/", queue.stall_open, name="stall_open"),
    path("stalls/<int:stall_id>/close/", queue.stall_close, name="stall_close"),
    path("stalls/<int:stall_id>/call/", queue.call_next, name="call_next"),
    path("stalls/<int:stall_id>/paper/", queue.paper, name="paper"),
    path("tickets/<int:ticket_id>/recall/", queue.ticket_recall, name="ticket_recall"),
    path("tickets/<int:ticket_id>/served/", queue.ticket_served, name="ticket_served"),
    path("tickets/<int:ticket_id>/absent/", queue.ticket_absent, name="ticket_absent"),
    path("<int:service_day_id>/lobby/", queue.lobby, name="lobby"),
    path("<int:service_day_id>/lobby/board/", queue.lobby_board, name="lobby_board"),
    # --- end of queue ---
    # --- Served counts, beneficiaries and wait times (views/figures.py) ---
    path("figures/", figures.figures, name="figures"),
    path("figures/served.csv", figures.served_csv, name="served_csv"),
    path("figures/served.xlsx", figures.served_xlsx, name="served_xlsx"),
    # --- end of figures ---
]
