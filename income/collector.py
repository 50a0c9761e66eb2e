"""Python's cycle collector held while a batch runs (a recompute, an import).

A batch makes hundreds of thousands of small objects (rows, Decimals, dicts) that
reference counting frees; the collector would still walk them every few hundred
allocations, and its full passes walk everything the process holds, so the same batch
got slower the longer the process ran. It is released afterwards, so any cycle the
batch left is collected then.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold the cycle collector for the ``with`` block (see the module doc)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
