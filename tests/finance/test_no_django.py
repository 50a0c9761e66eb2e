"""The money math is a package of its own because it needs nothing of Django: the
calculator, the figures and the schedules run, and are tested, as plain Python."""

from __future__ import annotations

import ast
from pathlib import Path

import finance

PACKAGE = Path(finance.__file__).parent


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_of_the_money_math_imports_django_or_an_app() -> None:
    apps = {"django", "rest_framework", "celery", "accounts", "config", "income", "imports"}
    apps |= {"jobs", "portability", "reports", "scenarios"}
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 5
    offending = {
        path.name: sorted(_imported(path) & apps) for path in modules if _imported(path) & apps
    }
    assert offending == {}
