"""``make audit``: the pinned Python and npm packages against known vulnerabilities.

Two audits, one report:

- **Python**: ``pip-audit -r constraints.txt --no-deps --disable-pip``. constraints.txt is
  the full pinned set (every direct and transitive package, dev tools included), so it is
  audited as written, without installing anything or resolving again; what the
  virtualenv happens to hold (a package installed by hand) does not count.
- **npm**: ``npm audit --omit=dev --package-lock-only``: what the browser is served, from
  package-lock.json (axe-core and the test-only OpenID provider are dev dependencies).

Each audit ends in one of three ways, and the report says which:

- ``clean``: the service answered and knows no vulnerability;
- ``VULNERABLE``: it lists each finding with the version that fixes it; exit 1;
- ``NOT AUDITED``: the vulnerability data could not be reached (no network, a proxy
  that refuses the query, a service that is down) or answered for only some packages.
  That says nothing about our packages, so it must not fail a CI run of unrelated work
  (nor cost it a try): by default it is a loud warning. ``AUDIT_UNREACHABLE=fail`` (for a
  machine known to reach the services) makes it exit 2.

Standard library only; pip-audit and npm are run as programs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEAN, VULNERABLE, NOT_AUDITED = "clean", "VULNERABLE", "NOT AUDITED"
TIMEOUT = 300  # seconds for one audit; pip-audit's own per-request timeout is 15 s


@dataclass
class Outcome:
    """One audit's verdict and the lines that explain it."""

    name: str
    verdict: str
    lines: list[str] = field(default_factory=list)


def python_outcome(returncode: int, stdout: str, stderr: str) -> Outcome:
    """pip-audit's ``--format json`` answer: findings, skipped packages, or an error."""
    name = "Python (constraints.txt, pip-audit)"
    try:
        report = json.loads(stdout)
        dependencies = report["dependencies"]
    except (ValueError, KeyError, TypeError):
        return Outcome(
            name, NOT_AUDITED, [f"pip-audit failed (exit {returncode}):", *_tail(stderr)]
        )
    findings = [
        f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {_fixes(vuln)})"
        for dep in dependencies
        for vuln in dep.get("vulns", [])
    ]
    skipped = [dep for dep in dependencies if "skip_reason" in dep]
    audited = len(dependencies) - len(skipped)
    if findings:
        lines = findings
        if skipped:
            lines.append(f"({len(skipped)} of {len(dependencies)} packages could not be audited)")
        return Outcome(name, VULNERABLE, lines)
    if skipped:
        return Outcome(
            name,
            NOT_AUDITED,
            [
                f"{len(skipped)} of {len(dependencies)} packages could not be audited, e.g.",
                f"  {skipped[0]['skip_reason']}",
                "(the vulnerability service did not answer for them: PyPI's per-release JSON)",
            ],
        )
    return Outcome(name, CLEAN, [f"{audited} packages, no known vulnerability"])


def npm_outcome(returncode: int, stdout: str, stderr: str) -> Outcome:
    """npm audit's ``--json`` answer: advisories by package, or the registry's error."""
    name = "npm (package-lock.json, production only)"
    try:
        report = json.loads(stdout)
    except ValueError:
        return Outcome(
            name, NOT_AUDITED, [f"npm audit failed (exit {returncode}):", *_tail(stderr)]
        )
    if "vulnerabilities" not in report:
        message = report.get("message") or report.get("error", {}).get("summary") or "no report"
        return Outcome(name, NOT_AUDITED, [f"the registry's audit endpoint answered: {message}"])
    findings = [
        f"{package} ({entry.get('severity', '?')}): "
        + ", ".join(
            via.get("url") or via.get("title", "?") if isinstance(via, dict) else f"via {via}"
            for via in entry.get("via", [])
        )
        for package, entry in sorted(report["vulnerabilities"].items())
    ]
    if findings:
        return Outcome(name, VULNERABLE, findings)
    total = report.get("metadata", {}).get("dependencies", {}).get("prod", "?")
    return Outcome(name, CLEAN, [f"{total} production packages, no known vulnerability"])


def _fixes(vuln: dict[str, list[str]]) -> str:
    return ", ".join(vuln.get("fix_versions", [])) or "no release yet"


def _tail(text: str, lines: int = 3) -> list[str]:
    return [f"  {line}" for line in text.strip().splitlines()[-lines:]] or ["  (no output)"]


def _run(command: Sequence[str]) -> tuple[int, str, str]:
    try:
        done = subprocess.run(  # noqa: S603 (our own fixed commands)
            command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return 124, "", f"no answer within {TIMEOUT} s"
    except OSError as error:
        return 127, "", str(error)
    return done.returncode, done.stdout, done.stderr


def report(outcomes: Sequence[Outcome], *, unreachable_fails: bool) -> int:
    """Print the report; the exit status: 1 for a finding, 2 for not audited if asked."""
    print("Dependency audit")
    for outcome in outcomes:
        print(f"  {outcome.verdict:<11}  {outcome.name}")
        for line in outcome.lines:
            print(f"               {line}")
    verdicts = {outcome.verdict for outcome in outcomes}
    if VULNERABLE in verdicts:
        print(
            "Known vulnerabilities: raise the pins above (pyproject.toml and constraints.txt, "
            "or package.json and package-lock.json)."
        )
        return 1
    if NOT_AUDITED in verdicts:
        if unreachable_fails:
            print("Not audited, and AUDIT_UNREACHABLE=fail: failing.")
            return 2
        print(
            "WARNING: not every package was audited (see above); nothing is known to be "
            "vulnerable, nor known not to be. AUDIT_UNREACHABLE=fail makes this an error."
        )
        return 0
    print("No known vulnerability.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pip-audit", default=str(Path(sys.executable).parent / "pip-audit"))
    args = parser.parse_args(argv)
    python = python_outcome(
        *_run(
            [
                args.pip_audit,
                "--requirement", "constraints.txt",
                "--no-deps", "--disable-pip",  # the pinned set as written, nothing installed
                "--format", "json",
                "--progress-spinner", "off",
            ]
        )
    )  # fmt: skip
    npm = npm_outcome(*_run(["npm", "audit", "--omit=dev", "--package-lock-only", "--json"]))
    unreachable_fails = os.environ.get("AUDIT_UNREACHABLE", "warn") == "fail"
    return report([python, npm], unreachable_fails=unreachable_fails)


if __name__ == "__main__":
    sys.exit(main())
