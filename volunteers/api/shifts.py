"""(filled in by the shifts work)"""

from ninja import Router

router = Router(tags=["volunteers"])
