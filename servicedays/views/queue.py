"""Queue numbers: take, call, serve, the lobby display: the pages."""
