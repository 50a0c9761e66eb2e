from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScenariosConfig(AppConfig):
    """Saved projections; builds on ``income`` and never the other way round."""

    name = "scenarios"
    verbose_name = _("Scenarios")
