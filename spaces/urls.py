from django.urls import path  # noqa: F401

from spaces.views import bookings, calendar, places, series  # noqa: F401

app_name = "spaces"

urlpatterns: list = [
    # --- Sites, spaces, their hours, closures and rules; the public page (views/places.py) ---
    # --- end of places ---
    # --- Single bookings: book, approve, decline, cancel (views/bookings.py) ---
    # --- end of bookings ---
    # --- Repeating bookings and seasons of regular slots (views/series.py) ---
    # --- end of series ---
    # --- Check-in and no-show, calendars, figures, the xlsx (views/calendar.py) ---
    # --- end of calendar ---
]
