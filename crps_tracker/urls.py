from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from accounts import views as account_views
from careteam import views as careteam_views
from lib.health import healthz

urlpatterns = [
    path("", account_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The full export (careteam.export reads every app), at the address it has always had.
    path("accounts/export.zip", careteam_views.export_all, name="export_all"),
    path("accounts/", include("accounts.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("diary/", include("symptoms.urls")),
    path("flags/", include("flags.urls")),
    path("care/", include("careteam.urls")),
    path("treatments/", include("treatments.urls")),
    path("questionnaires/", include("assessments.urls")),
    path("admin/", admin.site.urls),
    path("", include("reminders.urls")),  # the manifest and the service worker, at the root
    path("healthz", healthz, name="healthz"),  # public: monitors and make bench-load
    path("favicon.ico", lambda request: redirect(static("img/favicon.svg"), permanent=True)),
]
