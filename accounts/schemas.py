"""What the accounts endpoints of the API take and return."""

from datetime import datetime

from ninja import Field, Schema

from accounts.models import RoleGrant, User
from accounts.phone import mask_phone
from accounts.roles import Role, spec
from areas.schemas import AreaRef
from common.api import MAX_ID
from common.schemas import Text


class TokenIn(Schema):
    model_config = {
        "json_schema_extra": {
            "example": {
                "phone": "138 0013 8000",
                "password": "your password",
                "otp": "123456",
                "name": "手机",
            }
        }
    }

    phone: Text = Field(max_length=20, description="Mainland mobile number; spaces and +86 are allowed.")
    password: Text = Field(max_length=128)
    otp: Text | None = Field(
        None,
        max_length=20,
        description="The six-digit code from the authenticator app; required for staff who see "
        "personal data (the answer says so when it is missing).",
    )
    name: Text = Field("", max_length=100, description="What this token is for, e.g. the device's name.")


class TokenOut(Schema):
    token: str = Field(
        description="The key, shown only this once: send it as `Authorization: Bearer <token>`."
    )
    prefix: str = Field(description="The key's first characters, to recognise it in lists.")
    name: str
    created_at: datetime
    expires_at: datetime | None


class MeOut(Schema):
    id: int
    name: str
    phone: str = Field(description="Masked: 138****5678.")
    elderly_mode: bool
    language: str = Field(description="zh-hans or en; empty when never chosen.")
    home_area: AreaRef | None

    @staticmethod
    def resolve_phone(obj: User) -> str:
        return mask_phone(obj.phone)


class GrantOut(Schema):
    id: int = Field(description="Send it as the X-Mulin-Role header (tokens) or to /me/active-role.")
    role: Role
    role_label: str
    area: AreaRef
    active: bool = Field(description="Whether this request acts in this role.")
    capabilities: list[str]

    @staticmethod
    def resolve_role_label(obj: RoleGrant) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_active(obj: RoleGrant, context) -> bool:
        grant = context["request"].scope.grant
        return grant is not None and grant.pk == obj.pk

    @staticmethod
    def resolve_capabilities(obj: RoleGrant) -> list[str]:
        return sorted(spec(obj.role).capabilities)


class ActiveRoleIn(Schema):
    grant: int = Field(ge=1, le=MAX_ID, description="The id of one of your active role grants.")
