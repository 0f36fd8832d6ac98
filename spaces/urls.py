from django.urls import path

from spaces.views import bookings, calendar, places, series

app_name = "spaces"

urlpatterns: list = [
    # --- Sites, spaces, their hours, closures and rules; the public page (views/places.py) ---
    path("", places.index, name="index"),
    path("c/<str:code>/", places.public, name="public"),
    path("s/<int:space_id>/", places.space, name="space"),
    path("photos/<int:space_photo_id>/", places.photo, name="photo"),
    path("places/", places.staff_list, name="places"),
    path("places/sites/new/", places.site_new, name="site_new"),
    path("places/sites/<int:site_id>/", places.site, name="site"),
    path("places/sites/<int:site_id>/close/", places.site_close, name="site_close"),
    path("places/new/", places.space_new, name="space_new"),
    path("places/<int:space_id>/", places.space_edit, name="space_edit"),
    path("places/<int:space_id>/hours/", places.space_hours, name="space_hours"),
    path("places/<int:space_id>/closures/", places.closure_add, name="closure_add"),
    path("places/<int:space_id>/audience-rules/", places.audience_rule_add, name="audience_rule_add"),
    path("places/<int:space_id>/priority-slots/", places.priority_slot_add, name="priority_slot_add"),
    path("places/<int:space_id>/photos/", places.photos_add, name="photos_add"),
    path("places/<int:space_id>/archive/", places.space_archive, name="space_archive"),
    path("places/closures/<int:closure_id>/remove/", places.closure_remove, name="closure_remove"),
    path(
        "places/audience-rules/<int:audience_rule_id>/remove/",
        places.audience_rule_remove,
        name="audience_rule_remove",
    ),
    path(
        "places/priority-slots/<int:priority_slot_id>/remove/",
        places.priority_slot_remove,
        name="priority_slot_remove",
    ),
    path("places/photos/<int:space_photo_id>/remove/", places.photo_remove, name="photo_remove"),
    # --- end of places ---
    # --- Single bookings: book, approve, decline, cancel (views/bookings.py) ---
    path("s/<int:space_id>/book/", bookings.book, name="book"),
    path("mine/", bookings.mine, name="my_bookings"),
    path("bookings/", bookings.staff_list, name="bookings"),
    path("bookings/pending/", bookings.pending, name="pending"),
    path("bookings/new/", bookings.book_for, name="book_for"),
    path("bookings/<int:booking_id>/", bookings.detail, name="booking"),
    path("bookings/<int:booking_id>/cancel/", bookings.cancel, name="booking_cancel"),
    path("bookings/<int:booking_id>/approve/", bookings.approve, name="booking_approve"),
    path("bookings/<int:booking_id>/decline/", bookings.decline, name="booking_decline"),
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
