"""Keeping a household right when a member's row goes, however it goes (thin: the rule
is ``households.services.household_settle``)."""

from __future__ import annotations

from typing import Any

from households.models import Membership


def membership_deleted(sender: type[Membership], *, instance: Membership, **kwargs: Any) -> None:
    from households.services import household_settle

    household_settle(household_id=instance.household_id)
