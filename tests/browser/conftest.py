"""Browser fixtures: real builds served on 127.0.0.1, walked in Debian's headless Chromium by Playwright.

Nothing may leave the machine: other hosts do not resolve (`--host-resolver-rules`), every request
whose host is not 127.0.0.1 is aborted, and every request is recorded so that each test can prove it.
No browser is ever downloaded: Chromium is /usr/bin/chromium (`make browser-deps` installs it) and a
missing Chromium or axe-core fails the tests, it never skips them.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

import pytest
import yaml

from ..conftest import ROOT, SITES_YML, PolicyRepo, policy_text

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Request, Route

CHROMIUM = Path(os.environ.get("SMOPS_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(os.environ.get("SMOPS_AXE", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
ARTIFACTS = ROOT / "test-artifacts"
AS_OF = "2026-11-25"
LOCAL_HOST = "127.0.0.1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOCAL_HOST}",
]
VIEWPORT = {"width": 1280, "height": 860}


class Case(NamedTuple):
    """One Site in one language of one build: `fictional` (three versions) or `real` (policies/)."""

    build: str
    site: str
    name: str
    lang: str
    languages: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.build}-{self.site}-{self.lang}"

    def path(self, rest: str = "") -> str:
        """The URL path of a page of this Site and language, e.g. case.path('privacy/history/')."""
        return f"/{self.build}/{self.site}/{self.lang}/{rest}"


def _cases(build: str, sites_yml: str) -> list[Case]:
    sites = yaml.safe_load(sites_yml)["sites"]
    return [
        Case(build, site_id, entry["name"], lang, tuple(entry["languages"]))
        for site_id, entry in sites.items()
        if "privacy" in entry["policies"]
        for lang in entry["languages"]
    ]


FICTIONAL_CASES = _cases("fictional", SITES_YML)
REAL_CASES = _cases("real", (ROOT / "policies" / "sites.yml").read_text(encoding="utf-8"))
ALL_CASES = FICTIONAL_CASES + REAL_CASES


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


# --- What the browser tests need: there, or a clear failure --------------------------------------


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is missing: {AXE} not found (run `make browser-deps`, which runs `npm ci`)", pytrace=False
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def pdftotext() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        pytest.fail("pdftotext is missing (run `make browser-deps`, which installs poppler-utils)", pytrace=False)
    return found


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is missing: {CHROMIUM} not found (run `make browser-deps`, which runs "
            "`apt-get install --no-install-recommends chromium`; never a browser download)",
            pytrace=False,
        )
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# --- The built sites, served on 127.0.0.1 ---------------------------------------------------------

FICTIONAL_BASE = [
    "We keep your records safe.",
    "We answer questions at {{ site.support_url }}.",
    "We keep this text short.",
]
FICTIONAL_NL = [
    "Wij bewaren uw gegevens veilig.",
    "Wij beantwoorden vragen via {{ site.support_url }}.",
    "Wij houden deze tekst kort.",
]


def write_three_versions(repo: PolicyRepo) -> None:
    """The history of tests/conftest.py's `three_versions`: en 1.0, 1.1, 2.0 (upcoming) and nl 1.0."""
    sections = {2: "Contact"}
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", FICTIONAL_BASE, sections=sections))
    repo.write(
        "policies/privacy/nl.md",
        policy_text(
            "1.0",
            "2020-01-01",
            FICTIONAL_NL,
            title="Voorbeeldbeleid",
            summary="Een verzonnen testversie.",
            sections=sections,
        ),
    )
    repo.commit("Add the fictional policy 1.0", "2019-12-01T10:00:00+01:00")
    v11 = [*FICTIONAL_BASE[:2], "We delete records after one year.", FICTIONAL_BASE[2]]
    repo.write(
        "policies/privacy/en.md",
        policy_text("1.1", "2023-03-01", v11, summary="Adds a retention clause.", sections=sections),
    )
    repo.commit("Version 1.1", "2023-02-01T10:00:00+01:00")
    v20 = [*v11, "We tell you about changes by email."]
    repo.write(
        "policies/privacy/en.md",
        policy_text("2.0", "2031-01-01", v20, summary="Adds notice by email.", sections=sections),
    )
    repo.commit("Version 2.0 (upcoming)", "2026-11-01T10:00:00+01:00")


@pytest.fixture(scope="session")
def fictional_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PolicyRepo]:
    repo = PolicyRepo(tmp_path_factory.mktemp("fictional") / "repo")
    repo.write("policies/sites.yml", SITES_YML)
    write_three_versions(repo)
    yield repo
    repo.repo.close()


@pytest.fixture(scope="session")
def fictional_site(fictional_repo: PolicyRepo) -> Path:
    out = fictional_repo.path.parent / "site"
    fictional_repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    return out


@pytest.fixture(scope="session")
def versions(fictional_repo: PolicyRepo, real_site: Path) -> dict[tuple[str, str], list[dict[str, str]]]:
    """Each build's privacy versions per language, as `smops-policy versions --json` lists them (oldest first)."""
    repos = {"fictional": fictional_repo.path, "real": real_site.parent}
    found = {}
    for build, repo in repos.items():
        for lang in ("en", "nl"):
            command = [sys.executable, "-m", "smops_policy.cli", "versions", "privacy", "--lang", lang]
            command += ["--as-of", AS_OF, "--json", "--repo", str(repo)]
            result = subprocess.run(command, capture_output=True, text=True, check=True)
            found[build, lang] = json.loads(result.stdout)
    return found


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` on a real HTTP server on 127.0.0.1 while the block runs: its address, without a slash."""
    httpd = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://{LOCAL_HOST}:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(fictional_site: Path, real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Both builds on one real HTTP server on 127.0.0.1: /fictional/<site>/… and /real/<site>/…"""
    root = tmp_path_factory.mktemp("served")
    (root / "fictional").symlink_to(fictional_site, target_is_directory=True)
    (root / "real").symlink_to(real_site, target_is_directory=True)
    with served(root) as url:
        yield url


# --- A visitor: one tab that records everything it asks for --------------------------------------


@dataclass
class Visitor:
    page: Page
    context: BrowserContext
    base: str
    axe_source: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"
        self.settle()

    def settle(self) -> None:
        self.page.wait_for_load_state("load")

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def assert_accessible(self) -> None:
        """axe-core on the page as it is now: no violation with impact serious or critical."""
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(content=self.axe_source)
        results = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
        )
        self.audited.append(self.path)
        bad = [v for v in results if v["impact"] in ("serious", "critical")]
        assert not bad, f"axe on {self.path}:\n" + "\n".join(
            f"  {v['impact']} {v['id']}: {v['help']} at {v['nodes'][:5]}" for v in bad
        )

    def privacy_problems(self) -> list[str]:
        """What this visit let out or left behind: foreign requests, cookies, storage, console errors."""
        problems = [f"request to another host: {url}" for url in self.requests if urlsplit(url).hostname != LOCAL_HOST]
        if cookies := self.context.cookies():
            problems.append(f"cookies: {cookies}")
        if not self.page.is_closed() and self.page.url.startswith(self.base):
            stored = self.page.evaluate(
                "[localStorage.length, sessionStorage.length, JSON.stringify(localStorage), JSON.stringify(sessionStorage)]"
            )
            if stored[0] or stored[1]:
                problems.append(f"web storage used: localStorage {stored[2]}, sessionStorage {stored[3]}")
        problems += [f"console error: {error}" for error in self.errors]
        return problems


@pytest.fixture
def visitor(browser: Browser, server: str, axe_source: str) -> Iterator[Visitor]:
    """A fresh tab; after the test: only 127.0.0.1 asked, no cookies, no web storage, no console errors."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(10_000)
    page = context.new_page()
    visit = Visitor(page, context, server, axe_source)

    def route(route: Route) -> None:
        if urlsplit(route.request.url).hostname == LOCAL_HOST:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def record(request: Request) -> None:
        visit.requests.append(request.url)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            visit.errors.append(f"{message.text} ({message.location.get('url', '')})")

    context.route("**/*", route)
    context.on("request", record)
    page.on("request", record)
    page.on("console", console)
    page.on("pageerror", lambda error: visit.errors.append(f"page error: {error}"))
    yield visit
    try:
        page.wait_for_load_state("networkidle")
        problems = visit.privacy_problems()
        assert visit.requests, "the visitor requested nothing: the request log is not working"
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector`: it is reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"{selector} is not reached by {limit} presses of Tab")
