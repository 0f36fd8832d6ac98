"""Demo deliberation (filled in by the deliberation work)."""


def load() -> int:
    return 0
