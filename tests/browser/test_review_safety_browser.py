"""Issue 12, reviewed: the "as of a date" page's script shows a title exactly as written in Chromium.

Its sentence is a translation with `{title}` and `{version}` in it; filled with String.replace and a
string, a `$&` or `$'` in a title was read as a replacement pattern, and a `{version}` in a title was
filled in too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from ..conftest import SITES_YML, PolicyRepo, policy_text
from .conftest import AS_OF, VIEWPORT, served

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

TITLE = "Terms $& Conditions $' {version} $$"


@pytest.fixture(scope="module")
def as_of_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    repo = PolicyRepo(tmp_path_factory.mktemp("review-as-of") / "repo")
    repo.write("policies/sites.yml", SITES_YML)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", ["One.", "Two."], title=f'"{TITLE}"'))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", ["Een.", "Twee."]))
    repo.commit("a title with dollars", "2019-12-01T10:00:00+01:00")
    out: Path = repo.path.parent / "site"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    repo.repo.close()
    with served(out) as url:
        yield url + "/alpha/en/as-of/"


def test_the_as_of_script_shows_a_title_with_dollars_and_braces_as_written(as_of_page: str, browser: Browser) -> None:
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(as_of_page)
        page.locator("#policy-as-of button[type=submit]").click()
        expect(page.locator("#policy-as-of-result a")).to_have_text(f"{TITLE}, version 1.0")
    finally:
        context.close()
