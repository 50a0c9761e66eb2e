"""Start-up checks for settings that Django would otherwise accept silently."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from difflib import get_close_matches
from pathlib import Path
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


ENV_EXAMPLE = Path(settings.BASE_DIR) / ".env.example"
ENV_FILE = Path(settings.BASE_DIR) / ".env"
_NAME = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]*)=", re.MULTILINE)
# Close enough to one of ours to be a typo of it (REDIS_ULR, REPORT_RECOMPUTE_DELAY).
TYPO_CUTOFF = 0.85


def _names(text: str) -> set[str]:
    return set(_NAME.findall(text))


@register("ertrag")
def check_environment_names(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """A misspelled variable is not read, and its setting silently keeps its default.

    Every variable the settings read is listed in ``.env.example`` (a test keeps it so).
    A name in ``.env`` that is not, or a name in the environment that is nearly one of
    them, stops start-up with the name it was probably meant to be.
    """
    if not ENV_EXAMPLE.exists():  # an installation without the repository's files
        return []
    known = _names(ENV_EXAMPLE.read_text())
    in_file = _names(ENV_FILE.read_text()) if ENV_FILE.exists() else set()
    suspects = dict.fromkeys(in_file - known, ".env")
    for name in set(os.environ) - known - set(suspects):
        if get_close_matches(name, known, n=1, cutoff=TYPO_CUTOFF):
            suspects[name] = "the environment"
    errors: list[CheckMessage] = []
    for name, where in sorted(suspects.items()):
        match = get_close_matches(name, known, n=1, cutoff=0.6)
        errors.append(
            Error(
                f"{name} (in {where}) is not a setting Ertrag reads.",
                hint=f"Did you mean {match[0]}?" if match else "See .env.example for the names.",
                id="ertrag.E005",
            )
        )
    return errors
