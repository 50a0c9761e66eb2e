"""Listening to the imports: an ended import raises its alert (thin; the rule is in
``alerts.services.import_alert_raise``)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


def import_alert(sender: Any, *, owner_id: int, import_id: int, **kwargs: Any) -> None:
    from alerts.services import import_alert_raise

    owner = User.objects.filter(pk=owner_id).first()
    if owner is not None:
        import_alert_raise(owner=owner, import_id=import_id)
