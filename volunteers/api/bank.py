"""(filled in by the bank work)"""

from ninja import Router

router = Router(tags=["volunteers"])
