from typing import cast

from audit.context import Actor, _current


class AuditActorMiddleware:
    """Attributes changes made during a request to its user and active role."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def actor() -> Actor:
            user = request.user
            if not user.is_authenticated:
                return Actor(None)
            return Actor(user.pk, request.scope.role or "")

        # The stand-in answers every attribute of an Actor, read on first use.
        token = _current.set(cast(Actor, _LazyActor(actor)))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class _LazyActor:
    """Resolves the user only when something is actually written."""

    def __init__(self, factory):
        self._factory = factory
        self._value = None

    def __getattr__(self, name):
        if self._value is None:
            self._value = self._factory()
        return getattr(self._value, name)
