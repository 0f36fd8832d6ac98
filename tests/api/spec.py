"""The API's operations, found from its routers (nested ones too), for the tests that check
every operation: nothing listed by hand."""

from __future__ import annotations

from collections.abc import Iterator

from ninja import Router
from ninja.operation import Operation


def _walk(prefix: str, router: Router) -> Iterator[tuple[str, Operation]]:
    for path, path_view in router.path_operations.items():
        for operation in path_view.operations:
            yield f"{'/'.join(operation.methods)} {prefix}{path}", operation
    for sub_prefix, child, *_tags in router._routers:
        yield from _walk(f"{prefix}{sub_prefix}", child)


def operations() -> Iterator[tuple[str, Operation]]:
    """(``"POST /demands/{demand_id}/reply"``, operation) for every operation of the API."""
    from mulin.api import api

    for prefix, router in (entry[:2] for entry in api._routers):
        yield from _walk(prefix.rstrip("/"), router)
