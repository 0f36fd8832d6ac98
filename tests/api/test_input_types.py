"""What the API takes, checked from the operations themselves: every text refuses NUL, every
day and moment is one of the bounded ISO types (common.schemas), for every field of every
input schema (bodies, queries, paths, nested schemas and lists too)."""

from __future__ import annotations

import datetime
import typing
from collections.abc import Iterator

from pydantic import BaseModel

from common.schemas import Day, Text, When
from tests.api.spec import operations

# What each kind of value must be declared as: the validators that make the type.
_WANTED = {
    str: ("Text", typing.get_args(Text)[1:]),
    datetime.date: ("Day", typing.get_args(Day)[1:]),
    datetime.datetime: ("When", typing.get_args(When)[1:]),
}


def _loose(annotation, metadata: list, where: str) -> Iterator[str]:
    """Where ``annotation`` holds a str, date or datetime without its type's validators."""
    if typing.get_origin(annotation) is typing.Annotated:
        base, *more = typing.get_args(annotation)
        yield from _loose(base, [*metadata, *more], where)
        return
    if annotation in _WANTED:
        name, validators = _WANTED[annotation]
        if not all(v in metadata for v in validators):
            yield f"{where}: {annotation.__name__}, not {name}"
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from _loose_fields(annotation, where)
        return
    if typing.get_origin(annotation) is typing.Literal:
        return
    for arg in typing.get_args(annotation):
        yield from _loose(arg, [], where)


def _loose_fields(model: type[BaseModel], where: str) -> Iterator[str]:
    for name, field in model.model_fields.items():
        yield from _loose(field.annotation, list(field.metadata), f"{where}.{name}")


def _inputs() -> Iterator[tuple[str, type[BaseModel]]]:
    for where, operation in operations():
        for model in operation.models:
            yield where, model


def test_every_text_day_and_moment_the_api_takes_is_typed():
    """A NUL character in a text answered 500 on PostgreSQL (it cannot store one), a week of
    9999-12-31 overflowed when seven days were added: common.schemas.Text, Day and When refuse
    them with 422, wherever they are used."""
    loose = sorted({problem for where, model in _inputs() for problem in _loose_fields(model, where)})
    assert loose == []
