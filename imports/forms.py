"""The forms of the import pages: the upload, and the preview's choices (PRODUCT.md §8).

The preview form holds everything a person can set for a file: the mapping (header line,
a column per field chosen by its position, number and date forms, sign rules, currency,
what each type value is), where each source value's rows go, the default source, "import
the good rows" and a name to save the mapping under. It checks each value against the
choices it offered, so a bad value is a form error and nothing is kept; what the values
mean is decided by ``Options.from_json`` and the services, not here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from finance.currencies import CURRENCY_CODES
from imports.models import PaymentImport
from imports.parsing import kinds
from imports.parsing.columns import FIELDS
from imports.parsing.dates import DMY, MDY, YMD
from imports.parsing.messages import SKIP_REASONS
from imports.parsing.options import AUTO
from imports.parsing.statement import TypeValue
from imports.services import Preview
from imports.sources import SourcePlan
from income.models import IncomeCategory, IncomeSource

#: The fields of a statement as the mapping step names them.
FIELD_LABELS = {
    "date": _("Date"),
    "gross": _("Gross"),
    "net": _("Net"),
    "tax_withheld": _("Tax withheld"),
    # The model field's own name: the part of the tax withheld the source country took.
    "foreign_tax": capfirst(_("of which foreign tax")),
    "fees": _("Fees"),
    "refunded": _("Amount refunded"),
    "currency": _("Currency"),
    "type": _("Type of the row"),
    "status": _("Status"),
    "note": _("Note"),
    "external_id": _("External id"),
    "group": _("Transaction group"),
    "source": _("Source"),
    "source_label": _("Name of the source value"),
}
#: The fields of a billing export's subscription, as its errors name them.
BILLING_FIELD_LABELS = {
    "customer": _("Customer id"),
    "subscription": _("Subscription id"),
    "amount": _("Price per period"),
    "amount_off": _("Discount"),
    "percent_off": _("Discount"),
    "interval": _("Billing interval"),
    "interval_count": _("Billing interval"),
    "quantity": _("Quantity"),
    "started": _("Started"),
    "trial_ends": _("Trial ends"),
    "cancelled_on": _("Cancelled on"),
    "ended": _("Ended"),
    "pauses": _("Pause"),
}
NUMBER_FORMAT_CHOICES = [
    (AUTO, _("Recognise it")),
    ("de", _("German: 1.234,56")),
    ("en", _("English: 1,234.56")),
]
DATE_ORDER_CHOICES = [
    (AUTO, _("Recognise it")),
    (DMY, _("Day, month, year")),
    (MDY, _("Month, day, year")),
    (YMD, _("Year, month, day")),
]
NEGATIVE_CHOICES = [
    (AUTO, _("Recognise it")),
    ("reduce", _("A reversal: it reduces income")),
    ("skip", _("An outgoing payment: skip the row")),
]
FEE_SIGN_CHOICES = [
    (AUTO, _("Recognise it")),
    ("negative", _("A charged fee is negative")),
    ("positive", _("A charged fee is positive")),
]
#: What a type value can be made in the mapping step.
TYPE_SKIPS = ("deposit", "withdrawal", "buy", "sell", "transfer", "fee", "not_income")
NO_COLUMN = ""
SOURCE_PREFIX, CATEGORY_PREFIX = "source:", "category:"
MAPPING_FIELDS = (
    "header_line", "number_format", "date_order", "negative", "fee_sign", "currency",
    "source_fallback",
)  # fmt: skip


def kind_label(kind: str) -> str:
    """A type value's kind as the mapping step shows it."""
    if kind == kinds.INCOME:
        return str(_("Income"))
    if kind == kinds.REFUND:
        return str(_("Refund (reduces income)"))
    if kind == kinds.TAX:
        return str(_("Tax withheld in Germany, or not told apart (merged into its income row)"))
    if kind == kinds.FOREIGN_TAX:
        return str(_("Foreign withholding tax (merged into its income row as foreign tax)"))
    reason = kinds.reason_of(kind) or "not_income"
    return str(_("Skip: %(reason)s") % {"reason": _(SKIP_REASONS.get(reason, reason))})


def column_label(position: int, name: str) -> str:
    """A column as it is chosen: by its position, counted from 1 as a spreadsheet does."""
    return f"{position + 1}: {name.strip() or _('(no name)')}"


def _field_key(prefix: str, value: str) -> str:
    """A form field name for a value of the file (any text): short and stable."""
    return f"{prefix}_{hashlib.sha256(value.encode()).hexdigest()[:12]}"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "The export of your bank, broker or platform as you downloaded it. German "
            "(1.234,56; 31.12.2025) and English (1,234.56; 2025-12-31) formats are both read."
        ),
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=IncomeSource.objects.none(),
        required=False,
        empty_label=_("Named in each row"),
        help_text=_("Choose one when every payment of the file belongs to that source."),
    )

    def __init__(self, *args: Any, sources: QuerySet[IncomeSource], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[IncomeSource]", self.fields["source"]).queryset = sources


def partial_field() -> forms.BooleanField:
    """ "Import the good rows", as every preview offers it."""
    return forms.BooleanField(
        label=_("Import the good rows and list the others"),
        required=False,
        help_text=_("Without it, a single row with an error stops the whole file."),
    )


class PreviewForm(forms.Form):
    """The choices of the preview page (see the module doc); prefilled from how the file
    was read: ``result.options`` and the columns it found (``result.columns``)."""

    source = forms.ModelChoiceField(
        label=_("Default source"),
        queryset=IncomeSource.objects.none(),
        required=False,
        empty_label=_("Named in each row"),
        help_text=_("Every payment of the file goes to this source."),
    )
    partial = partial_field()
    header_line = forms.IntegerField(
        label=_("Header line"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("The line of the file with the column names; empty finds it."),
    )
    # Selects without an empty choice: not "required" (a browser always sends one), and
    # a missing value reads as "recognise it".
    number_format = forms.ChoiceField(
        label=_("Number format"), choices=NUMBER_FORMAT_CHOICES, required=False
    )
    date_order = forms.ChoiceField(
        label=_("Date order"), choices=DATE_ORDER_CHOICES, required=False
    )
    negative = forms.ChoiceField(
        label=_("A negative amount on an income row is"), choices=NEGATIVE_CHOICES, required=False
    )
    fee_sign = forms.ChoiceField(
        label=_("Fees in the file"), choices=FEE_SIGN_CHOICES, required=False
    )
    currency = forms.ChoiceField(
        label=_("Currency when the file names none"),
        choices=[("", _("Default")), *[(c, c) for c in CURRENCY_CODES]],
        required=False,
        help_text=_("Default: the source's currency, else the one in your settings."),
    )
    source_fallback = forms.CharField(
        label=_("Source for rows without a source value"),
        max_length=255,
        required=False,
        help_text=_("For example the platform's name, for its own interest payments."),
    )
    save_as = forms.CharField(
        label=_("Save this mapping for files with this header as"),
        max_length=120,
        required=False,
        help_text=_("The next file with the same header is then read this way, with no step."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        upload: PaymentImport,
        preview: Preview,
        sources: QuerySet[IncomeSource],
        categories: Iterable[IncomeCategory],
    ) -> None:
        result = preview.result
        options = result.options
        self.result = result
        self.plans: list[SourcePlan] = list(preview.plans.values())
        initial: dict[str, Any] = {
            "source": upload.source_id,
            "partial": upload.partial,
            "header_line": result.header_line,
            "number_format": options.number_format or AUTO,
            "date_order": options.date_order or AUTO,
            "negative": options.negative,
            "fee_sign": options.fee_sign,
            "currency": options.currency or "",
            "source_fallback": options.source_fallback or "",
        }
        super().__init__(data, initial=initial)
        cast("forms.ModelChoiceField[IncomeSource]", self.fields["source"]).queryset = sources

        columns = [(NO_COLUMN, _("— not in the file —"))] + [
            (str(position), column_label(position, name))
            for position, name in enumerate(result.header)
        ]
        self.column_names = [f"column_{field}" for field in FIELDS]
        for field in FIELDS:
            position = result.columns.get(field)
            self.fields[f"column_{field}"] = forms.ChoiceField(
                label=FIELD_LABELS[field], choices=columns, required=False
            )
            self.initial[f"column_{field}"] = NO_COLUMN if position is None else str(position)

        self.type_names: list[tuple[TypeValue, str]] = []
        offered = [
            kinds.INCOME, kinds.REFUND, kinds.TAX, kinds.FOREIGN_TAX, *map(kinds.skip, TYPE_SKIPS)
        ]  # fmt: skip
        for type_value in result.type_values:
            name = _field_key("type", type_value.value)
            choices = offered if type_value.kind in offered else [*offered, type_value.kind]
            self.fields[name] = forms.ChoiceField(
                label=type_value.value, choices=[(k, kind_label(k)) for k in choices]
            )
            self.initial[name] = type_value.kind
            self.type_names.append((type_value, name))

        own = [(f"{SOURCE_PREFIX}{s.pk}", s.name) for s in sources]
        new = [
            (
                f"{CATEGORY_PREFIX}{c.slug}",
                _("New source: %(category)s") % {"category": c.name},
            )
            for c in categories
        ]
        self.plan_names: list[tuple[SourcePlan, str]] = []
        for plan in self.plans:
            name = _field_key("plan", plan.key)
            self.fields[name] = forms.ChoiceField(
                label=plan.label or plan.value,
                choices=[(_("Your sources"), own), (_("Create a source"), new)]
                if own
                else [(_("Create a source"), new)],
            )
            if plan.source is not None:
                self.initial[name] = f"{SOURCE_PREFIX}{plan.source.pk}"
            elif plan.category is not None:
                self.initial[name] = f"{CATEGORY_PREFIX}{plan.category.slug}"
            self.plan_names.append((plan, name))

    # ------------------------------------------------------------------ for the template
    def default_source_fields(self) -> list[BoundField]:
        return [self["source"]]

    def save_fields(self) -> list[BoundField]:
        return [self["save_as"]]

    def column_fields(self) -> list[BoundField]:
        """The header line, then a column per field (when the file has a header)."""
        return [self["header_line"], *(self[name] for name in self.column_names)]

    def reading_fields(self) -> list[BoundField]:
        return [self[name] for name in MAPPING_FIELDS if name != "header_line"]

    def type_rows(self) -> list[tuple[TypeValue, BoundField]]:
        return [(type_value, self[name]) for type_value, name in self.type_names]

    def source_rows(self) -> list[tuple[SourcePlan, BoundField]]:
        return [(plan, self[name]) for plan, name in self.plan_names]

    # ------------------------------------------------------------------ for the services
    def mapping_changed(self) -> bool:
        """Did the person change how the file is read? If not, the layout it was read
        with is kept (a preset stays a preset, a saved mapping stays saved)."""
        mapping = {*MAPPING_FIELDS, *self.column_names, *(name for _t, name in self.type_names)}
        return bool(mapping.intersection(self.changed_data))

    def mapping(self) -> dict[str, Any]:
        """The chosen mapping, as ``Options.from_json`` reads it.

        Every column is set (by position) and nothing is guessed, so what the page shows
        is what is read; a file whose header was not found has no columns to choose yet,
        so its columns are guessed from the header line chosen.
        """
        data = self.cleaned_data
        options = self.result.options
        found = bool(self.result.header)
        columns = {
            field: int(data[name]) if data[name] != NO_COLUMN else None
            for field, name in zip(FIELDS, self.column_names, strict=True)
        }
        return {
            "header_line": data["header_line"],
            "columns": columns if found else {},
            "guess": not found,
            "number_format": None if data["number_format"] in ("", AUTO) else data["number_format"],
            "date_order": None if data["date_order"] in ("", AUTO) else data["date_order"],
            "negative": data["negative"] or AUTO,
            "fee_sign": data["fee_sign"] or AUTO,
            "tax_sign": options.tax_sign,
            "currency": data["currency"] or None,
            "source_fallback": data["source_fallback"].strip() or None,
            "types": {
                **options.types,
                **{type_value.value: data[name] for type_value, name in self.type_names},
            },
            "skip_statuses": list(options.skip_statuses),
        }

    def sources(self) -> dict[str, dict[str, Any]]:
        """Source value → ``{"source": id}`` or ``{"category": slug}``."""
        chosen: dict[str, dict[str, Any]] = {}
        for plan, name in self.plan_names:
            value: str = self.cleaned_data[name]
            if value.startswith(SOURCE_PREFIX):
                chosen[plan.key] = {"source": int(value.removeprefix(SOURCE_PREFIX))}
            else:
                chosen[plan.key] = {"category": value.removeprefix(CATEGORY_PREFIX)}
        return chosen


class BillingPreviewForm(forms.Form):
    """The choices of a billing export's preview: the subscription source its customers
    go to (none: the one the platform's last import went to, else a new one), and
    "import the good rows"."""

    source = forms.ModelChoiceField(
        label=_("Subscription source"),
        queryset=IncomeSource.objects.none(),
        required=False,
        empty_label=_("As planned above"),
        help_text=_("The customers and subscriptions of the file go to this source."),
    )
    partial = partial_field()

    def __init__(
        self, *args: Any, upload: PaymentImport, sources: QuerySet[IncomeSource], **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {"source": upload.source_id, "partial": upload.partial})
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[IncomeSource]", self.fields["source"])
        field.queryset = sources

    @property
    def source_fields(self) -> list[BoundField]:
        return [self["source"]]
