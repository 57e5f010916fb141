"""Issue 3: clause-aware redlines between versions, from real git histories, as JSON and as pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import PolicyRepo, policy_text
from .helpers import page_text

FICTIONAL = [
    "We record the colour of every fictional teapot.",
    "We share teapot colours with the imaginary guild.",
    "We keep teapot records for seven moons.",
    "We answer letters sent by carrier pigeon.",
    "We never sell a teapot to a dragon.",
    "We publish changes on the notice board.",
]


def history(repo: PolicyRepo, old: str, new: str, *, old_nl: str | None = None) -> None:
    """Commit version 1.0 (`old`) and 1.1 (`new`) of en.md (and nl.md = 1.0)."""
    repo.write("policies/privacy/en.md", old)
    repo.write("policies/privacy/nl.md", old_nl or old.replace("Sample Policy", "Voorbeeldbeleid"))
    repo.commit("1.0", "2024-01-01T10:00:00+01:00")
    repo.write("policies/privacy/en.md", new)
    repo.commit("1.1", "2024-06-01T10:00:00+01:00")


def diff_json(repo: PolicyRepo, *extra: str) -> dict[str, Any]:
    result = repo.smops("diff", "privacy", "1.0", "1.1", "--format", "json", *extra, check=True)
    return dict(json.loads(result.stdout))


def ops(data: dict[str, Any]) -> list[tuple[str, int | None, int | None]]:
    return [(c["op"], c["old_number"], c["new_number"]) for c in data["clauses"] if c["old_number"] or c["new_number"]]


def words(clause: dict[str, Any]) -> list[tuple[str, str]]:
    changes = clause.get("changes") or [c for block in clause.get("blocks", []) for c in block["changes"]]
    return [(c["op"], c["text"]) for c in changes if c["op"] != "equal"]


def v(number: str, effective: str, clauses: list[str], sections: dict[int, str] | None = None) -> str:
    return policy_text(number, effective, clauses, sections=sections or {1: "Records", 4: "Letters"})


def test_a_clause_inserted_in_the_middle_is_one_insertion_and_a_renumbering(policy_repo: PolicyRepo) -> None:
    new = [*FICTIONAL[:3], "We paint every teapot blue on Tuesdays.", *FICTIONAL[3:]]
    history(policy_repo, v("1.0", "2024-01-01", FICTIONAL), v("1.1", "2024-07-01", new, {1: "Records", 5: "Letters"}))
    data = diff_json(policy_repo)
    assert data["summary"] == {"changed": 0, "inserted": 1, "deleted": 0, "moved": 0}
    assert data["renumbered"] == 3
    assert ops(data) == [
        ("equal", 1, 1),
        ("equal", 2, 2),
        ("equal", 3, 3),
        ("inserted", None, 4),
        ("equal", 4, 5),
        ("equal", 5, 6),
        ("equal", 6, 7),
    ]


def test_a_deleted_clause(policy_repo: PolicyRepo) -> None:
    new = [c for c in FICTIONAL if "dragon" not in c]
    history(policy_repo, v("1.0", "2024-01-01", FICTIONAL), v("1.1", "2024-07-01", new))
    data = diff_json(policy_repo)
    assert data["summary"] == {"changed": 0, "inserted": 0, "deleted": 1, "moved": 0}
    assert ("deleted", 5, None) in ops(data)


def test_a_clause_moved_across_sections_shows_as_moved_with_its_own_word_changes(policy_repo: PolicyRepo) -> None:
    moved = FICTIONAL[1].replace("imaginary", "invisible")
    new = [FICTIONAL[0], FICTIONAL[2], FICTIONAL[3], FICTIONAL[4], moved, FICTIONAL[5]]
    history(policy_repo, v("1.0", "2024-01-01", FICTIONAL), v("1.1", "2024-07-01", new, {1: "Records", 3: "Letters"}))
    data = diff_json(policy_repo)
    assert data["summary"]["moved"] == 1 and data["summary"]["changed"] == 0
    [clause] = [c for c in data["clauses"] if c["op"] == "moved"]
    assert (clause["old_number"], clause["new_number"]) == (2, 5)
    assert words(clause) == [("delete", "imaginary"), ("insert", "invisible")]


def test_split_and_merged_clauses(policy_repo: PolicyRepo) -> None:
    split = [
        "We record the colour of every fictional teapot.",
        "We also record its handle and its spout in a ledger of teapots.",
    ]
    new = [*split, FICTIONAL[1], FICTIONAL[2] + " " + FICTIONAL[3], FICTIONAL[4], FICTIONAL[5]]
    old = [FICTIONAL[0] + " We also record its handle and its spout in a ledger of teapots.", *FICTIONAL[1:]]
    history(policy_repo, v("1.0", "2024-01-01", old), v("1.1", "2024-07-01", new, {1: "Records", 4: "Letters"}))
    data = diff_json(policy_repo)
    kinds = {(c["op"], c["old_number"], c["new_number"]) for c in data["clauses"]}
    assert ("changed", 1, 1) in kinds or ("changed", 1, 2) in kinds
    inserted = [c for c in data["clauses"] if c["op"] == "inserted"]
    assert len(inserted) == 1 and inserted[0].get("split_from") == 1
    deleted = [c for c in data["clauses"] if c["op"] == "deleted"]
    assert len(deleted) == 1 and deleted[0].get("merged_into") == 4


def test_a_renamed_heading_shows_as_changed(policy_repo: PolicyRepo) -> None:
    history(
        policy_repo,
        v("1.0", "2024-01-01", FICTIONAL),
        v("1.1", "2024-07-01", FICTIONAL, {1: "Records", 4: "Letters and parcels"}),
    )
    data = diff_json(policy_repo)
    [heading] = [s for s in data["sections"] if s["op"] == "changed"]
    assert heading["old_heading"] == "Letters" and heading["new_heading"] == "Letters and parcels"
    assert all(c["op"] == "equal" for c in data["clauses"])


def test_whitespace_and_rewrapping_show_no_change(policy_repo: PolicyRepo) -> None:
    old = v("1.0", "2024-01-01", FICTIONAL)
    new = v("1.1", "2024-07-01", FICTIONAL).replace(
        "We keep teapot records for seven moons.", "We keep   teapot records\n   for seven moons."
    )
    history(policy_repo, old, new)
    data = diff_json(policy_repo)
    assert data["summary"] == {"changed": 0, "inserted": 0, "deleted": 0, "moved": 0}
    assert data["renumbered"] == 0 and all(c["op"] == "equal" for c in data["clauses"])


def test_a_word_change_inside_a_bullet(policy_repo: PolicyRepo) -> None:
    def with_bullets(number: str, effective: str, colour: str) -> str:
        text = v(number, effective, FICTIONAL)
        return text.replace(
            "We never sell a teapot to a dragon.", f"We never sell a teapot to:\n   - a dragon\n   - a {colour} goblin"
        )

    history(policy_repo, with_bullets("1.0", "2024-01-01", "green"), with_bullets("1.1", "2024-07-01", "purple"))
    data = diff_json(policy_repo)
    [clause] = [c for c in data["clauses"] if c["op"] == "changed"]
    assert clause["old_number"] == 5
    assert words(clause) == [("delete", "green"), ("insert", "purple")]


def test_placeholders_are_filled_per_site_before_diffing(policy_repo: PolicyRepo) -> None:
    old = v(
        "1.0", "2024-01-01", [*FICTIONAL[:3], "Write to https://alpha.example/help with questions.", *FICTIONAL[4:]]
    )
    new = v("1.1", "2024-07-01", [*FICTIONAL[:3], "Write to {{ site.support_url }} with questions.", *FICTIONAL[4:]])
    history(policy_repo, old, new)
    alpha = diff_json(policy_repo, "--site", "alpha")
    beta = diff_json(policy_repo, "--site", "beta")
    assert alpha["summary"]["changed"] == 0  # alpha's own address: the text reads the same
    [clause] = [c for c in beta["clauses"] if c["op"] == "changed"]
    assert words(clause) == [("delete", "https://alpha.example/help"), ("insert", "https://beta.example/support")]


def test_unknown_versions_are_a_clear_error_that_lists_the_versions(policy_repo: PolicyRepo) -> None:
    history(policy_repo, v("1.0", "2024-01-01", FICTIONAL), v("1.1", "2024-07-01", FICTIONAL[:5]))
    result = policy_repo.smops("diff", "privacy", "1.0", "3.0")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "policies/privacy/en.md: has no version 3.0 (versions there are: 1.0, 1.1)" in result.stderr
    result = policy_repo.smops("diff", "cookies", "1.0", "1.1")
    assert result.returncode == 1 and "no policy 'cookies'" in result.stderr


def test_text_output_is_plain_when_piped(policy_repo: PolicyRepo) -> None:
    new = [*FICTIONAL[:2], FICTIONAL[2].replace("seven", "nine"), *FICTIONAL[3:]]
    history(policy_repo, v("1.0", "2024-01-01", FICTIONAL), v("1.1", "2024-07-01", new))
    out = policy_repo.smops("diff", "privacy", "1.0", "1.1", check=True).stdout
    assert "\x1b[" not in out
    assert "[-seven-]" in out and "{+nine+}" in out


@pytest.fixture
def built_diff(policy_repo: PolicyRepo, tmp_path: Path) -> Path:
    new = [*FICTIONAL[:2], FICTIONAL[2].replace("seven", "nine"), "We paint every teapot blue.", *FICTIONAL[3:]]
    history(policy_repo, v("1.0", "2024-01-01", FICTIONAL), v("1.1", "2030-07-01", new, {1: "Records", 5: "Letters"}))
    out = tmp_path / "out"
    policy_repo.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)
    return out


def test_diff_pages_show_an_accessible_redline_with_summary_folds_and_links(built_diff: Path) -> None:
    page = (built_diff / "alpha" / "en" / "privacy" / "changes" / "1.0...1.1" / "index.html").read_text(
        encoding="utf-8"
    )
    text = page_text(page)
    assert "1 changed" in text and "1 added" in text and "0 removed" in text and "0 moved" in text
    assert re.search(r"<del><span class=\"visually-hidden\">\[deleted:\] </span>seven", page)
    assert re.search(r"<ins><span class=\"visually-hidden\">\[inserted:\] </span>nine", page)
    assert '<details class="redline-fold">' in page
    assert 'href="../../1.0/#clause-3"' in page and 'href="../../1.1/#clause-3"' in page


def test_history_notice_and_old_versions_link_to_their_diffs(built_diff: Path) -> None:
    folder = built_diff / "alpha" / "en" / "privacy"
    assert 'href="../changes/1.0...1.1/"' in (folder / "history" / "index.html").read_text(encoding="utf-8")
    current = (folder / "index.html").read_text(encoding="utf-8")
    assert "A new version 1.1 of this policy takes effect on 1 July 2030." in page_text(current)
    assert 'href="changes/1.0...1.1/"' in current


def broken_links(folder: Path) -> list[str]:
    """Every relative link of every page whose target is not in the output."""
    broken = []
    for page in folder.rglob("*.html"):
        if page.name == "404.html":
            continue
        for ref in re.findall(r'<a [^>]*href="([^"#:?]*)(?:#[^"]*)?"', page.read_text(encoding="utf-8")):
            if not ref:
                continue
            target = (page.parent / ref).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(folder)} → {ref}")
    return broken


def test_every_link_of_a_site_with_diffs_resolves(built_diff: Path) -> None:
    assert list((built_diff / "beta" / "en" / "privacy" / "changes").iterdir())
    assert broken_links(built_diff) == []


def test_every_link_of_the_real_site_resolves(real_site: Path) -> None:
    # policies/ holds one version (1.0): nothing to compare yet, and no link may dangle.
    assert broken_links(real_site) == []


def test_diff_pages_read_as_each_sites_own_text(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    old = v(
        "1.0", "2024-01-01", [*FICTIONAL[:3], "Write to https://alpha.example/help with questions.", *FICTIONAL[4:]]
    )
    new = v("1.1", "2024-07-01", [*FICTIONAL[:3], "Write to {{ site.support_url }} with questions.", *FICTIONAL[4:]])
    history(policy_repo, old, new)
    out = tmp_path / "out"
    policy_repo.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)

    def redline(site: str) -> str:
        return (out / site / "en" / "privacy" / "changes" / "1.0...1.1" / "index.html").read_text(encoding="utf-8")

    assert "<del>" not in redline("alpha").split('class="redline"', 1)[1]
    assert "0 changed" in page_text(redline("alpha"))
    beta = redline("beta")
    assert "1 changed" in page_text(beta)
    assert re.search(r"<del><span[^>]*>\[deleted:\] </span>https://alpha.example/help", beta)
    assert re.search(r"<ins><span[^>]*>\[inserted:\] </span>https://beta.example/support", beta)


def test_the_structure_alone_is_the_structure_the_pages_are_built_from() -> None:
    from smops_policy.content.document import analyse, read_policy_text, structure

    from .conftest import ROOT

    for lang in ("en", "nl"):
        text = read_policy_text((ROOT / "policies" / "privacy" / f"{lang}.md").read_bytes(), f"{lang}.md")
        assert structure(text.body, body_line=text.body_line) == analyse(text.body, body_line=text.body_line)[0]
