"""What the convention endpoints of the API take and return."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from areas.models import Area
from areas.schemas import AreaRef
from common.api import MAX_ID
from common.schemas import Day, Text
from conventions.models import (
    Clause,
    ClauseComment,
    Convention,
    ConventionVersion,
    Signature,
    SignatureVia,
    VersionState,
)


class ConventionClauseOut(Schema):
    id: int
    order: int = Field(description="The clause's number, 1 first.")
    theme: str = Field(description="e.g. 社区健康类; empty when the clause has none.")
    text: str
    comments: int = Field(description="Comments residents have made on it.")

    @staticmethod
    def resolve_comments(obj: Clause) -> int:
        return getattr(obj, "comment_count", 0)


class ConventionVersionRef(Schema):
    number: int
    state: VersionState


class ConventionVersionOut(ConventionVersionRef):
    preamble: str
    consultation_closes: date | None = Field(description="Residents comment until the end of this day.")
    finalised_at: datetime | None
    published_at: datetime | None
    superseded_at: datetime | None
    clauses: list[ConventionClauseOut]

    @staticmethod
    def resolve_clauses(obj: ConventionVersion):
        return getattr(obj, "clause_list", [])


class ConventionOut(Schema):
    id: int
    title: str
    committee: AreaRef
    area: AreaRef = Field(description="Whose residents it is for.")
    per_household: bool = Field(description="One signature per household instead of one per resident.")
    url: str

    @staticmethod
    def resolve_url(obj: Convention | dict) -> str:
        return obj["url"] if isinstance(obj, dict) else obj.get_absolute_url()


class ConventionFiguresOut(Schema):
    eligible: int = Field(description="Living residents (or households with one) who may sign.")
    online: int = Field(description="Signed online, themselves or through a family member.")
    paper: int = Field(description="Signed on paper, ticked by a building leader or worker.")
    signed: int
    rate: float | None = Field(description="signed ÷ eligible; null when nobody may sign.")


class ConventionBuildingFiguresOut(ConventionFiguresOut):
    building: AreaRef

    @staticmethod
    def resolve_building(obj) -> Area:
        return obj.area


class ConventionFiguresReport(Schema):
    version: int
    total: ConventionFiguresOut
    buildings: list[ConventionBuildingFiguresOut]


class ConventionSignatureOut(Schema):
    id: int
    convention: int
    version: int = Field(description="The version's number.")
    resident: int
    resident_name: str
    household: int
    via: SignatureVia
    signed_at: datetime
    withdrawn_at: datetime | None

    @staticmethod
    def resolve_convention(obj: Signature) -> int:
        return obj.version.convention_id

    @staticmethod
    def resolve_version(obj: Signature) -> int:
        return obj.version.number

    @staticmethod
    def resolve_resident(obj: Signature) -> int:
        return obj.resident_id

    @staticmethod
    def resolve_resident_name(obj: Signature) -> str:
        return obj.resident.name

    @staticmethod
    def resolve_household(obj: Signature) -> int:
        return obj.household_id


class ConventionPersonOut(Schema):
    resident: int
    name: str
    signature: ConventionSignatureOut | None = Field(
        description="The live signature that counts for them (their household's, when it counts households)."
    )
    problem: str = Field(description="Why they may not sign this version now; empty if they may or have.")
    comment_problem: str = Field(description="Why they may not comment now; empty if they may.")


class ConventionDetailOut(ConventionOut):
    versions: list[ConventionVersionRef] = Field(description="The versions you may read, oldest first.")
    version: ConventionVersionOut = Field(
        description="The one asked for, else the published one, else the newest."
    )
    people: list[ConventionPersonOut] = Field(description="You and those you act for, if it is for them.")
    figures: ConventionFiguresOut | None = Field(description="Signatures so far, once the text is final.")


class ConventionEntryOut(Schema):
    convention: ConventionOut
    version: ConventionVersionRef = Field(description="The published version, else the newest you may read.")
    consulting: ConventionVersionRef | None = Field(description="A version in consultation, if any.")
    signed: list[str] = Field(description="Who of you and your family has signed that version.")


class StaffConventionOut(ConventionOut):
    current: ConventionVersionRef | None = Field(description="The published version, else the newest.")
    pending: ConventionVersionRef | None = Field(
        description="A version on its way: draft, consultation or final."
    )
    figures: ConventionFiguresOut = Field(description="Of the version being signed, within your area.")


class ConventionCommentOut(Schema):
    id: int
    clause: int
    resident: int
    resident_name: str
    text: str
    created_at: datetime

    @staticmethod
    def resolve_clause(obj: ClauseComment) -> int:
        return obj.clause_id

    @staticmethod
    def resolve_resident(obj: ClauseComment) -> int:
        return obj.resident_id

    @staticmethod
    def resolve_resident_name(obj: ClauseComment) -> str:
        return obj.resident.name


class ConventionStaffCommentOut(ConventionCommentOut):
    address: str

    @staticmethod
    def resolve_address(obj: ClauseComment) -> str:
        return obj.resident.household.address


class ConventionSignerOut(Schema):
    household: int
    door: str
    members: list[str] = Field(description="The living residents of the line: one, or the household's.")
    resident: int = Field(description="Who a paper signature is recorded for.")
    signature: ConventionSignatureOut | None


class ConventionCommentIn(Schema):
    clause: int = Field(ge=1, le=MAX_ID)
    resident: int = Field(ge=1, le=MAX_ID, description="Yourself or someone you act for.")
    text: Text = Field(min_length=1, max_length=1000)


class ConventionSignIn(Schema):
    resident: int = Field(
        ge=1, le=MAX_ID, description="Yourself, someone you act for, or (paper) a resident."
    )
    version: int | None = Field(
        None, ge=1, le=32767, description="The version's number; default the one signed now."
    )


class ConventionClauseIn(Schema):
    theme: Text = Field("", max_length=30)
    text: Text = Field(min_length=1, max_length=500)


class ConventionIn(Schema):
    title: Text = Field(min_length=1, max_length=120)
    area: Text = Field(
        max_length=64,
        description="The code of the committee, or of a grid, building group or building of it.",
    )
    per_household: bool = False
    preamble: Text = Field("", max_length=5000)
    clauses: list[ConventionClauseIn] = Field(default_factory=list, max_length=60)


class ConventionPhaseIn(Schema):
    action: Literal["consult", "finalise", "publish", "amend"] = Field(
        description="consult (with closes_on), finalise, publish, or amend (new draft from the published)."
    )
    closes_on: Day | None = Field(None, description="For consult: the last day residents comment.")
