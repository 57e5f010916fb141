"""Issue 16: real policies, as their companies wrote them, pass `check`, build, and give a clause-aligned
redline between two of their real versions.

The texts are in tests/fixtures/real/ with their licences (CC BY 4.0, CC BY-SA 4.0, CC0); each is given
our front matter (tests/realdocs.py) and committed as versions 1.0 and 1.1 of a fictional Site's policy.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import pytest

from .helpers import page_text
from .realdocs import DOCUMENTS, commit_history

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import PolicyRepo


def article(page: str) -> str:
    return page[page.index("<article") : page.index("</article>")]


def built(policy_repo: PolicyRepo, name: str, tmp_path: Path) -> Path:
    commit_history(policy_repo, name)
    result = policy_repo.smops("check")
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "ok: no problems", "")
    out = tmp_path / "site"
    policy_repo.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)
    return out / "acme" / "en" / "privacy"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def changes(redline: str) -> list[tuple[str, str]]:
    """Each unit the redline shows as changed, added, removed or moved: (op, text as read)."""
    body = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", redline)
    found = []
    for match in re.finditer(r'<div class="redline-clause redline-clause--(\w+)"[^>]*>(.*?)</div>', body, re.S):
        if match.group(1) != "equal":
            found.append((match.group(1), match.group(2)))
    return found


def marked(fragment: str) -> list[tuple[str, str]]:
    """The <ins> and <del> runs of a fragment, as read."""
    return [(m.group(1), page_text(m.group(2))) for m in re.finditer(r"<(ins|del)>(.*?)</\1>", fragment, re.S)]


def ids(page: str) -> set[str]:
    return set(re.findall(r' id="([^"]+)"', page))


def test_the_fixtures_keep_their_licence_and_attribution() -> None:
    from .realdocs import REAL

    for name, (_title, versions) in DOCUMENTS.items():
        attribution = read(REAL / name / "ATTRIBUTION.md")
        assert (REAL / name / "LICENSE").stat().st_size > 1000
        for fixture, *_ in versions:
            assert f"| {fixture}.md | {fixture}" in attribution


def test_basecamp_privacy_policy_builds_with_its_section_tree_and_a_clause_aligned_redline(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    pages = built(policy_repo, "basecamp-privacy", tmp_path)
    page = article(read(pages / "1.1" / "index.html"))
    assert page.count("<h1") == 1  # its '# Privacy policy' is the page title, shown once
    assert '<h2 id="section-what-we-collect-and-why">' in page
    assert '<h3 id="section-billing-information">' in page
    # its own table of contents links to its headings by their usual slugs: those links now arrive
    assert 'href="#section-data-retention"' in page and 'id="section-data-retention"' in page
    assert len(re.findall(r' id="passage-[0-9a-f]{8}"', page)) == 71  # every unit of 1.1 has its anchor

    redline = article(read(pages / "changes" / "1.0...1.1" / "index.html"))
    found = changes(redline)
    last_updated = next(body for op, body in found if "Last updated" in body)
    assert marked(last_updated) == [("del", "January 6,"), ("ins", "April 20,")]
    # an unchanged passage is shown, if at all, without a mark
    unchanged = "If you sign up for a paid 37signals product, you will be asked to provide your payment information"
    assert not any(unchanged in page_text(body) for _, body in found)
    assert unchanged in page_text(redline)
    # a word changed in a passage that stayed: only that word is marked
    ads = next(body for op, body in found if "one-way hash of your email address" in body)
    assert marked(ads) == [("del", "share"), ("ins", "disclose")]
    # every link of the redline to a passage arrives at that passage on its version's page
    old_ids, new_ids = ids(read(pages / "1.0" / "index.html")), ids(read(pages / "1.1" / "index.html"))
    links = re.findall(r'href="\.\./\.\./(1\.[01])/#([^"]+)"', redline)
    assert len(links) > 30
    for version, anchor in links:
        assert anchor in (old_ids if version == "1.0" else new_ids), (version, anchor)


def test_automattic_privacy_policy_with_a_setext_title_and_four_heading_levels(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    pages = built(policy_repo, "automattic-privacy", tmp_path)
    page = article(read(pages / "1.1" / "index.html"))
    assert page.count("<h1") == 1
    assert 'id="section-privacy-policy"' not in page  # the setext 'Privacy Policy' is the title
    assert '<h3 id="section-information-we-collect">' in page
    assert '<h4 id="section-information-you-provide-to-us">' in page

    redline = article(read(pages / "changes" / "1.0...1.1" / "index.html"))
    found = changes(redline)
    assert len(found) == 5
    assert all(op == "changed" for op, _ in found)
    job = next(body for _, body in found if "Job applicant information" in body)
    assert marked(job) == [
        (
            "ins",
            "As part of the application process, we may also collect technical indicators such as VPN usage and IP "
            "addresses to support the integrity and security of our hiring practices.",
        )
    ]
    woo = next(body for _, body in found if "Woo services includes" in body)
    assert marked(woo) == [("del", "Woo"), ("ins", "WooCommerce"), ("del", "Woo"), ("ins", "WooCommerce")]


def test_github_terms_with_lettered_sections_numbered_subsections_and_definitions(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    pages = built(policy_repo, "github-terms", tmp_path)
    page = article(read(pages / "1.1" / "index.html"))
    # the numbered definitions are cited by their section; the prose around them by its passages
    assert '<li id="section-a-definitions-clause-8" value="8" class="clause">' in page
    assert '<h3 id="section-8-access-reciprocity">' in page
    assert 'href="#section-k-payment"' in page  # its "[paid Account](#k-payment)" arrives
    assert '<table id="passage-' in page  # the summary table is a unit

    redline = article(read(pages / "changes" / "1.0...1.1" / "index.html"))
    assert re.search(r'<h3 class="redline-heading"><ins>.*?8\. Access Reciprocity</ins></h3>', redline)
    found = changes(redline)
    assert [op for op, _ in found] == ["inserted", "inserted", "changed"]
    governing = found[2][1]
    assert marked(governing) == [
        (
            "ins",
            "However, any claim for injunctive relief with respect to a violation of section D.8 may be brought "
            "in any jurisdiction.",
        )
    ]
    assert "Except to the extent applicable law provides otherwise" in page_text(governing)
    # every anchor of 1.0 is still there in 1.1 but the one passage rewritten: edits elsewhere move none
    old_ids = ids(article(read(pages / "1.0" / "index.html")))
    new_ids = ids(page)
    (gone,) = old_ids - new_ids
    assert re.search(rf'<p id="{gone}">Except to the extent', article(read(pages / "1.0" / "index.html")))
    added = new_ids - old_ids  # the new heading, its two passages, the rewritten passage
    assert len(added) == 4 and "section-8-access-reciprocity" in added
    summary = page_text(redline[redline.index('<section class="redline-summary"') :])
    assert summary.startswith("Clauses: 1 changed 2 added 0 removed 0 moved")


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_terminal_diff_of_a_real_document_names_each_change_once(policy_repo: PolicyRepo, name: str) -> None:
    commit_history(policy_repo, name)
    text = policy_repo.smops("diff", "privacy", "1.0", "1.1", check=True).stdout
    first = text.splitlines()[0]
    expected = {
        "basecamp-privacy": "17 changed, 17 inserted, 1 deleted, 0 moved",
        "automattic-privacy": "5 changed, 0 inserted, 0 deleted, 0 moved",
        "github-terms": "1 changed, 2 inserted, 0 deleted, 0 moved",
    }
    assert first == expected[name]
    assert html.unescape(text) == text  # plain text, not HTML
