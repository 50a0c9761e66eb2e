"""The dashboard transfers at most 300 KB of JavaScript and CSS, compressed as production serves it.

"As served" means what production does, not what ``runserver`` does: ``collectstatic``
with ``CompressedManifestStaticFilesStorage`` (hashed names, a ``.gz`` next to each
file; ``brotli`` is not installed, so there is no ``.br``) into ``STATIC_ROOT``, and the
WhiteNoise middleware answering from there with DEBUG off. pytest-django's
``live_server`` would instead serve ``/static/`` from the finders, uncompressed, ahead
of WhiteNoise, so this test runs its own live server thread without that handler.
The sizes come from the browser's own resource timing (``transferSize``, a cold cache).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.test import override_settings
from django.test.testcases import LiveServerThread
from django.utils import timezone

from income.demo import demo_create
from reports.services import report_recompute

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-12345"
BUDGET = 300 * 1024

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _NoStaticHandler:
    """Passes every request to Django, so WhiteNoise (a middleware) answers ``/static/``."""

    def __init__(self, application: WSGIApp) -> None:
        self.application = application

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        return self.application(environ, start_response)


@pytest.fixture
def production_static_server(tmp_path: Path, shipped_content: None) -> Iterator[str]:
    static_root = tmp_path / "static"
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(DEBUG=False, STATIC_ROOT=static_root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        # As pytest-django's live_server does: an in-memory SQLite test database is only
        # visible to the server thread through the test's own connection.
        shared = {
            conn.alias: conn
            for conn in connections.all()
            if isinstance(conn, SQLiteWrapper) and conn.is_in_memory_db()
        }
        for conn in shared.values():
            conn.inc_thread_sharing()
        # The stubs want a WSGIHandler class; any WSGI wrapper works at run time.
        server = LiveServerThread("localhost", _NoStaticHandler, shared)  # type: ignore[arg-type]
        server.daemon = True
        server.start()
        server.is_ready.wait()
        try:
            if server.error:
                raise server.error
            yield f"http://localhost:{server.port}"
        finally:
            server.terminate()
            for conn in shared.values():
                conn.dec_thread_sharing()


@pytest.fixture
def demo() -> str:
    today = timezone.localdate()
    result = demo_create(username="demo", password=PASSWORD, today=today)
    report_recompute(owner=result.user, today=today, force=True)
    return "demo"


def test_the_dashboard_transfers_at_most_300_kb_of_js_and_css(
    browser: Any, production_static_server: str, demo: str
) -> None:
    base = production_static_server
    login = browser.new_context()
    page = login.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", demo)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")
    cookies = login.storage_state()
    login.close()

    # A new context has an empty HTTP cache: everything travels over the wire again.
    context = browser.new_context(storage_state=cookies)
    page = context.new_page()
    encodings: dict[str, str | None] = {}
    page.on(
        "response",
        lambda response: encodings.__setitem__(
            response.url, response.headers.get("content-encoding")
        ),
    )
    page.goto(f"{base}/dashboard/")
    page.wait_for_load_state("networkidle")
    entries: list[dict[str, Any]] = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => ({"
        " url: e.name, transfer: e.transferSize, body: e.encodedBodySize,"
        " decoded: e.decodedBodySize }))"
    )
    context.close()

    assets = [e for e in entries if e["url"].split("?")[0].endswith((".js", ".css"))]
    report = "\n".join(
        f"  {e['transfer']:>8} B on the wire ({e['decoded']:>8} B unpacked)"
        f" {e['url'].removeprefix(base)} [{encodings.get(e['url'])}]"
        for e in assets
    )
    assert len(assets) >= 4, f"expected Pico, app.css, htmx and Chart.js:\n{report}"
    for asset in assets:
        path = asset["url"].removeprefix(base)
        assert re.fullmatch(r"/static/.+\.[0-9a-f]{12}\.(js|css)", path), f"not hashed: {path}"
        assert encodings.get(asset["url"]) == "gzip", f"{path} not served compressed:\n{report}"
    total = sum(e["transfer"] for e in assets)
    print(f"dashboard JS + CSS: {total} B transferred\n{report}")
    assert total <= BUDGET, f"{total} B of JS + CSS > {BUDGET} B:\n{report}"
