from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncomeConfig(AppConfig):
    name = "income"
    verbose_name = _("Income")

    def ready(self) -> None:
        # The profile's save keeps the preferences cache current in every process (web
        # and worker alike), not only where the middleware imported the module.
        # ``/health/`` says whether the ECB's rates arrive on their own (issue 24).
        from config.health import REPORTS
        from income import preferences  # noqa: F401
        from income.rates_health import exchange_rates_report

        REPORTS["exchange_rates"] = exchange_rates_report
