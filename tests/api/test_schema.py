"""Schemathesis over the whole OpenAPI spec, in-process against the WSGI application.

Every operation is called as a verified staff member who holds two roles and as a resident
(what one may do and the other may not must be declared too), with generated requests, valid
and invalid: no answer may be a 5xx, every status must be one the spec declares for the
operation, every body, content type and header must match what it declares, and invalid input
must be refused. Bounded and deterministic: a few examples per operation, derandomised; an
actor's operations in three tests (every third operation each), so the fixtures are built
three times, not once per operation, and the suite's workers share the minutes.

All of schemathesis' default checks run except ``positive_data_acceptance``: some input
that fits the schema is still refused on purpose, with a 4xx the spec declares — a phone
number that is not a mainland mobile number (422), a day outside 1900-2100 (422), a
committee's role switched with a token, which keeps no state (400).
"""

from functools import cache

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.models import ApiToken
from accounts.roles import Role
from mulin.wsgi import application
from tests.factories import UserFactory, grant, totp_device

EXAMPLES = 5  # per operation and actor, valid and invalid together


@cache
def _schema():
    """The spec as schemathesis reads it, fetched from the application when first needed: at
    import it was built on every worker that collected this module (a few seconds each)."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def staff(tree):
    """A verified committee lead with a second role, so role switching has a target."""
    user = UserFactory.create(name="书记", home_area=tree.committee)
    grant(user, Role.COMMITTEE_LEAD, tree.committee)
    grant(user, Role.VOLUNTEER, tree.street)
    totp_device(user)
    return user


@pytest.fixture
def keep_connection():
    """As Django's test client does: the WSGI handler would otherwise close the database
    connection after each request, in the middle of the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _keeps_to_its_spec(operation, user) -> None:
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
    )

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        # A fresh token per example: the DELETE /auth/token operation revokes the one it is sent.
        _token, key = ApiToken.issue(user, name="schemathesis")
        case.call_and_validate(
            headers={"Authorization": f"Bearer {key}"}, excluded_checks=[positive_data_acceptance]
        )

    check()


SHARDS = 3  # each actor's operations in three tests, so the workers share them (one took minutes)


@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(SHARDS))
@pytest.mark.parametrize("actor", ["staff", "resident"])
def test_the_api_keeps_to_its_spec(actor, shard, request, keep_connection):
    """Every operation, as both actors: the operations in the spec's order, every third one
    to a shard, so the three shards of an actor together call each operation once."""
    user = request.getfixturevalue(actor)
    failures, operations, mine = [], 0, 0
    for index, result in enumerate(_schema().get_all_operations()):
        if isinstance(result, Err):
            failures.append(f"the spec: {result.err()}")
            continue
        operations += 1
        if index % SHARDS != shard:
            continue
        operation = result.ok()
        mine += 1
        try:
            _keeps_to_its_spec(operation, user)
        except Exception as failure:  # every operation's failures, not only the first's
            failures.append(f"{operation.label}: {failure}")
    assert operations > 150, "the spec lost its operations"
    assert mine >= operations // SHARDS, (mine, operations)
    assert failures == [], "\n\n".join(failures)


def _schema_classes() -> list[type]:
    """Every ninja Schema defined in the project's own code: its apps (settings.MULIN_APPS),
    the ground floor and the shell, found from the settings, not listed by hand."""
    from ninja import Schema

    import mulin.api  # noqa: F401 - imports every router and its schemas

    ours = {*django_settings.MULIN_APPS, "common", "mulin"}

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return [c for c in set(subclasses(Schema)) if c.__module__.split(".")[0] in ours]


def test_schema_names_are_unique():
    """Two schemas of the same name overwrite each other in the spec's components (one app's
    figures then validated against another's): every schema class needs its own name."""
    names = [c.__name__ for c in _schema_classes()]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert duplicates == []
    apps = {c.__module__.split(".")[0] for c in _schema_classes()}
    assert {"demands", "visits", "eldercare", "deliberation"} <= apps, apps


def test_the_spec_names_each_schema_once():
    """What the spec holds: every component a class of its own (a silent replacement shows as
    fewer components than the endpoints' schemas need)."""
    from mulin.api import api

    components = api.get_openapi_schema()["components"]["schemas"]
    used = {c.__name__ for c in _schema_classes()} & set(components)
    assert used, "the spec's components are not named after the schema classes"
    for name in used:
        owners = [c for c in _schema_classes() if c.__name__ == name]
        assert len(owners) == 1, f"{name} is defined by {[c.__module__ for c in owners]}"


def _unbounded_integers(node, components, where, seen):
    """Paths inside ``node`` (a JSON schema) to integers without a maximum."""
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            yield from _unbounded_integers(components[name], components, f"{where}→{name}", seen | {name})
        return
    if node.get("type") == "integer" and "maximum" not in node and "exclusiveMaximum" not in node:
        yield where
    for key in ("properties",):
        for prop, sub in node.get(key, {}).items():
            yield from _unbounded_integers(sub, components, f"{where}.{prop}", seen)
    for key in ("items", "additionalProperties"):
        yield from _unbounded_integers(node.get(key), components, f"{where}[]", seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key, []):
            yield from _unbounded_integers(sub, components, where, seen)


def test_every_number_the_api_takes_is_bounded():
    """An id or count a client sends (path, query or body, in lists too) has a maximum, so a
    number past the database's integers is refused with 422 instead of answering 500 (a
    service project's list of request ids once did). Use common.api.Id, id_path or
    Field(le=…)."""
    from mulin.api import api

    spec = api.get_openapi_schema()
    components = spec["components"]["schemas"]
    unbounded = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                where = f"{method.upper()} {path} {parameter['in']} {parameter['name']}"
                unbounded += _unbounded_integers(parameter.get("schema"), components, where, frozenset())
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                unbounded += _unbounded_integers(
                    media.get("schema"), components, f"{method.upper()} {path} body", frozenset()
                )
    assert unbounded == []


def _types_in(annotation):
    """The classes an annotation names: ``list[Id]``, ``Status | None``, ``Annotated[…]``…"""
    import typing

    if isinstance(annotation, type):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _types_in(arg)


def _named_classes() -> dict[str, set[type]]:
    """Every model and enum the API's operations take or give, by the name its component gets
    in the spec (pydantic names both after the class)."""
    import enum

    from pydantic import BaseModel

    from tests.api.spec import operations

    found: dict[str, set[type]] = {}
    todo: list[type] = []
    for _where, operation in operations():
        todo += operation.models
        todo += [m for m in operation.response_models.values() if m is not None]
    seen: set[type] = set()
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        if issubclass(cls, enum.Enum):
            found.setdefault(cls.__name__, set()).add(cls)
        elif issubclass(cls, BaseModel):
            found.setdefault(cls.__name__, set()).add(cls)
            for field in cls.model_fields.values():
                todo += [t for t in _types_in(field.annotation) if issubclass(t, (enum.Enum, BaseModel))]
                todo += [
                    t
                    for meta in field.metadata
                    for t in _types_in(getattr(meta, "annotation", None))
                    if issubclass(t, (enum.Enum, BaseModel))
                ]
    return found


def _content(cls: type) -> str:
    """What a component says: two classes saying the same (ninja makes a ``Paged…`` class per
    paginated operation) do no harm under one name."""
    import enum
    import json

    from pydantic import BaseModel

    if issubclass(cls, enum.Enum):
        return json.dumps([member.value for member in cls])
    assert issubclass(cls, BaseModel)
    return json.dumps(cls.model_json_schema(), sort_keys=True, default=str)


def test_every_component_of_the_spec_is_one_class():
    """Two enums or schemas of one name overwrite each other in the spec's components: a
    sign-up's ``via`` was listed as a convention signature's (online/proxy/paper), a notice's
    states as a convention's. Every class the operations use, enums too, has its own name."""
    from mulin.api import api

    components = set(api.get_openapi_schema()["components"]["schemas"])
    named = _named_classes()
    clashes = {
        name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
        for name, classes in named.items()
        if name in components and len({_content(c) for c in classes}) > 1
    }
    assert clashes == {}
    # The walk sees what the spec holds: every enum and schema component is one of its classes.
    assert components - set(named) == set()
