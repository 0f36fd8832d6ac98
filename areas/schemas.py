"""What the area endpoints of the API return: explicit fields, nothing read from the model."""

from ninja import Field, Schema

from areas.models import Area, AreaLevel


class AreaRef(Schema):
    """Enough to name and link an area."""

    code: str = Field(description="Official division code, or the committee's local code (310106019001.L3).")
    name: str
    level: AreaLevel


class AreaOut(AreaRef):
    level_label: str = Field(description="The level in the request's language.")
    official: bool = Field(description="An official division (city … committee); false for grids and below.")
    parent_code: str | None
    depth: int = Field(description="0 for the city, 3 for a committee.")
    pinyin: str = Field(description="The name in pinyin without tones, for sorting and search.")
    retired: bool = Field(description="No longer in use: kept for history, hidden unless asked for.")
    child_count: int = Field(description="How many active parts directly under it you may see.")

    @staticmethod
    def resolve_level_label(obj: Area) -> str:
        return str(AreaLevel(obj.level).label)

    @staticmethod
    def resolve_parent_code(obj: Area) -> str | None:
        return getattr(obj, "parent_code", None)

    @staticmethod
    def resolve_retired(obj: Area) -> bool:
        return obj.retired_at is not None


class AreaDetailOut(AreaOut):
    ancestors: list[AreaRef] = Field(description="The breadcrumb, city first (only those you may see).")

    @staticmethod
    def resolve_ancestors(obj: Area) -> list[Area]:
        return getattr(obj, "visible_ancestors", [])
