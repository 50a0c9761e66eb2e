from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-up, log-in, second factor and sessions: django-allauth underneath, our look on top."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
