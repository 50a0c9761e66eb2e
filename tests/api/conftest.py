"""Fixtures of the API tests."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The schema as ``manage.py spectacular`` writes it for a client (no database)."""
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--file", str(path))
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded
