"""A client generated from the schema works as generated (issue 20, "the API as a contract").

The schema is written by ``manage.py spectacular``, openapi-python-client (pinned in the
dev extras and constraints.txt) turns it into a package in a temporary folder, and the
mobile flow runs through that package, unpatched, against a live server: register, log
in, a source, payments, search and ordering, clearing a nullable field with ``null``,
the dashboard, scenarios with projection and comparison, the calendar, the export and
deletes. A schema change that breaks generated clients fails here, not in an app.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.core.management import call_command

PACKAGE = "ertrag_client"
# The export's zip is a file to save: the generator takes it as bytes this way.
GENERATOR_CONFIG = "content_type_overrides:\n  application/zip: application/octet-stream\n"


def _generator() -> list[str]:
    """The generator of this interpreter's environment, whatever PATH says."""
    script = Path(sys.executable).parent / "openapi-python-client"
    return [str(script)] if script.exists() else [sys.executable, "-m", "openapi_python_client"]


@pytest.fixture(scope="module")
def client_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("generated")
    schema = folder / "schema.yaml"
    call_command("spectacular", "--file", str(schema), "--validate", "--fail-on-warn")
    config = folder / "config.yaml"
    config.write_text(GENERATOR_CONFIG)
    done = subprocess.run(
        [
            *_generator(),
            "generate",
            "--path",
            str(schema),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout, done.stdout
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _api(package: ModuleType, operation: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.api.v1.{operation}")


def _model(package: ModuleType, name: str) -> Any:
    return getattr(importlib.import_module(f"{PACKAGE}.models"), name)


def test_every_generated_operation_module_imports(client_package: ModuleType) -> None:
    import pkgutil

    api = importlib.import_module(f"{PACKAGE}.api.v1")
    names = [module.name for module in pkgutil.iter_modules(api.__path__)]
    assert len(names) > 60
    for name in names:
        importlib.import_module(f"{PACKAGE}.api.v1.{name}")


def test_request_bodies_are_json_except_where_a_file_is_sent(client_package: ModuleType) -> None:
    """One body type per operation: form and multipart variants broke the generated code."""
    source = Path(str(client_package.__file__)).parent / "api" / "v1"
    multipart = sorted(
        p.stem for p in source.glob("*.py") if "multipart/form-data" in p.read_text()
    )
    assert multipart == ["v1_imports_create", "v1_imports_preview_create"]


@pytest.mark.django_db(transaction=True)
def test_the_mobile_flow_runs_through_the_generated_client(
    client_package: ModuleType, live_server: Any, shipped_content: None
) -> None:
    m = importlib.import_module(f"{PACKAGE}.models")
    anonymous = client_package.Client(base_url=live_server.url, raise_on_unexpected_status=True)

    registered = _api(client_package, "v1_auth_register_create").sync_detailed(
        client=anonymous,
        body=m.RegisterRequest(
            username="mobile", email="mobile@example.com", password="a long passphrase 42"
        ),
    )
    assert registered.status_code == 201, registered.content
    wrong = _api(client_package, "v1_auth_login_create").sync_detailed(
        client=anonymous, body=m.LoginRequest(username="mobile", password="wrong")
    )
    assert wrong.status_code == 400
    assert isinstance(wrong.parsed, m.ValidationError)
    logged_in = _api(client_package, "v1_auth_login_create").sync(
        client=anonymous,
        body=m.LoginRequest(username="mobile", password="a long passphrase 42", device="Phone"),
    )
    assert isinstance(logged_in, m.Token)
    # The generated client's default prefix is "Bearer"; the server takes it as it is.
    client = client_package.AuthenticatedClient(
        base_url=live_server.url, token=logged_in.token, raise_on_unexpected_status=True
    )

    categories = _api(client_package, "v1_categories_list").sync(client=client, limit=100)
    dividends = next(c for c in categories.results if c.slug == "etf-dividends")
    source = _api(client_package, "v1_sources_create").sync(
        client=client,
        body=m.SourceRequest(name="Depot", category=dividends.id, start_date=date(2024, 1, 1)),
    )
    assert isinstance(source, m.Source), source

    create_payment = _api(client_package, "v1_payments_create")
    created = [
        create_payment.sync(
            client=client,
            body=m.PaymentRequest(
                source=source.id, date=date(2025, month, 15), gross=gross, external_id=f"x-{month}"
            ),
        )
        for month, gross in ((1, "10.00"), (2, "30.00"), (3, "20.00"))
    ]
    assert all(isinstance(p, m.Payment) for p in created), created

    listed = _api(client_package, "v1_payments_list").sync(
        client=client, search="Depot", ordering="-gross"
    )
    assert [p.gross for p in listed.results] == ["30.00", "20.00", "10.00"]

    cleared = _api(client_package, "v1_payments_partial_update").sync(
        id=created[0].id, client=client, body=m.PatchedPaymentRequest(external_id=None)
    )
    assert isinstance(cleared, m.Payment), cleared
    assert cleared.external_id is None

    dashboard = _api(client_package, "v1_dashboard_retrieve").sync(
        client=client, as_of=date(2025, 3, 31)
    )
    assert isinstance(dashboard, m.Dashboard), dashboard

    create_scenario = _api(client_package, "v1_scenarios_create")
    plans = [
        create_scenario.sync(
            client=client,
            body=m.ScenarioRequest(name=name, monthly_contribution=amount, horizon_years=10),
        )
        for name, amount in (("Slow", "100.00"), ("Fast", "500.00"))
    ]
    assert all(isinstance(s, m.Scenario) for s in plans), plans
    projection = _api(client_package, "v1_scenarios_projection_retrieve").sync(
        id=plans[0].id, client=client
    )
    assert isinstance(projection, m.Projection), projection
    compared = _api(client_package, "v1_scenarios_compare_retrieve").sync(
        client=client, ids=f"{plans[0].id},{plans[1].id}"
    )
    assert isinstance(compared, m.Compare), compared

    calendar = _api(client_package, "v1_calendar_retrieve").sync(client=client)
    assert isinstance(calendar, m.Calendar), calendar

    exported = _api(client_package, "v1_me_export_retrieve").sync_detailed(client=client)
    assert exported.status_code == 200
    assert exported.parsed is not None

    deleted = _api(client_package, "v1_payments_destroy").sync_detailed(
        id=created[1].id, client=client
    )
    assert deleted.status_code == 204
    missing = _api(client_package, "v1_payments_retrieve").sync_detailed(
        id=created[1].id, client=client
    )
    assert missing.status_code == 404
    assert isinstance(missing.parsed, m.Error)
    remaining = _api(client_package, "v1_payments_list").sync(client=client)
    assert remaining.count == 2
