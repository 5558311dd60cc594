"""Staff and superusers pass the second factor before any admin page, and no admin page shows a TOTP key.

Every admin URL is walked (from admin.site.get_urls(), with the ids of real rows), GET and POST, as a
staff account holding every permission and as a superuser, each logged in with a password only.
"""

import base64
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.accounts.test_security import code
from tests.factories import PASSWORD, ClinicianFactory, PatientFactory

pytestmark = pytest.mark.django_db


def admin_routes(prefix: str = "", patterns=None) -> list[str]:
    """Every admin route, as written in its pattern ('accounts/user/<path:object_id>/change/')."""
    routes = []
    for pattern in admin.site.get_urls() if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            routes += admin_routes(prefix + str(pattern.pattern), pattern.url_patterns)
        else:
            routes.append(prefix + str(pattern.pattern))
    return routes


def concrete(route: str, ids: dict[str, int]) -> str:
    """A route with sample values: the id of a real row of the route's model, an app's label."""
    model = "/".join(route.split("/")[:2])
    if route.startswith("^(?P<app_label>"):
        return "/admin/accounts/"
    if route == "(?P<url>.*)$":
        return "/admin/nothing-here/"
    if route.startswith("r/"):
        user_type = ContentType.objects.get_for_model(User).pk
        return f"/admin/r/{user_type}/{ids['accounts/user']}/"
    path = re.sub(r"<(?:\w+:)?(?:object_id|id|pk)>", str(ids.get(model, ids["accounts/user"])), route)
    assert "<" not in path and "(" not in path, f"no sample value for {route}"
    return "/admin/" + path


@pytest.fixture
def rows():
    """One row of every model the admin shows, and a clinician whose key must never be shown."""
    patient = PatientFactory(username="pat")
    clinician = ClinicianFactory(username="dr-key")
    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    group = Group.objects.create(name="clinic")
    seen = {"username": "pat", "ip_address": "127.0.0.1", "user_agent": "x"}
    attempt = AccessAttempt.objects.create(**seen, failures_since_start=1)
    log = AccessLog.objects.create(**seen)
    failure = AccessFailureLog.objects.create(**seen)
    ids = {
        "accounts/user": patient.pk,
        "otp_totp/totpdevice": device.pk,
        "auth/group": group.pk,
        "axes/accessattempt": attempt.pk,
        "axes/accesslog": log.pk,
        "axes/accessfailurelog": failure.pk,
    }
    return ids, device


def staff_with_every_permission():
    staff = User.objects.create_user("staffer", password=PASSWORD, is_staff=True)
    staff.user_permissions.set(Permission.objects.all())
    return staff


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_every_admin_page_asks_a_password_only_session_for_its_second_factor(client, rows, who):
    ids, device = rows
    if who == "staff":
        user = staff_with_every_permission()
    else:
        user = User.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    paths = sorted({concrete(route, ids) for route in admin_routes()})
    assert len(paths) >= 40  # every model's list, add, change, delete and history pages, and the site's own
    for path in paths:
        for method in (client.get, client.post):
            response = method(path, {"post": "yes"} if method is client.post else None)
            assert response.status_code == 302, (method, path, response.status_code)
            assert response["Location"].startswith(reverse("accounts:two_factor_setup")), (method, path)
    # Nothing was changed or deleted by the posts.
    assert User.objects.filter(pk=ids["accounts/user"]).exists() and TOTPDevice.objects.filter(pk=device.pk).exists()
    # The admin's own login form does not let a password alone in either.
    client.post(reverse("logout"))
    client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_staff_enrol_like_clinicians_and_then_the_admin_never_shows_a_key(client, rows):
    ids, device = rows
    boss = User.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    client.post(reverse("login"), {"username": "boss", "password": PASSWORD})
    setup = client.get(reverse("accounts:two_factor_setup"))
    assert setup.status_code == 200 and setup.context["required"]
    own = TOTPDevice.objects.get(user=boss, confirmed=False)
    client.post(reverse("accounts:two_factor_setup"), {"token": code(own)})
    assert client.get("/admin/").status_code == 200

    secrets = {device.key, base64.b32encode(device.bin_key).decode().rstrip("=")}
    for route in admin_routes():
        path = concrete(route, ids)
        response = client.get(path)
        assert response.status_code < 500, path
        page = response.content.decode(errors="replace")
        assert not any(secret in page or secret.lower() in page.lower() for secret in secrets), path
    listing = client.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200 and "dr-key" in listing.text  # staff see who has a device
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403  # and never make or edit one
    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/change/", {"key": "00" * 20, "name": "x"})
    device.refresh_from_db()
    assert device.name == "phone"
    # A lost phone: staff delete the device; the clinician enrols a new one at their next login.
    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
