"""Demo conventions (filled in by the conventions work)."""


def load() -> int:
    return 0
