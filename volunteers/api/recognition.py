"""(filled in by the recognition work)"""

from ninja import Router

router = Router(tags=["volunteers"])
