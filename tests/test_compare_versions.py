"""The history page's "Compare two versions": a plain list of links (no script) to exactly the
redlines the Site publishes, each of which exists as a page."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import SITES_YML, PolicyRepo, policy_text

AS_OF = "2026-11-25"
CLAUSES = ["We record the colour of every fictional teapot.", "We answer letters sent by carrier pigeon."]


def _section(page: str) -> str:
    found = re.search(r'<section class="policy-compare">.*?</section>', page, re.DOTALL)
    assert found, "the history page has no comparison list"
    return found.group(0)


def test_the_history_page_links_exactly_the_comparisons_that_exist(policy_repo: PolicyRepo) -> None:
    """1.0, 1.1, 1.2 (in force) and 2.0 (upcoming): each with the one before, each with 1.2."""
    policy_repo.write("policies/sites.yml", SITES_YML.replace("languages: [en, nl]", "languages: [en]"))
    for number, effective, word, when in [
        ("1.0", "2020-01-01", "pigeon", "2019-12-01"),
        ("1.1", "2022-01-01", "owl", "2021-12-01"),
        ("1.2", "2024-01-01", "bat", "2023-12-01"),
        ("2.0", "2031-01-01", "crow", "2026-11-01"),
    ]:
        clauses = [CLAUSES[0], CLAUSES[1].replace("pigeon", word)]
        policy_repo.write("policies/privacy/en.md", policy_text(number, effective, clauses))
        policy_repo.commit(number, f"{when}T10:00:00+01:00")
    out = policy_repo.path / "out"
    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    history = out / "beta/en/privacy/history"
    section = _section((history / "index.html").read_text(encoding="utf-8"))
    assert "<script" not in section
    links = re.findall(r'<a href="([^"]+)">', section)
    linked = {link.removeprefix("../changes/").rstrip("/") for link in links}
    assert linked == {"1.0...1.1", "1.1...1.2", "1.2...2.0", "1.0...1.2"}
    published = {p.name for p in (out / "beta/en/privacy/changes").iterdir()}
    assert linked == published  # every pair offered exists, and every redline is offered
    for link in links:
        assert ((history / link).resolve() / "index.html").is_file(), link
    assert "Version 1.0 → 1.2" in section


def test_the_list_reads_in_dutch_on_a_dutch_page(three_versions: PolicyRepo) -> None:
    nl = ["Wij bewaren uw gegevens veilig.", "Wij beantwoorden vragen via {{ site.support_url }}."]
    nl += ["Wij wissen gegevens na een jaar.", "Wij houden deze tekst kort."]
    text = policy_text(
        "1.1", "2023-03-01", nl, title="Voorbeeldbeleid", summary="Bewaartermijn.", sections={2: "Contact"}
    )
    three_versions.write("policies/privacy/nl.md", text)
    three_versions.commit("Dutch 1.1", "2026-11-02T10:00:00+01:00")
    out = three_versions.path / "out"
    three_versions.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    section = _section((out / "alpha/nl/privacy/history/index.html").read_text(encoding="utf-8"))
    assert "Twee versies vergelijken" in section
    assert "Versie 1.0 → 1.1" in section
    assert Path(out / "alpha/nl/privacy/changes/1.0...1.1/index.html").is_file()
