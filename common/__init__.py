"""The ground floor: what every app of Mulin shares, below all of them.

Nothing here imports a Mulin app (tests/test_architecture.py checks it), so any app may
import from here without pulling a neighbour in. Helpers that belong to a domain noun live
in the app that owns it instead: people and ages in ``registry``, area choices in ``areas``.
"""
