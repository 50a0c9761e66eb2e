"""Browser forms of what the tax year needs beside payments: a source's costs and a fund's
years. They read and clean input; the rules (which source takes which record, the day
of purchase in its year) are the services' (``income.services.tax_records``)."""

from __future__ import annotations

from typing import Any

from income.forms.base import DECIMAL_ATTRS, DateInput, ServiceModelForm, plain
from income.models import Cost, FundYear


class CostForm(ServiceModelForm):
    """Money spent on a source on a day; negative for a refund of a cost. The views start
    it in the source's currency."""

    class Meta:
        model = Cost
        fields = ("date", "kind", "amount", "currency", "note")
        localized_fields = ("amount",)
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update(DECIMAL_ATTRS)


class FundYearForm(ServiceModelForm):
    """A fund's units at the end of a year and its price per unit at the year's start and end."""

    decimal_fields = ("units", "start_price", "end_price")

    class Meta:
        model = FundYear
        fields = ("year", "units", "start_price", "end_price", "bought_on", "note")
        localized_fields = ("units", "start_price", "end_price")
        widgets = {"bought_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.decimal_fields:
            self.fields[name].widget.attrs.update(DECIMAL_ATTRS)
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        if self.instance.pk is not None:  # 650 units, not the column's 650.000000
            self.initial["units"] = plain(self.instance.units)
