from django.conf import settings


def shell(request) -> dict:
    """What every page's frame needs: elderly mode, language, the active role and the others."""
    user = getattr(request, "user", None)
    scope = getattr(request, "scope", None)
    grants = []
    if user is not None and user.is_authenticated and not user.awaits_second_factor:
        grants = user.grant_list
    return {
        "elderly": getattr(request, "elderly", False),
        "languages": settings.LANGUAGES,
        "scope": scope,
        "role_grants": grants,
    }
