from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from .models import AuditEvent, Organisation, User
from .roles import Role


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Followthrough", {"fields": ("role", "organisations")}),
    )
    list_display = ("username", "email", "role", "is_active")
    list_filter = ("role", "is_active")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for administrators."""

    list_display = ("id", "at", "actor_label", "verb", "object_type", "object_id", "summary")
    list_filter = ("verb", "object_type")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _admins_only(request: HttpRequest) -> bool:
    """Django admin is for the admin role only, whatever is_staff says."""
    user = request.user
    return bool(
        user.is_active and user.is_authenticated and user.role == Role.ADMIN and user.is_staff
    )


admin.site.has_permission = _admins_only  # type: ignore[method-assign]
admin.site.site_header = "Followthrough administration"
