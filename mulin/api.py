"""The JSON API under /api/v1/, for a mini-program or mobile client.

Same services and selectors as the pages; same scope. OpenAPI at /api/v1/openapi.json.
"""

from ninja import NinjaAPI

from accounts.api import router as accounts_router
from accounts.api_auth import API_AUTH
from areas.api import router as areas_router

api = NinjaAPI(
    title="Mulin 睦邻 API",
    version="1",
    description="Residents' committee platform: area tree, accounts and, later, every domain.",
    urls_namespace="api",
    auth=API_AUTH,
)
api.add_router("/areas/", areas_router)
api.add_router("/", accounts_router)
