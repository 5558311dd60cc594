from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import ThrottledPasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("signup/", views.sign_up, name="sign_up"),
    path("profile/", views.profile, name="profile"),
    path("questions/", views.questions, name="questions"),
    path("account/", views.account, name="account"),
    path("delete/", views.delete_account, name="delete"),
    path("email/", views.email_change, name="email_change"),
    path("email/confirm/resend/", views.email_confirmation_resend, name="email_confirmation_resend"),
    path("email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
    path("2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
    path(
        "password/",
        views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url="/accounts/password/done/"
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    # Forgotten password: a link by e-mail, valid for PASSWORD_RESET_TIMEOUT (3 days by default).
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=ThrottledPasswordResetForm,
            template_name="accounts/password_reset.html",
            success_url=reverse_lazy("accounts:password_reset_sent"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
]
