from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


@admin.register(User)
class CrpsUserAdmin(UserAdmin):
    """Accounts only: no patient profile (onset, affected sites, questions) and no diary, which staff do not need."""

    list_display = ("username", "email", "first_name", "last_name", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active")
    # django-stubs types UserAdmin.fieldsets as ModelAdmin's (None allowed); Django's UserAdmin sets them.
    fieldsets = (*UserAdmin.fieldsets, ("Role and e-mail", {"fields": ("role", "email_confirmed")}))  # type: ignore[misc]
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Role", {"fields": ("role",)}))


# django-otp's own admin shows each device's secret key and its QR code: with them anyone could make
# a clinician's codes. Staff may only see which accounts have a device, and delete one (a lost phone:
# the clinician then enrols a new one at their next login). They never add or edit one.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
