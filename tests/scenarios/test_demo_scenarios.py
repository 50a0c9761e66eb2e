"""``seed_demo`` gives the demo account two scenarios to compare (issue 18)."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from scenarios.models import Scenario


def test_the_demo_has_a_savings_plan_and_one_on_its_sources(client: Client, db: None) -> None:
    out = StringIO()
    call_command("seed_demo", "--password", "demo-pass-12345", stdout=out)
    demo = User.objects.get(username="demo")
    savings, linked = Scenario.objects.filter(owner=demo).order_by("pk")
    assert savings.monthly_contribution > 0
    assert not savings.sources.exists()
    names = set(linked.sources.values_list("name", flat=True))
    assert "Flat in Leipzig" in names
    assert "Freelance development" not in names  # active income does not fund the plan
    assert len(names) == 6
    # the command names the comparison, which the run script puts in its banner
    assert f"/scenarios/compare/?ids={savings.pk},{linked.pk}" in out.getvalue()
    client.force_login(demo)
    response = client.get(f"/scenarios/compare/?ids={savings.pk},{linked.pk}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Savings plan: 500 a month" in page
    assert "Difference to Savings plan: 500 a month" in page
