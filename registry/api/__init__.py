"""API endpoints of the household registry: the same services and selectors as the pages, the
same scope. Identity numbers are masked everywhere but ``/reveal``, which logs its reason.

Who may do what: reading needs a role that sees people (social worker, committee lead,
building leader, street/district/city admin); changing needs one that keeps the registry;
revealing, one that may reveal; an unmasked export, a lead. Anything outside the role's area
answers 404, exactly like something that does not exist.
"""

from ninja import Router

from registry.api import accounts, census, figures, people

router = Router(tags=["registry"])
for part in (figures, people, census, accounts):
    router.add_router("", part.router)
