from django.urls import path

from spaces.views import bookings, calendar, places, series  # noqa: F401

app_name = "spaces"

urlpatterns: list = [
    # --- Sites, spaces, their hours, closures and rules; the public page (views/places.py) ---
    # --- end of places ---
    # --- Single bookings: book, approve, decline, cancel (views/bookings.py) ---
    # --- end of bookings ---
    # --- Repeating bookings and seasons of regular slots (views/series.py) ---
    path("series/", series.series_list, name="series_list"),
    path("<int:space_id>/series/new/", series.series_new, name="series_new"),
    path("series/<int:series_id>/", series.series_detail, name="series"),
    path("series/<int:series_id>/approve/", series.series_approve, name="series_approve"),
    path("series/<int:series_id>/decline/", series.series_decline, name="series_decline"),
    path("series/<int:series_id>/cancel/", series.series_cancel, name="series_cancel"),
    path("series/<int:series_id>/last-day/", series.series_last_day, name="series_last_day"),
    path("series/dates/<int:booking_id>/cancel/", series.series_date_cancel, name="series_date_cancel"),
    path("seasons/", series.season_list, name="seasons"),
    path("seasons/<int:season_id>/", series.season_detail, name="season"),
    path("seasons/<int:season_id>/finish/", series.season_finish, name="season_finish"),
    path(
        "seasons/applications/<int:application_id>/allocate/",
        series.application_allocate,
        name="application_allocate",
    ),
    path(
        "seasons/applications/<int:application_id>/refuse/",
        series.application_refuse,
        name="application_refuse",
    ),
    path(
        "seasons/applications/<int:application_id>/withdraw/",
        series.application_withdraw,
        name="application_withdraw",
    ),
    # --- end of series ---
    # --- Check-in and no-show, calendars, figures, the xlsx (views/calendar.py) ---
    path("<int:space_id>/calendar/", calendar.space_calendar, name="space_calendar"),
    path("calendar/", calendar.area_calendar, name="calendar"),
    path("figures/", calendar.space_figures, name="figures"),
    path("bookings.xlsx", calendar.bookings_xlsx, name="bookings_xlsx"),
    path("bookings/<int:booking_id>/came/", calendar.booking_came, name="booking_came"),
    path("bookings/<int:booking_id>/no-show/", calendar.booking_no_show, name="booking_no_show"),
    # --- end of calendar ---
]
