"""The allowance orders of a year as one form: an amount per bank, and one more bank."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from income.forms.base import DECIMAL_ATTRS, ZERO
from income.models import AllowanceOrder

#: The field of the bank typed into the form's last row.
NEW_BANK = "new_bank"
NEW_AMOUNT = "new_amount"


def _amount_field(label: str, *, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        max_digits=15,
        decimal_places=2,
        min_value=None,
        validators=[MinValueValidator(ZERO)],
        localize=True,
        widget=forms.TextInput(attrs=DECIMAL_ATTRS),
    )


class AllowanceOrdersForm(forms.Form):
    """One amount per named bank (``amount_<n>``, the bank's name in ``bank_<n>``), and
    a row for a bank none of the sources names yet. A blank amount takes the bank's order
    back; the service decides the rest (``allowance_orders_set_year``)."""

    def __init__(
        self,
        *args: Any,
        banks: Sequence[str],
        initial_amounts: Mapping[str, Decimal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.banks = list(banks)
        for number, bank in enumerate(self.banks):
            self.fields[f"bank_{number}"] = forms.CharField(
                widget=forms.HiddenInput, initial=bank, required=False
            )
            self.fields[f"amount_{number}"] = _amount_field(bank)
            self.initial.setdefault(f"amount_{number}", initial_amounts.get(bank))
        bank_field = AllowanceOrder._meta.get_field("bank")
        self.fields[NEW_BANK] = forms.CharField(
            label=_("Another bank"),
            required=False,
            max_length=bank_field.max_length,
            help_text=_("A bank or broker none of your sources names yet."),
        )
        self.fields[NEW_AMOUNT] = _amount_field(str(_("Its order")))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(NEW_AMOUNT) is not None and not (cleaned.get(NEW_BANK) or "").strip():
            self.add_error(NEW_BANK, _("Name the bank this order is for."))
        return cleaned

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, str]]:
        """(hidden bank field, amount field, bank) of each named bank, for the template."""
        return [
            (self[f"bank_{number}"], self[f"amount_{number}"], bank)
            for number, bank in enumerate(self.banks)
        ]

    def new_fields(self) -> list[forms.BoundField]:
        """The row of a bank no source names yet."""
        return [self[NEW_BANK], self[NEW_AMOUNT]]

    def amounts(self) -> dict[str, Decimal | None]:
        """Each bank's amount as the service takes it: None takes the order back.

        The bank's name comes from the hidden field that went out with the page, so a
        source added meanwhile cannot shift an amount onto another bank.
        """
        data = self.cleaned_data
        result: dict[str, Decimal | None] = {}
        for number in range(len(self.banks)):
            bank = (data.get(f"bank_{number}") or "").strip()
            if bank:
                result[bank] = data.get(f"amount_{number}")
        new_bank = (data.get(NEW_BANK) or "").strip()
        if new_bank and data.get(NEW_AMOUNT) is not None:
            result[new_bank] = data[NEW_AMOUNT]
        return result
