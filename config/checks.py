"""Start-up checks for settings that Django would otherwise accept silently."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register("ertrag")
def check_celery_limits(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """A task must be killed before Redis hands its message to another worker.

    PRODUCT.md §7: time limits below the visibility timeout, soft below hard.
    """
    errors: list[CheckMessage] = []
    soft, hard = settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT
    visibility = settings.CELERY_VISIBILITY_TIMEOUT
    if not soft < hard < visibility:
        errors.append(
            Error(
                f"Celery limits must satisfy soft ({soft}s) < hard ({hard}s) "
                f"< visibility timeout ({visibility}s).",
                hint="Set CELERY_TASK_SOFT_TIME_LIMIT, CELERY_TASK_TIME_LIMIT and "
                "CELERY_VISIBILITY_TIMEOUT accordingly.",
                id="ertrag.E002",
            )
        )
    if not (settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST):
        errors.append(
            Error(
                "Tasks must be acknowledged late and rejected when the worker is lost.",
                id="ertrag.E003",
            )
        )
    return errors


@register("ertrag")
def check_api_pagination(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """The page size must stay below the clamp, or every list would answer the maximum."""
    page_size = settings.REST_FRAMEWORK.get("PAGE_SIZE")
    if not isinstance(page_size, int) or not 0 < page_size <= settings.API_MAX_PAGE_SIZE:
        return [
            Error(
                f"REST_FRAMEWORK['PAGE_SIZE'] must be between 1 and API_MAX_PAGE_SIZE "
                f"({settings.API_MAX_PAGE_SIZE}).",
                id="ertrag.E004",
            )
        ]
    return []
