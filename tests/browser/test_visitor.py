"""Issue 6: a visitor's walk through each Site in each language, in headless Chromium.

Every page opened here is also checked by axe-core, and the `visitor` fixture proves afterwards that
nothing but 127.0.0.1 was asked, no cookie or web storage was used and the console stayed clean.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from .conftest import ALL_CASES, FICTIONAL_CASES, Case

if TYPE_CHECKING:
    from .conftest import Visitor

Versions = dict[tuple[str, str], list[dict[str, str]]]

MULTILINGUAL = [case for case in ALL_CASES if len(case.languages) > 1]
# the fictional English history has 1.0 → 1.1 (in force) → 2.0 (upcoming); Dutch has 1.0 only
WITH_HISTORY = [case for case in FICTIONAL_CASES if case.lang == "en"]


def in_force(versions: Versions, case: Case) -> dict[str, str]:
    [current] = [v for v in versions[case.build, case.lang] if v["status"] == "in-force"]
    return current


def expect_version(visitor: Visitor, case: Case, version: dict[str, str]) -> None:
    """The page shows this Site, this version and its effective date."""
    page = visitor.page
    expect(page.locator("h1.policy-title")).to_have_text(version["title"])
    expect(page.locator("article .policy-site").first).to_have_text(case.name)
    facts = page.locator("article .policy-facts").first
    expect(facts.locator("dd").first).to_have_text(version["version"])
    expect(facts.locator(f'time[datetime="{version["effective"]}"]')).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", case.lang)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_a_visitor_reads_the_policy_its_history_an_older_version_and_a_clause(
    visitor: Visitor, case: Case, versions: Versions
) -> None:
    page = visitor.page
    current = in_force(versions, case)
    visitor.open(case.path("privacy/"))
    expect_version(visitor, case, current)
    expect(page.locator(".policy-text li.clause").first).to_be_visible()
    visitor.assert_accessible()

    visitor.open(case.path("privacy/history/"))
    rows = page.locator("table.policy-history tbody tr")
    expect(rows).to_have_count(len(versions[case.build, case.lang]))
    visitor.assert_accessible()

    oldest = versions[case.build, case.lang][0]
    page.locator("table.policy-history tbody th a", has_text=re.compile(rf"^{re.escape(oldest['version'])}$")).click()
    page.wait_for_url(f"**{case.path('privacy/' + oldest['version'] + '/')}")
    visitor.settle()
    expect_version(visitor, case, oldest)
    if oldest["status"] == "superseded":
        expect(page.locator(".policy-notice--superseded")).to_contain_text(current["version"])
    visitor.assert_accessible()

    # a link from elsewhere to one clause lands on that clause
    number = 12 if case.build == "real" else 2
    visitor.open(case.path(f"privacy/#clause-{number}"))
    clause = page.locator(f"#clause-{number}")
    expect(clause).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target')?.id") == f"clause-{number}"


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_the_upcoming_change_notice_leads_to_the_new_version(visitor: Visitor, case: Case, versions: Versions) -> None:
    page = visitor.page
    upcoming = [v for v in versions[case.build, case.lang] if v["status"] == "upcoming"]
    visitor.open(case.path("privacy/"))
    notices = page.locator("article .policy-notice--upcoming")
    expect(notices).to_have_count(len(upcoming))
    if case in WITH_HISTORY:
        assert [v["version"] for v in upcoming] == ["2.0"], "the fictional history has 2.0 upcoming"
    for version in upcoming:
        visitor.open(case.path("privacy/"))
        notices.get_by_role("link", name=f"Read version {version['version']}").click()
        page.wait_for_url(f"**{case.path('privacy/' + version['version'] + '/')}")
        visitor.settle()
        expect_version(visitor, case, version)
        expect(page.locator(".policy-notice--upcoming").first).to_contain_text("takes effect")
        visitor.assert_accessible()


@pytest.mark.parametrize("case", MULTILINGUAL, ids=lambda c: c.id)
def test_the_language_switch_arrives_at_the_same_policy_and_version(
    visitor: Visitor, case: Case, versions: Versions
) -> None:
    page = visitor.page
    other = next(lang for lang in case.languages if lang != case.lang)
    there = case._replace(lang=other)

    def switch() -> None:
        page.locator(".md-header .md-select").hover()
        page.locator(f'.md-header a.md-select__link[hreflang="{other}"]').click()
        visitor.settle()

    visitor.open(case.path("privacy/"))
    # the hreflang links stay in the page (hidden from mkdocs-material's sitemap lookups only while it loads)
    expect(page.locator("head link[rel=alternate][hreflang]")).to_have_count(len(case.languages))
    switch()
    assert visitor.path == there.path("privacy/")
    expect_version(visitor, there, in_force(versions, there))
    visitor.assert_accessible()

    # a permalink switches to the same version in the other language
    shared = [v["version"] for v in versions[case.build, case.lang]]
    version = next(v for v in versions[there.build, there.lang] if v["version"] in shared)
    visitor.open(case.path(f"privacy/{version['version']}/"))
    switch()
    assert visitor.path == there.path(f"privacy/{version['version']}/")
    expect_version(visitor, there, version)


def _word_of(text: str) -> str:
    """A distinctive word of a clause: its longest plain word."""
    return max(re.findall(r"[^\W\d_]{5,}", text), key=len)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_the_site_search_finds_a_clause_by_a_word_in_it(visitor: Visitor, case: Case) -> None:
    page = visitor.page
    number = 12 if case.build == "real" else 2
    visitor.open(case.path("privacy/"))
    clause_text = page.locator(f"#clause-{number}").inner_text()
    word = _word_of(clause_text)
    search = page.locator("input.md-search__input")
    search.click()
    expect(search).to_be_focused()
    search.press_sequentially(word)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    expect(page.locator(".md-search-result__list")).to_contain_text(word, ignore_case=True)
    visitor.assert_accessible()  # with the search dialog open
    hit = page.locator(".md-search-result__item", has_text=re.compile(re.escape(word), re.I)).first
    hit.locator("a").first.click()
    visitor.settle()
    assert visitor.path.startswith(case.path("privacy/"))
    expect(page.locator(".policy-text")).to_contain_text(clause_text)


@pytest.mark.parametrize("case", WITH_HISTORY, ids=lambda c: c.id)
def test_a_diff_from_the_history_with_its_unchanged_clauses_folded(visitor: Visitor, case: Case) -> None:
    page = visitor.page
    visitor.open(case.path("privacy/history/"))
    page.get_by_role("link", name="Changes from 1.0").click()
    page.wait_for_url(f"**{case.path('privacy/changes/1.0...1.1/')}")
    visitor.settle()
    expect(page.locator("article h1")).to_contain_text("1.0")
    inserted = page.locator(".redline ins")
    expect(inserted).to_contain_text("We delete records after one year.")
    # announced as inserted text by screen readers, not by colour alone
    expect(inserted.locator(".visually-hidden").first).to_have_text(re.compile(r"inserted", re.I))
    fold = page.locator("details.redline-fold").first
    expect(fold).not_to_have_attribute("open", "")
    unchanged = fold.locator(".redline-clause", has_text="We keep your records safe.")
    expect(unchanged).to_be_hidden()
    fold.locator("summary").click()
    expect(fold).to_have_attribute("open", "")
    expect(unchanged).to_be_visible()
    visitor.assert_accessible()
