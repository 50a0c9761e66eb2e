from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from income.changes import owner_data_committed
        from reports.receivers import schedule_recompute

        owner_data_committed.connect(schedule_recompute, dispatch_uid="reports.schedule_recompute")
