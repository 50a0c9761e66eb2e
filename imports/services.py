"""Every write of the statement import goes through one function (PRODUCT.md §8): here
the upload, its preview and the person's choices; ``imports.jobs`` queues and runs the
import, and ``imports.writing`` writes its payments.

Services take keyword-only arguments, run inside ``transaction.atomic``, validate with
``full_clean()`` and send side effects (tasks) only after commit, as ``income.services``
does; what a payment, a source and a profile are stays there, and this module asks it.

The flow: ``payment_import_upload`` keeps the file; ``payment_import_preview`` reads it
(``imports.reading``: the layout detected, or the mapping chosen) and plans where each
row goes (``imports.sources``), writing nothing; ``payment_import_configure`` keeps the
person's choices (mapping, sources, "import the good rows", a mapping saved for files
with the same header); ``imports.jobs.payment_import_start`` queues it and the worker's
``payment_import_process`` runs ``imports.writing.payments_import``, the one function
that writes payments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from finance.errors import DomainError
from imports.billing import (
    BillingPreview,
    billing_preset_of,
    billing_preview,
    billing_source_check,
    billing_upload_read,
)
from imports.models import ImportMapping, PaymentImport
from imports.parsing.presets import PRESETS
from imports.parsing.statement import StatementResult, rejected_lines_csv
from imports.reading import (
    Reading,
    default_currency_for,
    mapping_options,
    statement_read,
    upload_read,
)
from imports.sources import SourcePlan, check_choices, sources_plan
from income.models import IncomeSource
from income.services import model_assign_and_save, source_require_owner


def _check_size(content: bytes) -> None:
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise DomainError(
            {
                "file": [
                    _("The file is larger than %(size)s MB.")
                    % {"size": settings.IMPORT_MAX_BYTES // 2**20}
                ]
            }
        )


def _check_quota(*, owner: User, content: bytes) -> None:
    """The owner's stored files and this one within ``IMPORT_USER_MAX_STORED_BYTES``
    (issue 19: uploads were kept forever, without a bound per person)."""
    stored = PaymentImport.objects.filter(owner=owner).aggregate(total=Sum(Length("content")))
    limit = settings.IMPORT_USER_MAX_STORED_BYTES
    if (stored["total"] or 0) + len(content) > limit:
        raise DomainError(
            {
                "file": [
                    _(
                        "With this file your uploads would take more than %(size)s MB, the "
                        "most one account keeps; files are removed %(days)s days after their "
                        "upload."
                    )
                    % {"size": max(limit // 2**20, 1), "days": settings.IMPORT_KEEP_DAYS}
                ]
            }
        )


@transaction.atomic
def payment_import_upload(
    *, owner: User, filename: str, content: bytes, source: IncomeSource | None
) -> PaymentImport:
    """Keep an uploaded file for preview; nothing is imported yet.

    A billing export is recognised here, by its header (``imports.billing``): the upload
    keeps its preset, and its preview and import are the billing ones.
    """
    if source is not None:
        source_require_owner(source=source, owner=owner)
    _check_size(content)
    _check_quota(owner=owner, content=content)
    billing = billing_preset_of(content)
    upload = PaymentImport(
        owner=owner,
        filename=filename[:255],
        content=content,
        source=source,
        preset=billing.key if billing else "",
    )
    if billing is not None:
        billing_source_check(owner=owner, source=source)
    return model_assign_and_save(instance=upload, fields={})


@dataclass(frozen=True)
class Preview:
    """What the preview shows: the reading and where each source value's rows go."""

    reading: Reading
    plans: dict[str, SourcePlan]

    @property
    def result(self) -> StatementResult:
        return self.reading.result


def payment_import_preview(*, upload: PaymentImport) -> Preview:
    """Read the stored file with its current mapping and plan its sources, writing nothing
    (a statement: a billing export's preview is ``billing_upload_preview``)."""
    reading = upload_read(upload=upload)
    plans = (
        {}
        if upload.source_id
        else sources_plan(
            owner=upload.owner,
            rows=reading.result.rows,
            preset=reading.preset,
            choices=upload.sources,
        )
    )
    return Preview(reading=reading, plans=plans)


def statement_preview(
    *,
    owner: User,
    content: bytes,
    source: IncomeSource | None,
    mapping: Mapping[str, Any] | None = None,
    sources: Mapping[str, Any] | None = None,
) -> Preview | BillingPreview:
    """A file read and planned as its import would be, without keeping it (the API's
    mapping step): the same limits as an upload, nothing written. A billing export is
    previewed as one (``imports.billing``): its mapping and sources do not apply."""
    if source is not None:
        source_require_owner(source=source, owner=owner)
    _check_size(content)
    billing = billing_preset_of(content)
    if billing is not None:
        return billing_preview(owner=owner, source=source, preset=billing.key, data=content)
    choices = check_choices(owner=owner, choices=sources or {})
    reading = statement_read(
        owner=owner,
        data=content,
        default_currency=default_currency_for(owner=owner, source=source),
        mapping=mapping_options(mapping).to_json() if mapping else None,
    )
    plans = (
        {}
        if source is not None
        else sources_plan(
            owner=owner, rows=reading.result.rows, preset=reading.preset, choices=choices
        )
    )
    return Preview(reading=reading, plans=plans)


def payment_import_rejected_lines(*, upload: PaymentImport) -> str:
    """The rows of the stored file that have an error, as CSV with their line and reasons
    (``rejected_lines_csv``), read with the upload's mapping: to fix and import again."""
    if upload.is_billing:
        return rejected_lines_csv(billing_upload_read(upload=upload))
    reading = upload_read(upload=upload)
    return rejected_lines_csv(reading.result)


def billing_upload_preview(*, upload: PaymentImport, planned: bool = False) -> BillingPreview:
    """A billing export's preview: its subscriptions, where they go, what is new (the
    reading kept for the page's next visit). ``planned`` previews it as if no source
    were chosen (where the import would put it by itself): for when the chosen one
    cannot take it any more."""
    return billing_preview(
        owner=upload.owner, source=None if planned else upload.source, preset=upload.preset,
        result=billing_upload_read(upload=upload),
    )  # fmt: skip


@transaction.atomic
def payment_import_configure(
    *,
    upload: PaymentImport,
    source: IncomeSource | None,
    mapping: Mapping[str, Any] | None = None,
    preset: str | None = None,
    sources: Mapping[str, Any] | None = None,
    partial: bool | None = None,
    save_as: str = "",
) -> PaymentImport:
    """Keep the choices of the mapping step before importing.

    ``mapping`` replaces the layout (None keeps it, ``{}`` goes back to the detected one);
    ``preset`` names the preset whose row rule still applies; ``sources`` says per
    source value which source or category its rows get; ``save_as`` saves the mapping
    for the owner's files with the same header, under that name.
    """
    owner = upload.owner
    if source is not None:
        source_require_owner(source=source, owner=owner)
    if upload.is_billing:
        billing_source_check(owner=owner, source=source)
        mapping, preset, sources, save_as = None, None, None, ""  # a statement's choices
    fields: dict[str, Any] = {"source": source}
    if mapping is not None:
        fields["mapping"] = mapping_options(mapping).to_json() if mapping else {}
    if preset is not None:
        fields["preset"] = preset if preset in PRESETS else ""
    if sources is not None:
        fields["sources"] = check_choices(owner=owner, choices=sources)
    if partial is not None:
        fields["partial"] = partial
    upload = model_assign_and_save(instance=upload, fields=fields)
    if save_as.strip():
        import_mapping_save(upload=upload, name=save_as)
    return upload


@transaction.atomic
def import_mapping_save(*, upload: PaymentImport, name: str) -> ImportMapping:
    """Save the upload's layout for the owner's files with the same header.

    The header line is not kept: the next file's preamble may be longer or shorter, and
    its header is found by its signature.
    """
    reading = upload_read(upload=upload)
    result = reading.result
    if not result.header:
        raise DomainError({"save_as": [_("A mapping can only be saved for a file with a header.")]})
    options = result.options.merged({"header_line": None})
    mapping, _created = ImportMapping.objects.update_or_create(
        owner=upload.owner,
        signature=result.signature,
        defaults={
            "name": name.strip()[:120],
            "header": list(result.header),
            "options": options.to_json(),
        },
    )
    return mapping


@transaction.atomic
def import_mapping_delete(*, mapping: ImportMapping) -> None:
    mapping.delete()
