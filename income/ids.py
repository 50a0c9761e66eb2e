"""Database ids from request text: query strings, form values (no Django here).

Shared by the pages and the API of every app (income is the floor they all stand on).

``<int:pk>`` in a URL is Django's, but an id in a query string or a form is read by us,
and ``int()`` alone lets through what the database cannot hold: a 23-digit id raised
``OverflowError`` on SQLite (a 500, issue 19), and ``"²".isdigit()`` is true while
``int("²")`` fails. One reading for every such parameter: ASCII digits, 1 to 2**63 − 1.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The largest key a database of ours holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ID))


def object_id(text: str) -> int | None:
    """The id ``text`` names, or None when it names none (then: a 404, or ignore it)."""
    if not text or len(text) > _MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def object_ids(values: Iterable[str]) -> list[int]:
    """The ids of ``?ids=1,2`` or ``?ids=1&ids=2``, in order, without repeats.

    Raises ``ValueError`` when a part is no id (then: a 400 that says so).
    """
    ids: list[int] = []
    for part in ",".join(values).split(","):
        part = part.strip()
        if not part:
            continue
        found = object_id(part)
        if found is None:
            raise ValueError(f"not an id: {part[:30]!r}")
        ids.append(found)
    return list(dict.fromkeys(ids))
