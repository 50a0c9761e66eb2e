"""Browser forms of payments: one payment, the quick add, the list's filter and its bulk actions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from finance.currencies import CURRENCY_CODES
from income import selectors
from income.forms.base import (
    DECIMAL_ATTRS,
    DateInput,
    ServiceModelForm,
    choice_field,
    restrict_source_choices,
)
from income.ids import object_ids
from income.models import (
    IncomeCategory,
    IncomeSource,
    Payment,
)
from income.services.payments_bulk import PAYMENT_BULK_LIMIT

# ----------------------------------------------------------------------------- payments

PAYMENT_AMOUNTS = ("gross", "tax_withheld", "foreign_tax", "fees")


class PaymentForm(ServiceModelForm):
    """A received payment; the source list holds only the owner's sources.

    Its amounts may be negative: a refund or reversal has a negative gross. Which signs
    go together is the service's rule, shown next to the field it concerns.
    """

    blank_means_default: tuple[str, ...] = ("tax_withheld", "foreign_tax", "fees")

    class Meta:
        model = Payment
        fields: tuple[str, ...] = (
            "source",
            "date",
            "gross",
            "tax_withheld",
            "foreign_tax",
            "fees",
            "currency",
            "note",
        )
        localized_fields = PAYMENT_AMOUNTS
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict_source_choices(self, owner)
        choice_field(self, "source").empty_label = _("Choose a source")
        for name in PAYMENT_AMOUNTS:
            if name in self.fields:
                self.fields[name].widget.attrs.update(DECIMAL_ATTRS)
        for name in self.blank_means_default:
            self.fields[name].required = False


class PaymentQuickAddForm(PaymentForm):
    """The one-line form above the payment list; the currency is the source's own."""

    blank_means_default = ("tax_withheld", "fees")

    class Meta(PaymentForm.Meta):
        fields = ("source", "date", "gross", "tax_withheld", "fees", "note")


class PaymentFilterForm(forms.Form):
    """GET filter of the payment list; every field is optional."""

    source = forms.ModelChoiceField(
        label=_("Source"), queryset=IncomeSource.objects.none(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=IncomeCategory.objects.none(),
        to_field_name="slug",
        required=False,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    search = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"enterkeyhint": "search", "placeholder": _("Note, source or amount")}
        ),
    )

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict_source_choices(self, owner)
        choice_field(self, "source").empty_label = _("All sources")
        category = choice_field(self, "category")
        category.queryset = selectors.category_list()
        category.empty_label = _("All categories")

    def search_arguments(self) -> dict[str, Any]:
        """The valid criteria as ``selectors.payment_search`` takes them; invalid ones drop."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        category: IncomeCategory | None = data.get("category")
        return {
            "source": data.get("source"),
            "category_slug": category.slug if category else None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "search": data.get("search") or "",
        }


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
