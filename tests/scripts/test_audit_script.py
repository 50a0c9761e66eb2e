"""``make audit`` (scripts/audit.py): what each audit's answer means, without the network.

A finding fails; an answer that audited nothing is reported as NOT AUDITED and fails
only when asked (``AUDIT_UNREACHABLE=fail``): these are the answers pip-audit and npm
give, recorded, and the report built from them.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ertrag_audit", ROOT / "scripts" / "audit.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


audit = _load()

PIP_CLEAN = json.dumps(
    {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}], "fixes": []}
)
PIP_VULNERABLE = json.dumps(
    {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.1",
                "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": []}],
            },
            {"name": "amqp", "version": "5.4.2", "vulns": []},
        ],
        "fixes": [],
    }
)
PIP_SKIPPED = json.dumps(
    {
        "dependencies": [
            {"name": "amqp", "skip_reason": "Dependency not found on PyPI and could not be audited"}
        ],
        "fixes": [],
    }
)
NPM_CLEAN = json.dumps(
    {
        "auditReportVersion": 2,
        "vulnerabilities": {},
        "metadata": {"dependencies": {"prod": 4}},
    }
)
NPM_VULNERABLE = json.dumps(
    {
        "auditReportVersion": 2,
        "vulnerabilities": {
            "htmx.org": {
                "severity": "high",
                "via": [{"title": "XSS", "url": "https://github.com/advisories/GHSA-x"}],
            }
        },
    }
)
NPM_REFUSED = json.dumps(
    {
        "message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
        "statusCode": 405,
        "error": {"summary": "", "detail": ""},
    }
)


def test_clean_answers_pass(capsys: pytest.CaptureFixture[str]) -> None:
    outcomes = [audit.python_outcome(0, PIP_CLEAN, ""), audit.npm_outcome(0, NPM_CLEAN, "")]
    assert [o.verdict for o in outcomes] == [audit.CLEAN, audit.CLEAN]
    assert audit.report(outcomes, unreachable_fails=True) == 0
    assert "No known vulnerability." in capsys.readouterr().out


def test_a_python_finding_fails_and_names_the_fix(capsys: pytest.CaptureFixture[str]) -> None:
    outcome = audit.python_outcome(1, PIP_VULNERABLE, "")
    assert outcome.verdict == audit.VULNERABLE
    assert audit.report([outcome], unreachable_fails=False) == 1
    assert "django 5.2.1: PYSEC-2025-1 (fixed in 5.2.2)" in capsys.readouterr().out


def test_an_npm_finding_fails_and_names_the_advisory(capsys: pytest.CaptureFixture[str]) -> None:
    outcome = audit.npm_outcome(1, NPM_VULNERABLE, "")
    assert outcome.verdict == audit.VULNERABLE
    assert audit.report([outcome], unreachable_fails=False) == 1
    assert "htmx.org (high): https://github.com/advisories/GHSA-x" in capsys.readouterr().out


@pytest.mark.parametrize(
    "outcome",
    [
        audit.python_outcome(0, PIP_SKIPPED, ""),
        audit.python_outcome(1, "", "requests.exceptions.ConnectionError: name resolution"),
        audit.npm_outcome(1, NPM_REFUSED, ""),
        audit.npm_outcome(127, "", "npm: not found"),
    ],
)
def test_an_audit_that_could_not_reach_its_data_warns_unless_told_to_fail(
    outcome: object, capsys: pytest.CaptureFixture[str]
) -> None:
    assert outcome.verdict == audit.NOT_AUDITED  # type: ignore[attr-defined]
    assert audit.report([outcome], unreachable_fails=False) == 0
    assert "WARNING: not every package was audited" in capsys.readouterr().out
    assert audit.report([outcome], unreachable_fails=True) == 2


def test_a_finding_fails_even_when_the_other_audit_could_not_run() -> None:
    outcomes = [audit.python_outcome(0, PIP_VULNERABLE, ""), audit.npm_outcome(1, NPM_REFUSED, "")]
    assert audit.report(outcomes, unreachable_fails=False) == 1
