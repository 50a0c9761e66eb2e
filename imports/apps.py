from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Statements in: upload, preview, mapping, rows to sources; builds on ``income``."""

    name = "imports"
    verbose_name = _("Imports")
