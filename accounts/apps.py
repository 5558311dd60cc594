from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .data_version import reinstall_on_sqlite
        from .middleware import renew_at_login

        user_logged_in.connect(renew_at_login, dispatch_uid="accounts.renew_at_login")
        # Once per migrate (sent for this app only): SQLite loses a table's triggers when it remakes it.
        post_migrate.connect(reinstall_on_sqlite, sender=self, dispatch_uid="accounts.data_version_triggers")
