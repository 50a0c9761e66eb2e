"""Browser forms of the records beside payments: subscription periods, effort logs, asset values."""

from __future__ import annotations

from typing import Any

from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from income.forms.base import (
    DECIMAL_ATTRS,
    ZERO,
    DateInput,
    MonthField,
    ServiceModelForm,
)
from income.models import (
    AssetValue,
    EffortLog,
    SubscriptionPeriod,
)

# ----------------------------------------------------------------------------- records


class PeriodForm(ServiceModelForm):
    """One month of a subscription source: subscriber counts and MRR movements."""

    month = MonthField(label=_("Month"))

    groups_spec = (
        ("month", _("Month"), ("month", "revenue"), ""),
        (
            "subscribers",
            _("Subscribers"),
            (
                "subscribers_start",
                "new_subscribers",
                "churned_subscribers",
                "reactivated_subscribers",
            ),
            "",
        ),
        (
            "mrr",
            _("MRR movements"),
            ("mrr_new", "mrr_expansion", "mrr_contraction", "mrr_churned", "mrr_reactivation"),
            "",
        ),
    )
    blank_means_default = (
        "subscribers_start",
        "new_subscribers",
        "churned_subscribers",
        "reactivated_subscribers",
        "mrr_new",
        "mrr_expansion",
        "mrr_contraction",
        "mrr_churned",
        "mrr_reactivation",
    )
    money_fields = (
        "mrr_new",
        "mrr_expansion",
        "mrr_contraction",
        "mrr_churned",
        "mrr_reactivation",
        "revenue",
    )

    class Meta:
        model = SubscriptionPeriod
        fields = (
            "month",
            "subscribers_start",
            "new_subscribers",
            "churned_subscribers",
            "reactivated_subscribers",
            "mrr_new",
            "mrr_expansion",
            "mrr_contraction",
            "mrr_churned",
            "mrr_reactivation",
            "revenue",
        )
        localized_fields = (
            "mrr_new",
            "mrr_expansion",
            "mrr_contraction",
            "mrr_churned",
            "mrr_reactivation",
            "revenue",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.blank_means_default:
            self.fields[name].required = False
        for name in self.money_fields:
            self.fields[name].widget.attrs.update(DECIMAL_ATTRS)
            self.fields[name].validators.append(MinValueValidator(ZERO))


class EffortLogForm(ServiceModelForm):
    """The hours spent on a source in one month."""

    month = MonthField(label=_("Month"))

    class Meta:
        model = EffortLog
        fields = ("month", "hours", "note")
        localized_fields = ("hours",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].widget.attrs.update(DECIMAL_ATTRS)


class AssetValueForm(ServiceModelForm):
    """What a capital or rental source's asset was worth on a day, in its currency."""

    class Meta:
        model = AssetValue
        fields = ("date", "value", "note")
        localized_fields = ("value",)
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs.update(DECIMAL_ATTRS)
