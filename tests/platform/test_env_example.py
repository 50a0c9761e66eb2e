"""Every environment variable the settings read is documented in .env.example."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_variable_is_in_env_example() -> None:
    source = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+|_bool)\(\s*"([A-Z_]+)"', source))
    text = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^(?:# )?([A-Z_]+)=", text, re.MULTILINE))
    assert read, "no variables found: the pattern no longer matches settings.py"
    assert not read - documented, f"undocumented in .env.example: {sorted(read - documented)}"
    assert not documented - read - {"PORT"}, f"documented but unused: {sorted(documented - read)}"


def test_a_copy_of_env_example_starts_the_app(tmp_path: Path) -> None:
    """``cp .env.example .env`` must give a working development set-up."""
    values = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in values and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **values},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
