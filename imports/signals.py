"""What the imports tell the rest of the product (issue 24).

``import_ended`` is sent after commit with ``owner_id`` and ``import_id`` when an import
has finished, was rejected or failed. Alerts listen to it; the signal keeps the
dependency pointing one way (alerts build on imports, never the other way round).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

import_ended = Signal()


def import_ended_announce(*, owner_id: int, import_id: int) -> None:
    """Send ``import_ended`` once the current transaction commits; a receiver that fails
    is logged, never the import's failure."""

    def announce() -> None:
        try:
            import_ended.send(sender=None, owner_id=owner_id, import_id=import_id)
        except Exception:
            logger.exception("import_ended: receivers failed for import %s", import_id)

    transaction.on_commit(announce)
