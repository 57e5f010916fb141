"""Issue 6: every control works by keyboard; axe-core finds nothing serious; the privacy guard itself works."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from .conftest import tab_to

if TYPE_CHECKING:
    from .conftest import Visitor


def test_the_version_selector_works_by_keyboard(visitor: Visitor) -> None:
    page = visitor.page
    visitor.open("/fictional/alpha/en/privacy/")
    selector = page.locator("details.policy-versions")
    tab_to(page, "details.policy-versions > summary")
    expect(selector).not_to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(selector).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(selector).not_to_have_attribute("open", "")
    page.keyboard.press("Space")
    tab_to(page, 'details.policy-versions a[href="1.0/"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/fictional/alpha/en/privacy/1.0/")
    visitor.settle()
    expect(page.locator("article .policy-facts dd").first).to_have_text("1.0")


def test_the_language_switch_works_by_keyboard(visitor: Visitor) -> None:
    page = visitor.page
    visitor.open("/fictional/alpha/en/privacy/1.0/")
    tab_to(page, ".md-header .md-select > button")
    tab_to(page, '.md-header a.md-select__link[hreflang="nl"]', limit=3)
    expect(page.locator('.md-header a.md-select__link[hreflang="nl"]')).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/fictional/alpha/nl/privacy/1.0/")
    visitor.settle()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("h1.policy-title")).to_have_text("Voorbeeldbeleid")


def test_the_diff_expanders_work_by_keyboard(visitor: Visitor) -> None:
    page = visitor.page
    visitor.open("/fictional/alpha/en/privacy/changes/1.0...1.1/")
    fold = page.locator("details.redline-fold").first
    tab_to(page, "details.redline-fold > summary")
    page.keyboard.press("Space")
    expect(fold).to_have_attribute("open", "")
    expect(fold.locator(".redline-clause").last).to_be_visible()
    page.keyboard.press("Enter")
    expect(fold).not_to_have_attribute("open", "")


@pytest.mark.parametrize(
    "path",
    [
        "/real/smops-soft/",
        "/real/smops-soft/en/",
        "/real/calcitnow/nl/",
        "/fictional/alpha/en/privacy/changes/1.1...2.0/",
        "/fictional/alpha/nl/privacy/history/",
        "/fictional/beta/en/privacy/2.0/",
    ],
)
def test_the_other_pages_have_no_serious_accessibility_problems(visitor: Visitor, path: str) -> None:
    visitor.open(path)
    visitor.assert_accessible()


def test_the_guard_catches_a_request_to_another_host(visitor: Visitor) -> None:
    """The proof is only as good as its guard: a page's request elsewhere is blocked, logged and reported."""
    visitor.open("/fictional/alpha/en/privacy/")
    outcome = visitor.page.evaluate(
        "() => fetch('https://tracker.example/pixel.gif', {mode: 'no-cors'}).then(() => 'sent', () => 'blocked')"
    )
    assert outcome == "blocked"
    visitor.page.wait_for_function("() => true")  # let the console message of the blocked request arrive
    for _ in range(20):
        if visitor.errors:
            break
        visitor.page.wait_for_timeout(100)
    visitor.page.evaluate("localStorage.setItem('probe', '1')")
    problems = visitor.privacy_problems()
    assert any("tracker.example" in p for p in problems), problems
    assert any("web storage" in p for p in problems), problems
    assert any("console error" in p for p in problems), problems
    # leave the tab clean, so that the fixture's own check passes
    visitor.page.evaluate("localStorage.clear()")
    visitor.requests[:] = [url for url in visitor.requests if "tracker.example" not in url]
    visitor.errors.clear()
