"""Issue 18 in the browser: a corrected Dutch translation, as a visitor reads it. The notice's links
work by keyboard, each wording and the redline of each correction have no serious axe finding, and
(the `visitor` fixture's own check) nothing leaves 127.0.0.1."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from ..conftest import PolicyRepo
from ..test_translation_revisions import AS_OF, FIRST, SECOND, _history
from .conftest import served, tab_to

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .conftest import Visitor


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This module's own build (a translation corrected twice) at /fictional/, in place of the shared one."""
    repo = PolicyRepo(tmp_path_factory.mktemp("corrected") / "repo")
    _history(repo)
    root = tmp_path_factory.mktemp("served-corrected")
    repo.smops("build", "--as-of", AS_OF, "--output", str(root / "fictional"), check=True)
    repo.repo.close()
    with served(root) as url:
        yield url


def test_a_reader_goes_from_the_corrected_text_to_the_earlier_wording_and_the_redline_by_keyboard(
    visitor: Visitor,
) -> None:
    page = visitor.page
    visitor.open("/fictional/alpha/nl/privacy/1.0/")
    notice = page.locator("aside.policy-notice--corrected")
    expect(notice).to_contain_text(SECOND)
    expect(notice).to_contain_text(FIRST)
    visitor.assert_accessible()
    tab_to(page, 'aside.policy-notice--corrected li:first-child a[href="revisions/1/"]')  # the newest correction's
    page.keyboard.press("Enter")
    page.wait_for_url("**/fictional/alpha/nl/privacy/1.0/revisions/1/")
    visitor.settle()
    expect(page.locator("article .policy-text")).to_contain_text("Wij houden deze tekst kort.")
    expect(page.locator("article .policy-proof")).to_contain_text("SHA-256")
    visitor.assert_accessible()
    visitor.open("/fictional/alpha/nl/privacy/1.0/revisions/2/changes/")
    expect(page.locator("article .redline del").first).to_contain_text("kort")
    expect(page.locator("article .redline ins").first).to_contain_text("beknopt")
    visitor.assert_accessible()
    visitor.open("/fictional/alpha/nl/changelog/")
    expect(page.locator("li.policy-change--corrected")).to_have_count(2)
    visitor.assert_accessible()
