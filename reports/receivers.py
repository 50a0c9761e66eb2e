"""The reports side of ``income.changes``: schedule a debounced recompute (nothing else)."""

from __future__ import annotations

from typing import Any


def schedule_recompute(sender: Any, *, owner_id: int, **kwargs: Any) -> None:
    from reports.jobs import recompute_on_change

    recompute_on_change(owner_id=owner_id)
