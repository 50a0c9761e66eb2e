"""Limit/offset pagination whose page size can never exceed ``API_MAX_PAGE_SIZE``."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def _query_whole_number(request: Request, name: str, *, minimum: int) -> int | None:
    """``?name=`` as an int of at least ``minimum``; ``None`` when it is not sent.

    DRF reads a limit of ``0``, ``-3`` or ``false`` as "the default page" and an offset of
    ``-1`` as ``0``, while the schema declares integers with these minimums: a client
    that sent a wrong value gets a page it did not ask for. Here it gets a 400 that says
    which parameter is wrong (issue 20).
    """
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not _WHOLE_NUMBER.fullmatch(raw) or int(raw) < minimum:
        raise ValidationError(
            {name: [_("Enter a whole number of at least %(minimum)s.") % {"minimum": minimum}]}
        )
    return int(raw)


class ClampedLimitOffsetPagination(LimitOffsetPagination):
    """``?limit=100000`` answers the maximum page instead of loading every row (PRODUCT.md §7);
    a limit below 1, an offset below 0 or either not a whole number is a 400."""

    max_limit = settings.API_MAX_PAGE_SIZE

    def get_limit(self, request: Request) -> int | None:
        limit = _query_whole_number(request, self.limit_query_param, minimum=1)
        if limit is None:
            return self.default_limit
        return min(limit, self.max_limit) if self.max_limit else limit

    def get_offset(self, request: Request) -> int:
        return _query_whole_number(request, self.offset_query_param, minimum=0) or 0
