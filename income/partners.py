"""Who a person's jointly assessed partner is, for the joint saver's allowance.

Households live on a higher floor (they share income's sources); income asks this
registry and does not import them. The households app registers its lookup when it
starts (``households.apps``); with none registered nobody has a partner, and a joint
filer's account holds the couple's whole income, as before households existed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User

PartnerLookup = Callable[[User], User | None]
_lookups: list[PartnerLookup] = []


def partner_lookup_register(lookup: PartnerLookup) -> None:
    if lookup not in _lookups:
        _lookups.append(lookup)


def joint_partner_of(owner: User) -> User | None:
    """The one other person ``owner`` is jointly assessed with, if a lookup knows one."""
    for lookup in _lookups:
        partner = lookup(owner)
        if partner is not None:
            return partner
    return None
