"""Render ``static/icons/icon.svg`` to the PNG icons the web app manifest lists.

The PNGs are our own artwork and are committed; PIL is not a dependency, so the
browser the end-to-end tests already use (Playwright driving Debian's Chromium)
rasterises the SVG at the exact pixel size.

To regenerate after changing ``icon.svg``::

    .venv/bin/python scripts/render_icons.py

It writes, next to the SVG:

- ``icon-192.png`` and ``icon-512.png``: the rounded square on a transparent
  background (``purpose: any``);
- ``icon-maskable-512.png``: full-bleed brand colour with the icon scaled to 70 %,
  so the glyph stays inside the maskable safe zone (a centred circle of 80 %
  diameter) whatever shape the launcher cuts;
- ``apple-touch-icon.png`` (180 × 180): the same full-bleed layout, because iOS
  paints transparent corners black and rounds the icon itself.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "static" / "icons"
SOURCE = ICONS / "icon.svg"
BRAND = "#0f766e"  # --pico-primary in static/css/app.css
MASKABLE_SCALE = 0.7

# file name -> (size in px, full-bleed brand background?)
TARGETS: dict[str, tuple[int, bool]] = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "icon-maskable-512.png": (512, True),
    "apple-touch-icon.png": (180, True),
}


def icon_html(svg: str, *, size: int, full_bleed: bool) -> str:
    """A page exactly ``size`` px square that shows the SVG, optionally on brand colour."""
    inner = round(size * MASKABLE_SCALE) if full_bleed else size
    background = BRAND if full_bleed else "transparent"
    sized_svg = svg.replace('width="512" height="512"', f'width="{inner}" height="{inner}"', 1)
    return (
        "<!doctype html><html><head><style>"
        f"html,body{{margin:0;width:{size}px;height:{size}px;background:{background};"
        "display:grid;place-items:center;overflow:hidden}"
        "svg{display:block}"
        f"</style></head><body>{sized_svg}</body></html>"
    )


def render_icons() -> list[Path]:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    svg = SOURCE.read_text(encoding="utf-8")
    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for name, (size, full_bleed) in TARGETS.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(icon_html(svg, size=size, full_bleed=full_bleed))
            target = ICONS / name
            page.screenshot(path=str(target), omit_background=not full_bleed)
            page.close()
            written.append(target)
        browser.close()
    return written


if __name__ == "__main__":
    for path in render_icons():
        print(path.relative_to(ICONS.parents[1]))
