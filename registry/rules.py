"""The rules a person's record must keep, shared by the forms, the API and the census import.

Each check returns problems as ``{field: message}`` instead of raising on the first one, so
a form or an import row can say everything that is wrong at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registry import crypto
from registry.identity import IdCard, normalize_contact_phone, parse_id_number
from registry.models import Gender, Relation, ResidenceType

NAME_MAX_LENGTH = 50
NOTES_MAX_LENGTH = 2000
UNIT_MAX_LENGTH = 10
ROOM_MAX_LENGTH = 20


@dataclass
class PersonInput:
    """What a form, an API call or a census row says about a person.

    For an edit, ``id_number``, ``health_notes`` and ``key_notes`` of ``None`` keep what is
    recorded (the form never shows them in full); an empty string clears them.
    """

    name: str
    id_number: str | None = None
    gender: str = ""
    birth_date: date | None = None
    phone: str = ""
    relation: str = Relation.HOUSEHOLDER
    residence_type: str = ResidenceType.REGISTERED
    moved_in_on: date | None = None
    health_notes: str | None = None
    key_notes: str | None = None


@dataclass
class CheckedPerson:
    """A person's values ready to store: the identity encrypted, hashed and masked."""

    name: str
    gender: str
    birth_date: date | None
    phone: str
    relation: str
    residence_type: str
    moved_in_on: date | None
    card: IdCard | None = None
    id_given: bool = False  # False: keep the recorded number (an edit without a new one)
    health_notes: str | None = None
    key_notes: str | None = None
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def id_hash(self) -> str:
        return crypto.keyed_hash(self.card.number) if self.card else ""

    def stored_identity(self) -> dict[str, str]:
        """The three identity columns, or nothing when the number is kept as it is."""
        if not self.id_given:
            return {}
        if self.card is None:
            return {"id_cipher": "", "id_hash": "", "id_masked": ""}
        number = self.card.number
        return {
            "id_cipher": crypto.encrypt(number),
            "id_hash": crypto.keyed_hash(number),
            "id_masked": crypto.mask_id_number(number),
        }


def identity_problems(card: IdCard | None, gender: str, birth_date: date | None) -> dict[str, str]:
    """What the identity-card number says against what was written beside it."""
    problems: dict[str, str] = {}
    if card is None:
        return problems
    if birth_date is not None and birth_date != card.birth_date:
        problems["birth_date"] = _(
            "The birth date %(given)s contradicts the identity-card number, which says %(card)s."
        ) % {"given": birth_date.isoformat(), "card": card.birth_date.isoformat()}
    if gender and gender != card.gender:
        problems["gender"] = _(
            "The gender “%(given)s” contradicts the identity-card number, which says “%(card)s”."
        ) % {"given": Gender(gender).label, "card": Gender(card.gender).label}
    return problems


def date_problems(
    birth_date: date | None, moved_in_on: date | None, moved_out_on: date | None, today: date
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if birth_date and birth_date > today:
        problems["birth_date"] = _("The birth date %(date)s is in the future.") % {"date": birth_date}
    elif birth_date and birth_date.year < 1890:
        problems["birth_date"] = _("The birth date %(date)s is impossible.") % {"date": birth_date}
    if moved_in_on and moved_in_on > today:
        problems["moved_in_on"] = _("The move-in date %(date)s is in the future.") % {"date": moved_in_on}
    elif moved_in_on and birth_date and moved_in_on < birth_date:
        problems["moved_in_on"] = _("The move-in date %(date)s is before the birth date.") % {
            "date": moved_in_on
        }
    if moved_out_on and moved_out_on > today:
        problems["moved_out_on"] = _("The move-out date %(date)s is in the future.") % {"date": moved_out_on}
    elif moved_out_on and moved_in_on and moved_out_on < moved_in_on:
        problems["moved_out_on"] = _("The move-out date %(date)s is before the move-in date.") % {
            "date": moved_out_on
        }
    return problems


def clean_name(raw: str | None) -> tuple[str, str]:
    """A person's name with its spaces evened out, and what is wrong with it ("" if nothing):
    the same rule for a form, the API and a census sheet."""
    name = raw or ""
    if " " in name or "\u3000" in name or "\t" in name or "\n" in name:
        name = " ".join(name.split())
    if not name:
        return name, _("The name is empty.")
    if len(name) > NAME_MAX_LENGTH:
        return name, _("The name is longer than %(n)d characters.") % {"n": NAME_MAX_LENGTH}
    return name, ""


def notes_problem(notes: str | None) -> str:
    """What is wrong with health or key-person notes ("" if nothing)."""
    if notes and len(notes) > NOTES_MAX_LENGTH:
        return _("Keep the notes under %(n)d characters.") % {"n": NOTES_MAX_LENGTH}
    return ""


def door_problems(unit: str, room: str) -> dict[str, str]:
    """What is wrong with a door's unit and room, by field: the room is required, both short."""
    problems = {}
    if not room:
        problems["room"] = _("Give the room number (室号).")
    elif len(room) > ROOM_MAX_LENGTH:
        problems["room"] = _("A room number has at most %(n)d characters.") % {"n": ROOM_MAX_LENGTH}
    if len(unit) > UNIT_MAX_LENGTH:
        problems["unit"] = _("A unit number has at most %(n)d characters.") % {"n": UNIT_MAX_LENGTH}
    return problems


def check_person(data: PersonInput, today: date) -> CheckedPerson:
    """Clean and check a person; ``problems`` says everything that is wrong, by field."""
    problems: dict[str, str] = {}
    name, problem = clean_name(data.name)
    if problem:
        problems["name"] = problem
    card = None
    if data.id_number:
        try:
            card = parse_id_number(data.id_number, today=today)
        except ValidationError as error:
            problems["id_number"] = " ".join(error.messages)
    phone = ""
    if data.phone:
        try:
            phone = normalize_contact_phone(data.phone)
        except ValidationError as error:
            problems["phone"] = " ".join(error.messages)
    if data.gender and data.gender not in Gender.values:
        problems["gender"] = _("Gender is 男 or 女 (M or F).")
    if data.relation not in Relation.values:
        problems["relation"] = _("“%(value)s” is not a relation to the householder.") % {
            "value": data.relation
        }
    if data.residence_type not in ResidenceType.values:
        problems["residence_type"] = _("“%(value)s” is not a residence type.") % {
            "value": data.residence_type
        }
    for key, notes in (("health_notes", data.health_notes), ("key_notes", data.key_notes)):
        if notes_problem(notes):
            problems[key] = notes_problem(notes)
    birth_date = data.birth_date or (card.birth_date if card else None)
    gender = data.gender or (card.gender if card else "")
    for key, message in {
        **identity_problems(card, data.gender, data.birth_date),
        **date_problems(birth_date, data.moved_in_on, None, today),
    }.items():
        problems.setdefault(key, message)
    return CheckedPerson(
        name=name,
        gender=gender,
        birth_date=birth_date,
        phone=phone,
        relation=data.relation,
        residence_type=data.residence_type,
        moved_in_on=data.moved_in_on,
        card=card,
        id_given=data.id_number is not None,
        health_notes=data.health_notes.strip() if data.health_notes is not None else None,
        key_notes=data.key_notes.strip() if data.key_notes is not None else None,
        problems=problems,
    )
