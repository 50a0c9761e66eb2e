"""Serve the few front-end files we use straight from ``node_modules``.

The libraries come from npm (``package.json`` + ``package-lock.json``) and are never
committed. Listing the exact files keeps ``collectstatic`` from copying whole
packages (Pico alone ships 20 MB of colour variants) and makes a missing
``npm ci`` a loud start-up error (see ``config.checks``) instead of a silent 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, overload

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage
from django.core.checks import Error as CheckError
from django.core.files.storage import FileSystemStorage

# static path -> path below node_modules
VENDOR_FILES: dict[str, str] = {
    "vendor/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vendor/chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    # Referenced by the line ``//# sourceMappingURL=`` above: without it, ``collectstatic``
    # with the production storage (CompressedManifestStaticFilesStorage) fails.
    "vendor/chart.umd.min.js.map": "chart.js/dist/chart.umd.min.js.map",
    "vendor/pico.min.css": "@picocss/pico/css/pico.min.css",
}


def _node_modules() -> Path:
    return Path(settings.NODE_MODULES_DIR)


class NodeModulesFinder(BaseFinder):
    """A staticfiles finder for the files in ``VENDOR_FILES``."""

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        missing = [src for src in VENDOR_FILES.values() if not (_node_modules() / src).is_file()]
        if missing:
            return [
                CheckError(
                    f"Front-end files missing from {_node_modules()}: {', '.join(missing)}",
                    hint="Run `npm ci` (or `make run`, which does it for you).",
                    id="ertrag.E001",
                )
            ]
        return []

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...
    def find(self, path: str, find_all: bool = False) -> str | list[str] | None:
        source = VENDOR_FILES.get(path)
        if source is None:
            return [] if find_all else None
        full = str(_node_modules() / source)
        return [full] if find_all else full

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for static_path, source in VENDOR_FILES.items():
            full = _node_modules() / source
            if not full.is_file():
                continue
            # A storage rooted at the file's folder, with the static path as its prefix.
            storage = FileSystemStorage(location=str(full.parent))
            storage.prefix = str(Path(static_path).parent)  # type: ignore[attr-defined]
            yield full.name, storage
