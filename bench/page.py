"""page: JavaScript and CSS the dashboard makes a browser download, as production serves it.

As ``tests/e2e/test_page_weight.py`` measures it in Chromium, but without a browser:
``collectstatic`` with the production storage (``CompressedManifestStaticFilesStorage``:
hashed names and a ``.gz`` beside each file that compresses) into a folder of ours,
the dashboard rendered for the demo user (``income.demo``, with computed reports) by
Django's test client with DEBUG off, and for every ``<script src>`` and stylesheet
``<link>`` of that page the size WhiteNoise would send to a browser that accepts gzip:
the ``.gz`` file when there is one, else the file itself. Response headers are not
counted. Goal (PRODUCT.md §6): at most 300 KB (of 1,024 bytes).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Line, bench_env, django_setup, finish, print_line

GOAL_KB = 300


class AssetLinks(HTMLParser):
    """The URLs of the scripts and style sheets a page loads, in order, each once."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def _add(self, url: str | None) -> None:
        if url and url not in self.urls:
            self.urls.append(url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self._add(values.get("src"))
        elif tag == "link":
            rel = (values.get("rel") or "").lower().split()
            if "stylesheet" in rel or (
                {"preload", "modulepreload"} & set(rel) and values.get("as") in {"script", "style"}
            ):
                self._add(values.get("href"))


def served_bytes(static_root: Path, static_url: str, url: str) -> int:
    """What WhiteNoise sends for ``url`` to a browser accepting gzip: the ``.gz`` if any."""
    path = url.split("?")[0].split("#")[0]
    if not path.startswith(static_url):
        raise ValueError(f"{url} is not a static file under {static_url}")
    file = static_root / path.removeprefix(static_url)
    compressed = file.with_name(file.name + ".gz")
    return (compressed if compressed.is_file() else file).stat().st_size


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="ertrag-bench-page-"))
    django_setup(
        bench_env(
            database_url=f"sqlite:///{scratch / 'page.sqlite3'}", redis_url=None, scratch=scratch
        )
    )

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.utils import timezone

    from income.demo import demo_create
    from reports.services import report_recompute

    static_root = scratch / "static"
    with override_settings(STATIC_ROOT=static_root):
        call_command("collectstatic", interactive=False, verbosity=0)
        today = timezone.localdate()
        demo = demo_create(username="pagebench", password="long-Secret-4711-pw", today=today)
        report_recompute(owner=demo.user, today=today, force=True)
        client = Client()
        client.force_login(demo.user)
        response = client.get("/dashboard/")
        if response.status_code != 200:
            print(f"page: the dashboard answered {response.status_code}", file=sys.stderr)
            sys.exit(1)
        links = AssetLinks()
        links.feed(response.content.decode())
        static_url = "/" + settings.STATIC_URL.lstrip("/")
        sizes = {url: served_bytes(static_root, static_url, url) for url in links.urls}

    shutil.rmtree(scratch, ignore_errors=True)
    total = sum(sizes.values())
    kb = total / 1024
    line = print_line(Line(f"page: {kb:.1f} KB (goal ≤ {GOAL_KB} KB)", kb <= GOAL_KB))
    finish([line])


if __name__ == "__main__":
    main()
