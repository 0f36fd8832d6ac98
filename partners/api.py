"""(filled in by the partner-units work)"""

from ninja import Router

router = Router(tags=["partners"])
