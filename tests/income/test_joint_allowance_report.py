"""The joint saver's allowance in the tax reports of a jointly assessed couple who keep
their own books in one household (issue 24): each report has its share, and together
they use 2,000 € once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User

from households.models import Household, Membership
from households.services import household_create, household_update
from income.models import IncomeSource, Profile
from income.tax_report import tax_year_report
from tests.factories import PaymentFactory, SourceFactory, UserFactory, category

pytestmark = pytest.mark.django_db


def _interest(user: User, amount: str) -> IncomeSource:
    savings = SourceFactory.create(owner=user, name="Savings", category=category("p2p-interest"),
                                   platform="Bank", country="DE")  # fmt: skip
    PaymentFactory.create(source=savings, date=date(2025, 3, 31), gross=D(amount))
    return savings


def _couple(*, joint_filers: bool = True) -> tuple[User, User, Household]:
    anna, ben = UserFactory.create(), UserFactory.create()
    if joint_filers:
        Profile.objects.filter(user__in=[anna, ben]).update(filing_status="joint")
    household = household_create(owner=anna, name="Anna & Ben")
    Membership.objects.create(household=household, user=ben)
    household_update(household=household, by=anna, joint_assessment=True)
    for user in (anna, ben):
        user.refresh_from_db()
    return anna, ben, household


def test_each_spouse_has_their_share_and_together_they_use_the_allowance_once() -> None:
    anna, ben, _household = _couple()
    _interest(anna, "1500.00")
    _interest(ben, "300.00")
    hers, his = tax_year_report(owner=anna, year=2025), tax_year_report(owner=ben, year=2025)
    # Ben's 300 leave 700 of his half unused: Anna's share 1,000 + 700 = 1,700, of
    # which her 1,500 use 1,500; Ben's share is 1,000, of which he uses 300.
    assert (hers.capital.allowance, hers.capital.allowance_used) == (D("1700"), D("1500.00"))
    assert (his.capital.allowance, his.capital.allowance_used) == (D("1000"), D("300.00"))
    assert hers.capital.taxed == his.capital.taxed == D("0.00")
    assert hers.joint_partner is not None
    assert (hers.joint_partner.name, hers.joint_partner.capital_income) == (
        ben.username,
        D("300.00"),
    )


def test_above_the_joint_allowance_the_rest_is_taxed_where_it_arose() -> None:
    anna, ben, _household = _couple()
    _interest(anna, "1500.00")
    _interest(ben, "800.00")
    hers, his = tax_year_report(owner=anna, year=2025), tax_year_report(owner=ben, year=2025)
    # Ben's 800 leave 200 unused: Anna 1,200 of 1,500 (300 taxed), Ben 800 of 1,000.
    assert hers.capital.allowance_used + his.capital.allowance_used == D("2000.00")
    assert (hers.capital.taxed, his.capital.taxed) == (D("300.00"), D("0.00"))


def test_without_joint_assessment_each_has_their_own_profiles_allowance() -> None:
    anna, _ben, household = _couple()
    household_update(household=household, by=anna, joint_assessment=False)
    _interest(anna, "1500.00")
    # A joint filer without a partner in the household: her books hold the couple's
    # income, and the whole joint allowance is hers, as before households.
    report = tax_year_report(owner=anna, year=2025)
    assert report.capital.allowance == D("2000")
    assert report.joint_partner is None


def test_a_single_filer_in_a_joint_household_keeps_the_single_allowance() -> None:
    anna, _ben, _household = _couple(joint_filers=False)
    _interest(anna, "1500.00")
    report = tax_year_report(owner=anna, year=2025)
    assert (report.capital.allowance, report.joint_partner) == (D("1000"), None)


def test_the_tax_report_page_and_api_name_the_partner(client: object) -> None:
    from django.test import Client
    from rest_framework.test import APIClient

    anna, ben, _household = _couple()
    _interest(anna, "1500.00")
    _interest(ben, "300.00")
    page = Client()
    page.force_login(anna)
    response = page.get("/tax/2025/")
    assert response.status_code == 200
    assert b'data-testid="tax-joint-share"' in response.content
    assert ben.username.encode() in response.content
    api = APIClient()
    api.force_authenticate(anna)
    data = api.get("/api/v1/tax-report/2025/").json()
    assert data["joint_partner"] == {"name": ben.username, "capital_income": "300.00"}
    assert data["capital"]["allowance"] == "1700.00"
