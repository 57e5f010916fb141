"""Issue 12: the mkdocs.yml settings `check` refuses do make a visitor's browser contact another host.

A plain mkdocs-material site (no smops-policy: a build of ours refuses these settings) is built with one
setting at a time and opened in Chromium, recording every request. Should a mkdocs-material upgrade
stop making one of these requests, its test fails, and the check for that setting can be relaxed.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from .conftest import LOCAL_HOST

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Request, Route

BASE = "site_name: Theme settings\ntheme:\n  name: material\n{font}"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def hosts_asked(browser: Browser, site: Path) -> set[str]:
    """Every host but 127.0.0.1 that opening the site's front page asks (none is reached: all are aborted)."""
    httpd = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context()
    asked: set[str] = set()

    def route(route: Route) -> None:
        if urlsplit(route.request.url).hostname == LOCAL_HOST:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def record(request: Request) -> None:
        asked.add(urlsplit(request.url).hostname or "")

    try:
        context.route("**/*", route)
        context.on("request", record)
        page = context.new_page()
        page.goto(f"http://{LOCAL_HOST}:{httpd.server_address[1]}/")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()
    return asked - {LOCAL_HOST}


@pytest.mark.parametrize(
    ("settings", "host"),
    [
        pytest.param(BASE.format(font="") + "\n", "fonts.googleapis.com", id="font-not-false"),
        pytest.param(
            BASE.format(font="  font: false\n") + "repo_url: https://github.com/example/policies\n",
            "api.github.com",
            id="repo-url-on-github",
        ),
        pytest.param(
            BASE.format(font="  font: false\n") + "extra_javascript:\n  - https://cdn.example/track.js\n",
            "cdn.example",
            id="extra-javascript",
        ),
        pytest.param(BASE.format(font="  font: false\n") + "\n", None, id="none-of-them"),
    ],
)
def test_each_refused_theme_setting_makes_the_browser_contact_another_host(
    browser: Browser, tmp_path: Path, settings: str, host: str | None
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# A page\n\nSome text.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(settings, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    asked = hosts_asked(browser, tmp_path / "site")
    assert asked == ({host} if host else set())
