from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """Lets the project package register its system checks and management commands."""

    name = "config"
    label = "project"
    verbose_name = "Ertrag"

    def ready(self) -> None:
        from config import checks  # noqa: F401  (registers the checks)
