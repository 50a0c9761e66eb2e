"""JSON read with bounds: size before parsing, nesting depth while and after (no Django).

Python's ``json`` recurses once per level, so ``[`` × 200,000 ends in ``RecursionError``
(a 500 where it is not caught), and a document just under the recursion limit would
still reach code that walks it recursively. Every JSON we read from a person — an API
body, an uploaded export — goes through ``loads``: over ``max_chars`` it is refused
unparsed, past the recursion limit the parser's own ``RecursionError`` is caught, and
the parsed value is then measured with an explicit stack (no recursion) against
``MAX_DEPTH``. Numbers are ``Decimal``, never float.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

#: Containers inside containers: the deepest document of ours (an export: document →
#: table → row → a scenario's list of sources) has 4.
MAX_DEPTH = 20


class JSONTooLarge(ValueError):
    """Too long, or nested too deep, to be read; the message says which."""


def depth_over(value: Any, *, limit: int) -> bool:
    """Whether lists and objects nest more than ``limit`` levels (a scalar is level 0)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth + 1 > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def loads(
    text: str,
    *,
    max_chars: int | None = None,
    max_depth: int = MAX_DEPTH,
    number: Callable[[str], Any] = Decimal,
) -> Any:
    """``text`` parsed; ``JSONTooLarge`` past a bound, ``ValueError`` for bad JSON.

    ``number`` reads a non-integer number (and ``NaN``/``Infinity``) from its text:
    ``Decimal`` by default, ``str`` to keep its text as written (a document stored as
    JSON again, where a ``Decimal`` cannot go)."""
    if max_chars is not None and len(text) > max_chars:
        raise JSONTooLarge("too large")
    try:
        value = json.loads(text, parse_float=number, parse_constant=number)
    except RecursionError:
        raise JSONTooLarge("too deep") from None
    if depth_over(value, limit=max_depth):
        raise JSONTooLarge("too deep")
    return value
