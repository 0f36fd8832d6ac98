"""Users log in with a mobile number; roles are granted over an area."""

from __future__ import annotations

import contextlib
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.phone import normalize_phone, validate_phone
from accounts.roles import Role, spec
from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet


class UserQuerySet(AuditedQuerySet["User"]):
    @staticmethod
    def _active_grants() -> models.Exists:
        return models.Exists(RoleGrant.objects.filter(user=models.OuterRef("pk"), revoked_at__isnull=True))

    def with_role_flag(self) -> UserQuerySet:
        """Annotates ``holds_role``: whether the user holds any active role grant (is staff)."""
        return self.annotate(holds_role=self._active_grants())

    def residents(self) -> UserQuerySet:
        """Accounts without an active role grant and without admin-site rights."""
        return self.filter(~self._active_grants(), is_staff=False, is_superuser=False)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra) -> User:
        user = self.model(phone=normalize_phone(phone), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(phone, password, **extra)

    def get_by_natural_key(self, username: str) -> User:
        with contextlib.suppress(ValidationError):  # a malformed number simply matches nobody
            username = normalize_phone(username)
        return self.get(**{self.model.USERNAME_FIELD: username})


class User(AbstractBaseUser, PermissionsMixin):
    phone = models.CharField(_("mobile number"), max_length=11, unique=True, validators=[validate_phone])
    name = models.CharField(_("name"), max_length=50)
    home_area = models.ForeignKey(
        "areas.Area",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home area"),
        help_text=_("The committee (or building) a resident lives in."),
    )
    elderly_mode = models.BooleanField(_("elderly mode"), default=False)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when staff reset the password: the user chooses a new one at next login."),
    )
    language = models.CharField(_("language"), max_length=10, blank=True, choices=settings.LANGUAGES)
    email = models.EmailField(_("e-mail address"), blank=True)
    # Messages always arrive in the app; these add the other channels, each one switchable.
    sms_notifications = models.BooleanField(
        _("also by SMS"), default=True, help_text=_("When the committee sends a notice by SMS as well.")
    )
    email_notifications = models.BooleanField(
        _("also by e-mail"), default=True, help_text=_("When an e-mail address is given above.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("site administrator"), default=False, help_text=_("May use the Django admin site.")
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]
    scope_path = "home_area__path"
    audit_exclude = frozenset({"password", "last_login"})

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return f"{self.name} ({self.phone[:3]}****{self.phone[-4:]})"

    def audit_area_path(self) -> str:
        return self.home_area.path if self.home_area else ""

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @property
    def active_grants(self) -> models.QuerySet[RoleGrant]:
        return self.role_grants.filter(revoked_at__isnull=True).select_related("area")

    @cached_property
    def grant_list(self) -> list[RoleGrant]:
        """The active grants, oldest first, read once per request (the two-factor gate, the
        scope and the page frame all need them)."""
        return list(self.active_grants.order_by("granted_at", "pk"))

    @property
    def needs_two_factor(self) -> bool:
        """Site administrators and roles that see personal data must use a second factor (a
        passkey or an authenticator app's code)."""
        return self.is_staff or any(spec(g.role).requires_two_factor for g in self.grant_list)

    @property
    def awaits_second_factor(self) -> bool:
        """Password given, second factor still to come: nothing of the workspace (the staff
        menu, the role, the user's name, any count) shows until it is given.

        ``is_verified`` is django-otp's, put on the request's user by its middleware."""
        is_verified = getattr(self, "is_verified", None)
        return is_verified is not None and self.needs_two_factor and not is_verified()


class RoleGrantQuerySet(AuditedQuerySet["RoleGrant"]):
    def active(self) -> RoleGrantQuerySet:
        return self.filter(revoked_at__isnull=True)


class RoleGrant(AuditedModel):
    user = models.ForeignKey(User, models.CASCADE, related_name="role_grants", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="role_grants", verbose_name=_("area"))
    granted_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = RoleGrantQuerySet.as_manager()  # type: ignore[assignment, misc]  # an AuditedQuerySet of its own
    scope_path = "area__path"

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "area"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_grant_per_role_and_area",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.area}"

    def audit_area_path(self) -> str:
        return self.area.path


class ApiTokenQuerySet(AuditedQuerySet["ApiToken"]):
    def valid(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(AuditedModel):
    """A bearer token for the API. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()  # type: ignore[assignment, misc]  # an AuditedQuerySet of its own
    scope_path = "user__home_area__path"
    audit_exclude = frozenset({"key_hash", "last_used_at"})
    audit_skip_fields = {"last_used_at": "a last-seen stamp, written on every call of the API"}

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user})"

    def audit_area_path(self) -> str:
        return self.user.audit_area_path()

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "", expires_at=None) -> tuple[ApiToken, str]:
        key = "mulin_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=key[6:14], key_hash=cls.hash_key(key), expires_at=expires_at
        )
        return token, key
