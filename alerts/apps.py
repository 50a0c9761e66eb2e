from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from alerts.receivers import import_alert
        from imports.signals import import_ended

        import_ended.connect(import_alert, dispatch_uid="alerts.import_alert")
