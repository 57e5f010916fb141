"""Issue 16 in the browser: a redline between two real, imported versions of Basecamp's privacy policy
(tests/fixtures/basecamp/, imported through the CLI), as a visitor reads it: headings renamed show
what was struck and what was inserted, axe finds nothing serious, and (the `visitor` fixture's own
check) nothing leaves 127.0.0.1 although the text links to other sites."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from ..basecamp_history import import_basecamp, make_source, policy_repo_for_import
from .conftest import served

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .conftest import Visitor

AS_OF = "2026-11-25"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This module's own build (Basecamp's history, imported) at /basecamp-import/."""
    work = tmp_path_factory.mktemp("basecamp-import")
    make_source(work / "source")
    repo = policy_repo_for_import(work / "repo")
    result = import_basecamp(repo, work / "source")
    assert result.returncode == 0, result.stderr
    root = tmp_path_factory.mktemp("served-basecamp")
    repo.smops("build", "--as-of", AS_OF, "--output", str(root / "basecamp-import"), check=True)
    repo.repo.close()
    with served(root) as url:
        yield url


def test_a_reader_sees_the_renamed_headings_of_basecamps_policy_struck_and_inserted(visitor: Visitor) -> None:
    page = visitor.page
    visitor.open("/basecamp-import/basecamp/en/privacy/changes/1.9...1.10/")
    redline = page.locator("article .redline")
    expect(redline).to_contain_text("Identity")
    expect(redline).to_contain_text("Changes")
    expect(redline.locator("del", has_text="&").first).to_be_visible()
    expect(redline.locator("ins", has_text="and").first).to_be_visible()
    expect(redline.locator("ins", has_text="disclose").first).to_be_visible()  # "share" became "disclose"
    visitor.assert_accessible()
