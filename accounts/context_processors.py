from django.conf import settings

from common.scope import Capability


def shell(request) -> dict:
    """What every page's frame needs: elderly mode, language, the active role and the others."""
    user = getattr(request, "user", None)
    scope = getattr(request, "scope", None)
    grants = []
    verified = user is not None and user.is_authenticated and not user.awaits_second_factor
    if user is not None and verified:
        grants = user.grant_list
    return {
        "elderly": getattr(request, "elderly", False),
        "languages": settings.LANGUAGES,
        "scope": scope,
        "role_grants": grants,
        # Staff get the staff menu, and on a phone the compact header that folds both menus.
        "staff_menu": bool(
            verified and scope is not None and scope.grant and scope.can(Capability.VIEW_WORKSPACE)
        ),
    }
