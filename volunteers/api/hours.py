"""(filled in by the hours work)"""

from ninja import Router

router = Router(tags=["volunteers"])
