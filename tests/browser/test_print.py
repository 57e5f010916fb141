"""Issue 6: printing a policy page (Chromium's print to PDF) gives the whole text, and nothing else."""

from __future__ import annotations

import re
import subprocess
from typing import TYPE_CHECKING

from ..test_foundation import seed_passages
from .conftest import ARTIFACTS

if TYPE_CHECKING:
    from .conftest import Visitor

CHROME = ["Search", "Skip to content", "Select language", "English", "Nederlands", "Other versions", "Version history"]


def squash(text: str) -> str:
    return " ".join(text.split())


def print_to_text(visitor: Visitor, name: str, pdftotext: str) -> str:
    pdf = ARTIFACTS / "print" / f"{name}.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    visitor.page.pdf(path=str(pdf), format="A4")
    # -layout keeps each line as printed: without it pdftotext drops the hyphen of "SMOps-Soft.com" at a line end
    command = [pdftotext, "-layout", "-enc", "UTF-8", str(pdf), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    pdf.with_suffix(".txt").write_text(result.stdout, encoding="utf-8")
    return squash(re.sub(r"-[ \t]*\n\s*", "-", result.stdout.replace("\f", "\n")))


def test_a_printed_policy_holds_the_whole_text_with_site_version_and_date_and_no_chrome(
    visitor: Visitor, pdftotext: str
) -> None:
    visitor.open("/real/smops-soft/en/privacy/")
    text = print_to_text(visitor, "smops-soft-en-privacy", pdftotext)
    passages = seed_passages()
    assert len(passages) == 25
    missing = [f"clause {n}: {p[:60]}…" for n, parts in passages.items() for p in parts if p not in text]
    assert not missing, "not in the printed text:\n" + "\n".join(missing)
    assert text.startswith("Privacy Policy SMOps-Soft.com"), text[:200]
    assert re.search(r"Version:? 1\.0 Effective date:? 13 December 2016", text), text[:300]
    for chrome in CHROME:
        assert chrome not in text, f"{chrome!r} printed"


def test_a_printed_diff_tells_insertions_and_deletions_apart_without_colour(visitor: Visitor, pdftotext: str) -> None:
    visitor.open("/fictional/alpha/en/privacy/changes/1.0...1.1/")
    text = print_to_text(visitor, "alpha-en-privacy-changes", pdftotext)
    # underline and strike-through carry it on paper; the words say it too, as screen readers hear it
    assert "[inserted:] We delete records after one year. [end of insertion]" in text
    for chrome in CHROME:
        assert chrome not in text, f"{chrome!r} printed"
