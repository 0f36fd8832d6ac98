"""Single bookings: book, approve, decline, cancel: the pages."""
