"""Reading a statement for its import (PRODUCT.md §8): the file read with the mapping
chosen in the mapping step, else with the layout its header has (the owner's saved
mapping for that header, a preset, or guessed columns), and an upload's reading kept in
the cache for its preview's visits.

Nothing here writes: ``imports.services`` (the preview, the mapping step) and
``imports.writing`` (the import) read through it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils.translation import gettext as _

from finance.currencies import CURRENCY_CODES
from finance.errors import DomainError
from imports.models import ImportMapping, PaymentImport
from imports.parsing.options import Options, OptionsError
from imports.parsing.presets import PRESETS, Preset, detect_layout
from imports.parsing.statement import StatementResult, parse_statement
from income.models import IncomeSource
from income.services import profile_get_or_create

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reading:
    """A file read: the result, and the preset or saved mapping it was read with."""

    result: StatementResult
    preset: Preset | None
    saved: ImportMapping | None


def default_currency_for(*, owner: User, source: IncomeSource | None) -> str:
    """The currency of the rows that name none: the chosen source's, else the owner's
    base currency."""
    return source.currency if source else profile_get_or_create(user=owner).base_currency


def mapping_options(mapping: Mapping[str, Any]) -> Options:
    """A mapping from a form, the API or a saved row as ``Options``; a ``DomainError``
    naming the setting when it cannot be used."""
    try:
        return Options.from_json(mapping)
    except OptionsError as error:
        raise DomainError(
            {"mapping": [_("This mapping cannot be used: %(key)s.") % {"key": str(error)}]}
        ) from error


def statement_read(
    *,
    owner: User,
    data: bytes,
    default_currency: str,
    mapping: Mapping[str, Any] | None = None,
    preset: str = "",
    on_progress: Callable[[int, int], None] | None = None,
) -> Reading:
    """Read a file with ``mapping`` (chosen in the mapping step), else with the layout its
    header has: the owner's saved mapping for that header, a preset, or guessed columns.

    ``preset`` keeps a preset's small row rule when its mapping was edited.
    """
    known = PRESETS.get(preset)
    if mapping:
        result, _layout = parse_statement(
            data, currencies=CURRENCY_CODES, default_currency=default_currency,
            options=mapping_options(mapping), row_rule=known.row_rule if known else None,
            max_rows=settings.IMPORT_MAX_ROWS, on_progress=on_progress,
        )  # fmt: skip
        return Reading(result=result, preset=known, saved=None)
    saved_rows = {m.signature: m for m in ImportMapping.objects.filter(owner=owner)}
    saved: dict[str, Options] = {}
    for signature, row in saved_rows.items():
        try:
            saved[signature] = Options.from_json(row.options)
        except OptionsError:
            logger.warning("import mapping %s of user %s cannot be read", row.pk, owner.pk)
    found: dict[str, Preset | None] = {}

    def detect(records: Any) -> Any:
        layout, preset_found = detect_layout(records, saved=saved)
        found["preset"] = preset_found
        return layout

    result, layout = parse_statement(
        data, currencies=CURRENCY_CODES, default_currency=default_currency, detect=detect,
        max_rows=settings.IMPORT_MAX_ROWS, on_progress=on_progress,
    )  # fmt: skip
    return Reading(
        result=result,
        preset=found.get("preset"),
        saved=saved_rows.get(layout.saved) if layout and layout.saved else None,
    )


#: How long a reading of an upload is kept for its preview (the mapping step's visits).
READING_CACHE_SECONDS = 60 * 60


def _reading_key(*, upload: PaymentImport, default_currency: str) -> str:
    """Everything the reading of an upload depends on: the upload itself (its owner, id
    and moment of upload: an id the database gives again later never meets this one's
    reading), its mapping and preset, the default currency, and the owner's saved
    mappings (which one a header finds)."""
    saved = list(
        ImportMapping.objects.filter(owner_id=upload.owner_id)
        .order_by("pk")
        .values_list("pk", "updated_at")
    )
    parts = (
        upload.owner_id, upload.pk, upload.created_at.isoformat(),
        json.dumps(upload.mapping, sort_keys=True), upload.preset, default_currency,
        [(pk, updated.isoformat()) for pk, updated in saved],
    )  # fmt: skip
    return "import-reading:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def upload_read(*, upload: PaymentImport) -> Reading:
    """An upload's file read as its import would read it: with its mapping and preset.

    The reading is kept in the cache under everything it depends on
    (``_reading_key``), so the preview's second visit neither reads the file again nor
    loads it from the database (issue 19: every GET re-read a 100,000-row file). An
    upload loaded without its file (``payment_import_list``) fetches it only when the
    reading is not kept.
    """
    default_currency = default_currency_for(owner=upload.owner, source=upload.source)
    key = _reading_key(upload=upload, default_currency=default_currency)
    kept = cache.get(key)
    if kept is not None:
        result, preset_key, saved_pk = kept
        saved = ImportMapping.objects.filter(owner_id=upload.owner_id, pk=saved_pk).first()
        return Reading(result=result, preset=PRESETS.get(preset_key or ""), saved=saved)
    reading = statement_read(
        owner=upload.owner,
        data=bytes(upload.content),
        default_currency=default_currency,
        mapping=upload.mapping or None,
        preset=upload.preset,
    )
    preset_key = reading.preset.key if reading.preset else None
    saved_pk = reading.saved.pk if reading.saved else None
    cache.set(key, (reading.result, preset_key, saved_pk), READING_CACHE_SECONDS)
    return reading
