"""The household pages' forms. They read what a person typed; whether it may be done
(an owner's right, a household of two, an address not yet a member) is
``households.services``'s rule, shown on the form with ``add_service_errors``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from households.models import ShareRole
from income.forms.payments import PaymentQuickAddForm
from income.models import IncomeSource
from scenarios.forms import ScenarioForm
from scenarios.models import Scenario

NOT_SHARED = ""
SHARE_CHOICES = [(NOT_SHARED, _("not shared")), *ShareRole.choices]


class HouseholdCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the household"),
        max_length=100,
        help_text=_("e.g. “Müller family” or “Flat 3b”; the others see it in the invitation."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_(
            "The address of the other person's Ertrag account (or the one they sign up with)."
        ),
    )


class JointAssessmentForm(forms.Form):
    joint_assessment = forms.BooleanField(
        label=_("We are a jointly assessed couple"), required=False
    )


@dataclass(frozen=True)
class ShareRow:
    """One of my sources or scenarios and its select."""

    kind: str  # "source" or "scenario"
    item: IncomeSource | Scenario
    field: BoundField


class SharesForm(forms.Form):
    """Each of the person's own sources and scenarios with its role in the household:
    not shared, can view, can edit; saved at once."""

    def __init__(
        self,
        *args: Any,
        sources: list[IncomeSource],
        scenarios: list[Scenario],
        source_roles: dict[int, str],
        scenario_roles: dict[int, str],
        **kwargs: Any,
    ) -> None:
        """``source_roles``/``scenario_roles``: the current role of each shared one by pk."""
        super().__init__(*args, **kwargs)
        self.items: list[tuple[str, IncomeSource | Scenario]] = [
            *(("source", source) for source in sources),
            *(("scenario", scenario) for scenario in scenarios),
        ]
        self.roles = {
            **{f"source-{pk}": role for pk, role in source_roles.items()},
            **{f"scenario-{pk}": role for pk, role in scenario_roles.items()},
        }
        for kind, item in self.items:
            name = f"{kind}-{item.pk}"
            self.fields[name] = forms.ChoiceField(
                label=item.name,
                choices=SHARE_CHOICES,
                required=False,
                initial=self.roles.get(name, NOT_SHARED),
            )

    def rows(self) -> list[ShareRow]:
        return [
            ShareRow(kind=kind, item=item, field=self[f"{kind}-{item.pk}"])
            for kind, item in self.items
        ]

    def changes(self) -> list[tuple[str, IncomeSource | Scenario, str]]:
        """``(kind, item, new role or NOT_SHARED)`` of every row whose role changed."""
        found = []
        for kind, item in self.items:
            name = f"{kind}-{item.pk}"
            role = self.cleaned_data.get(name) or NOT_SHARED
            if role != self.roles.get(name, NOT_SHARED):
                found.append((kind, item, role))
        return found


class SharedPaymentForm(PaymentQuickAddForm):
    """The quick add's fields (date, gross, tax withheld, fees, note) for a source shared
    to edit; the source is the page's and its currency the source's own."""

    def __init__(self, *args: Any, source: IncomeSource, **kwargs: Any) -> None:
        super().__init__(*args, owner=source.owner, **kwargs)
        del self.fields["source"]


#: What a member with "can edit" changes of a shared scenario: its numbers. Its name,
#: tax profile and linked sources stay its owner's to choose.
SHARED_SCENARIO_FIELDS = (
    "starting_capital",
    "monthly_contribution",
    "annual_return",
    "inflation",
    "horizon_years",
    "additional_yearly_income",
    "target_monthly_income",
)


class SharedScenarioForm(ScenarioForm):
    """The scenario form's numeric inputs only, typed as there (rates in percent)."""

    def __init__(self, *args: Any, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(*args, instance=scenario, owner=scenario.owner, **kwargs)
        for name in list(self.fields):
            if name not in SHARED_SCENARIO_FIELDS:
                del self.fields[name]
