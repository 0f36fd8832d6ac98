"""The admin site, for site administrators only (staff work happens in the workspace)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.forms import AdminUserAddForm, AdminUserChangeForm
from accounts.models import ApiToken, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    raw_id_fields = ("area", "granted_by")
    fields = ("role", "area", "granted_by", "granted_at", "revoked_at")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserAddForm
    list_display = (
        "phone",
        "name",
        "home_area",
        "is_active",
        "is_staff",
        "must_change_password",
        "last_login",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "elderly_mode", "must_change_password")
    search_fields = ("phone", "name")
    ordering = ("phone",)
    raw_id_fields = ("home_area",)
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups", "user_permissions")
    inlines = [RoleGrantInline]
    actions = ["lift_login_lock"]

    @admin.action(description=_("Lift the login lock of the selected people"))
    def lift_login_lock(self, request, queryset):
        """Wrong passwords lock a number at one address (accounts/lockout.py); this lifts it
        everywhere, as the people page does for a committee's own accounts."""
        lifted = [user for user in queryset if services.lift_lockout_by_site_admin(request.user, user)]
        self.message_user(request, _("%(count)d login lock(s) lifted.") % {"count": len(lifted)})

    fieldsets = (
        (None, {"fields": ("phone", "password")}),
        (_("Person"), {"fields": ("name", "home_area")}),
        (_("Preferences"), {"fields": ("elderly_mode", "language")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "must_change_password",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("phone", "name", "home_area", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "area", "granted_by", "granted_at", "revoked_at")
    list_filter = ("role", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("user__phone", "user__name", "area__name", "area__code")
    raw_id_fields = ("user", "area", "granted_by")
    list_select_related = ("user", "area", "granted_by")
    date_hierarchy = "granted_at"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued through the API or ``ApiToken.issue``: the key exists only at that moment,
    so the admin shows the stored hash read-only and can revoke, not create."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("prefix", "name", "user__phone", "user__name")
    list_select_related = ("user",)
    fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = ("user", "prefix", "key_hash", "created_at", "last_used_at")
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])  # one by one, so each is in the audit log
            count += 1
        self.message_user(request, _("%(count)d token(s) revoked.") % {"count": count})
