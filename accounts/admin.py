from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import PatientProfile, User


class PatientProfileInline(admin.StackedInline):
    model = PatientProfile
    can_delete = False


@admin.register(User)
class CrpsUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Role and e-mail", {"fields": ("role", "email_confirmed")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Role", {"fields": ("role",)}))
    inlines = (PatientProfileInline,)
