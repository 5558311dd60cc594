from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import renew_at_login

        user_logged_in.connect(renew_at_login, dispatch_uid="accounts.renew_at_login")
