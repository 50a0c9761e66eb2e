"""Progress of long work, written by the worker and read by the page and the API.

Progress lives in the cache, not in the job's row: an import writes its rows in one
transaction (all or nothing), and nothing written inside that transaction is visible
to the page polling it. The cache is shared by the web and worker processes (Redis, or
files in ``var/cache`` when running embedded). It is a display aid only: when the cache
is unreachable the job still runs and its row still says when it is done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)

TIMEOUT = 6 * 60 * 60


@dataclass(frozen=True)
class Progress:
    """``done`` of ``total`` steps of one ``phase``; ``percent`` spans all phases."""

    phase: str
    done: int
    total: int
    percent: int


def _key(kind: str, job_id: int | str) -> str:
    return f"progress:{kind}:{job_id}"


def progress_report(
    *, kind: str, job_id: int | str, phase: str, done: int, total: int, start: int, end: int
) -> None:
    """Record that ``phase`` is ``done``/``total`` through; it covers ``start``–``end`` %."""
    share = done / total if total else 1
    percent = start + round((end - start) * min(max(share, 0), 1))
    value = {"phase": phase, "done": done, "total": total, "percent": percent}
    try:
        cache.set(_key(kind, job_id), value, timeout=TIMEOUT)
    except Exception:
        logger.warning("progress_report: cache unavailable for %s %s", kind, job_id)


def progress_read(*, kind: str, job_id: int | str) -> Progress | None:
    try:
        value = cache.get(_key(kind, job_id))
    except Exception:
        return None
    if not isinstance(value, dict):
        return None
    return Progress(
        phase=str(value["phase"]),
        done=int(value["done"]),
        total=int(value["total"]),
        percent=int(value["percent"]),
    )
