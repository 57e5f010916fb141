"""Issue 17: the review of a pull request, rendered from its Markdown as GitHub renders a job summary
(CommonMark with tables, strikethrough and raw HTML), read in Chromium the way a reviewer reads it.

The screenshot in the README (docs/screenshots/review.png) comes from this test: written when missing,
or again with SMOPS_UPDATE_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

from ..test_review import feature_branch, gfm
from .conftest import ARTIFACTS, CHROMIUM_ARGS, ROOT, VIEWPORT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

    from ..conftest import PolicyRepo

# Near enough to GitHub's own look for a readable picture; the markup is what GitHub gets.
STYLE = """
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328;
       max-width: 980px; margin: 24px auto; padding: 0 16px; }
h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
table { border-collapse: collapse; margin: 0 0 16px; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; text-align: left; }
tr:nth-child(2n) { background: #f6f8fa; }
code { background: #eff1f3; border-radius: 6px; padding: .2em .4em; font-size: 85%; }
blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
details { margin-bottom: 16px; } summary { cursor: pointer; font-weight: 600; }
"""
DOCS = ROOT / "docs" / "screenshots"


def test_a_reviewer_reads_each_sites_changes_dates_and_notice(browser: Browser, policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo, notice_days=30, material=True)
    review = policy_repo.smops("review", "--base", "main", check=True)
    html = f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Job summary</title><style>{STYLE}</style></head><body>{gfm(review.stdout)}</body></html>'

    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    asked: list[str] = []

    def refuse(route: Route) -> None:  # the summary is one page: nothing else may be fetched
        asked.append(route.request.url)
        route.abort("blockedbyclient")

    context.route("**/*", refuse)
    page = context.new_page()
    page.set_content(html)
    assert "--no-sandbox" in CHROMIUM_ARGS  # the same Chromium, started as the other browser tests start it

    sections = page.locator("details")
    assert sections.count() == 3
    # The first Site of each policy and language is open; the others are a click away.
    assert [sections.nth(i).evaluate("d => d.open") for i in range(3)] == [True, False, True]
    assert not sections.nth(1).locator("ins").is_visible()
    sections.nth(1).locator("summary").click()
    assert sections.nth(1).locator("ins").is_visible()
    seen = []
    for index in range(sections.count()):
        section = sections.nth(index)
        seen.append(
            (
                section.locator("summary").inner_text(),
                section.locator("del").all_inner_texts(),
                section.locator("ins").all_inner_texts(),
                section.locator("blockquote").inner_text(),
            )
        )
    assert seen == [
        (
            "Alpha Example (alpha), en: 1 changed, 0 inserted, 0 deleted, 0 moved",
            ["[- 30 -]"],
            ["[+ 60 +]"],
            "We keep records for [- 30 -] [+ 60 +] days.",
        ),
        (
            "Beta Example (beta), en: 1 changed, 0 inserted, 0 deleted, 0 moved",
            ["[- 30 -]"],
            ["[+ 60 +]"],
            "We keep records for [- 30 -] [+ 60 +] days.",
        ),
        (
            "Alpha Example (alpha), nl: 1 changed, 0 inserted, 0 deleted, 0 moved",
            ["[- 30 -]"],
            ["[+ 60 +]"],
            "Wij bewaren [- 30 -] [+ 60 +] dagen.",
        ),
    ]
    # Without colour: the browser strikes deletions through and underlines insertions.
    assert page.locator("del").first.evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
    assert page.locator("ins").first.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"

    header = page.locator("table tr").first.locator("th").all_inner_texts()
    english = page.locator("table tr").nth(1).locator("td").all_inner_texts()
    assert dict(zip(header, english, strict=True)) == {
        "Policy": "Sample Policy (privacy)",
        "Language": "en",
        "Version": "1.0 → 1.1",
        "Effective": "2031-01-01",
        "Status today": "upcoming",
        "Notice": "material change: 42 days' notice from 2030-11-20 (sites.yml asks for 30): enough",
    }
    assert page.get_by_text("Check: passed").is_visible()
    assert asked == []

    shot = ARTIFACTS / "screenshots" / "review.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True, animations="disabled", caret="hide")
    assert shot.stat().st_size > 10_000, f"{shot} looks empty"
    context.close()
    committed = DOCS / shot.name
    if os.environ.get("SMOPS_UPDATE_SCREENSHOTS") == "1" or not committed.exists():
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, committed)
