"""Issue 6: what visitors see, as screenshots: saved as test artifacts, and the README's copies on request.

`SMOPS_UPDATE_SCREENSHOTS=1 pytest tests/browser -k screenshot` also writes docs/screenshots/, which the
README shows; otherwise those are written only when missing, so a test run leaves the tree as it was.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

import pytest

from .conftest import ARTIFACTS, ROOT

if TYPE_CHECKING:
    from .conftest import Visitor

DOCS = ROOT / "docs" / "screenshots"
SCREENSHOTS = {
    "current": "/real/smops-soft/en/privacy/",
    "history": "/fictional/alpha/en/privacy/history/",
    "diff": "/fictional/alpha/en/privacy/changes/1.0...1.1/",
    "dutch": "/real/smops-soft/nl/privacy/",
}


@pytest.mark.parametrize("name", SCREENSHOTS)
def test_screenshot(visitor: Visitor, name: str) -> None:
    visitor.open(SCREENSHOTS[name])
    if name == "diff":
        visitor.page.locator("details.redline-fold").first.evaluate("fold => { fold.open = true }")
    shot = ARTIFACTS / "screenshots" / f"{name}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    visitor.page.screenshot(path=str(shot), full_page=name == "diff", animations="disabled", caret="hide")
    assert shot.stat().st_size > 10_000, f"{shot} looks empty"
    committed = DOCS / shot.name
    if os.environ.get("SMOPS_UPDATE_SCREENSHOTS") == "1" or not committed.exists():
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, committed)
