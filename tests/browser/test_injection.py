"""Script-injection payloads in every value the content controls, read in Chromium: none of them runs,
each shows as the text it is.

The Site's name, a policy's title and summary, Site values placed in the body, in the title and in a
link target all carry payloads. A Site address cannot: sites.yml refuses one with a quote or a '<'
(tests/test_escaping.py), so the Site here has an address with every character a Site address may
hold. The build runs without `check`, which would refuse the link target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from ..conftest import PolicyRepo
from .conftest import AS_OF, LOCAL_HOST, VIEWPORT, served

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Dialog, Page

NAME = 'Alpha "><script>alert("name")</script><img src=x onerror=window.__pwned="name">'
TITLE = 'Terms & "Conditions" <2026><script>window.__pwned="title"</script>'
SUMMARY = '"><img src=x onerror=window.__pwned="summary"> & <b>bold</b>'
TAGLINE = '<img src=x onerror=alert("tagline")>"><script>window.__pwned="tagline"</script>'
EVIL_LINK = 'javascript:window.__pwned="link"'
SITE_URL = "https://alpha.example/legal;v=(1)!$*+,:@~/"
SITES_YML = f"""\
timezone: Europe/Amsterdam
source_language: en
sites:
  alpha:
    name: '{NAME}'
    url: {SITE_URL}
    support_url: https://alpha.example/help?a=1&b=2
    tagline: '{TAGLINE}'
    handle: '{EVIL_LINK}'
    languages: [en]
    policies: [privacy]
"""
POLICY = f"""\
---
title: '{TITLE} {{{{ site.tagline }}}}'
version: "1.0"
effective: 2020-01-01
summary: '{SUMMARY}'
---

Fictional Example Ltd, {{{{ site.tagline }}}}

## Contact & **{{{{ site.tagline }}}}**

1. We answer questions at {{{{ site.support_url }}}} and [our help page]({{{{ site.support_url }}}}).
2. You may [click here]({{{{ site.handle }}}}) for nothing at all.
"""
FULL_TITLE = f"{TITLE} {TAGLINE}"


@pytest.fixture(scope="module")
def injection_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hostile Site, built (check skipped) and served on 127.0.0.1."""
    repo = PolicyRepo(tmp_path_factory.mktemp("injection") / "repo")
    repo.write("policies/sites.yml", SITES_YML)
    repo.write("policies/privacy/en.md", POLICY)
    repo.commit("hostile values", "2019-12-01T10:00:00+01:00")
    out: Path = repo.path.parent / "site"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    repo.repo.close()
    with served(out) as url:
        yield url + "/alpha/en/"


@pytest.fixture
def tab(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A tab that may ask 127.0.0.1 only, and records every dialog a script opens (and dismisses it)."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(10_000)
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).hostname == LOCAL_HOST else route.abort("blockedbyclient")
        ),
    )
    page = context.new_page()
    dialogs: list[str] = []

    def dialog(opened: Dialog) -> None:
        dialogs.append(opened.message)
        opened.dismiss()

    page.on("dialog", dialog)
    yield page, dialogs
    context.close()


def assert_nothing_ran(page: Page, dialogs: list[str]) -> None:
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)  # an onerror handler fires after the image request fails
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []


@pytest.mark.parametrize("path", ["privacy/", "privacy/1.0/", "privacy/history/", "changelog/", "as-of/", ""])
def test_no_payload_runs_and_each_shows_as_typed(injection_base: str, tab: tuple[Page, list[str]], path: str) -> None:
    page, dialogs = tab
    page.goto(injection_base + path)
    assert_nothing_ran(page, dialogs)
    expect(page.locator(".md-header__topic").first).to_contain_text(NAME)  # the header's Site name
    assert NAME in page.title()
    if path in ("privacy/", "privacy/1.0/"):
        assert page.title().startswith(FULL_TITLE)
        expect(page.locator("h1.policy-title")).to_have_text(FULL_TITLE)
        expect(page.locator("article .policy-site").first).to_have_text(NAME)
        expect(page.locator(".policy-summary")).to_have_text(f"What changed: {SUMMARY}")
        expect(page.locator(".policy-text h2")).to_have_text(f"Contact & {TAGLINE}")
        toc = page.locator('.md-nav--secondary a[href="#section-contact-tagline"]').first
        expect(toc).to_have_text(f"Contact & {TAGLINE}", use_inner_text=True)
        content = page.locator('meta[name="description"]').get_attribute("content")
        assert content == SUMMARY
        expect(page.locator(".policy-text")).to_contain_text(f"Fictional Example Ltd, {TAGLINE}")
        expect(page.locator(".policy-text a", has_text="our help page")).to_have_attribute(
            "href", "https://alpha.example/help?a=1&b=2"
        )
        dead = page.locator(".policy-text a", has_text="click here")
        assert dead.get_attribute("href") is None
        dead.click()
        assert_nothing_ran(page, dialogs)
        canonical = page.locator('link[rel="canonical"]').get_attribute("href")
        assert canonical == f"{SITE_URL}en/{path}"
    if path == "as-of/":  # the local script writes versions.json's titles into the page
        page.locator("#policy-as-of button[type=submit]").click()
        expect(page.locator("#policy-as-of-result")).to_contain_text(FULL_TITLE)
        assert_nothing_ran(page, dialogs)


def test_the_search_shows_a_hostile_title_as_text(injection_base: str, tab: tuple[Page, list[str]]) -> None:
    page, dialogs = tab
    page.goto(injection_base + "privacy/")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("questions")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    expect(page.locator(".md-search-result__list")).to_contain_text('Terms & "Conditions" <2026>')
    assert_nothing_ran(page, dialogs)
