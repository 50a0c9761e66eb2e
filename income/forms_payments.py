"""The bulk form of the payment list: the selected ids and what to do with them."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from income import selectors
from income.finance.currencies import CURRENCY_CODES
from income.forms_income import DateInput
from income.ids import object_ids
from income.models import IncomeSource
from income.services import PAYMENT_BULK_LIMIT

BULK_ACTIONS = (
    ("delete", _("Delete")),
    ("move", _("Move to source")),
    ("set_date", _("Change date")),
    ("set_currency", _("Change currency")),
)


class PaymentBulkForm(forms.Form):
    """One bulk action on the ticked rows; each action names the one value it needs.

    The ids are only parsed here; whether they are the owner's is the service's check
    (one foreign id refuses the whole request with a 404).
    """

    action = forms.ChoiceField(label=_("Action"), choices=BULK_ACTIONS)
    target_source = forms.ModelChoiceField(
        label=_("Move to"), queryset=IncomeSource.objects.none(), required=False
    )
    new_date = forms.DateField(label=_("New date"), required=False, widget=DateInput())
    new_currency = forms.ChoiceField(
        label=_("New currency"),
        choices=[("", "—"), *((code, code) for code in CURRENCY_CODES)],
        required=False,
    )

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = cast(forms.ModelChoiceField, self.fields["target_source"])  # type: ignore[type-arg]
        # only the owner's sources: another user's source is "not one of the choices"
        target.queryset = selectors.source_list(owner=owner)
        target.empty_label = _("Choose a source")

    def ids(self) -> list[int]:
        """The ticked ids; a value that is no number is an error of the form."""
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        try:
            return sorted(set(object_ids(raw)))
        except ValueError:
            return []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.ids():
            raise forms.ValidationError(_("Select at least one payment."))
        if len(self.ids()) > PAYMENT_BULK_LIMIT:
            raise forms.ValidationError(
                _("At most %(limit)s payments can be changed at once.")
                % {"limit": PAYMENT_BULK_LIMIT}
            )
        needs = {"move": "target_source", "set_date": "new_date", "set_currency": "new_currency"}
        field = needs.get(data.get("action", ""))
        if field and not data.get(field):
            self.add_error(field, _("Choose the new value for the selected payments."))
        return data
