"""Check-in and no-show, calendars, figures, the xlsx: the pages."""
