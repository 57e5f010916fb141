"""Golden files: the outputs people read and machines parse, for fictional histories, byte for byte.

A change to any of them shows as a diff of `tests/fixtures/golden/` in the pull request, where a
reviewer reads it. After an intended change, regenerate them and review that diff:

    SMOPS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
    git diff tests/fixtures/golden/
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import SITES_YML, PolicyRepo, policy_text

if TYPE_CHECKING:
    from collections.abc import Iterator

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
UPDATE = os.environ.get("SMOPS_UPDATE_GOLDEN") == "1"
AS_OF = "2026-11-25"

TEAPOTS = [
    "We record the colour of every fictional teapot.",
    "We share teapot colours with the imaginary guild at {{ site.support_url }}.",
    "We keep teapot records for seven moons.",
    "We answer letters sent by carrier pigeon.",
    "We never sell a teapot to a dragon.",
]
TEAPOTS_NL = [
    "Wij noteren de kleur van elke verzonnen theepot.",
    "Wij delen theepotkleuren met het denkbeeldige gilde via {{ site.support_url }}.",
    "Wij bewaren theepotgegevens zeven manen lang.",
    "Wij beantwoorden brieven die per postduif komen.",
    "Wij verkopen nooit een theepot aan een draak.",
]
SECTIONS = {1: "Records", 4: "Letters"}


def _teapots(repo: PolicyRepo) -> None:
    """1.0 (2020, English and Dutch); 1.1 (2024): a clause inserted, one deleted, one moved, words
    changed, an Alpha-only passage; 2.0 (upcoming in 2031): one word."""
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", TEAPOTS, sections=SECTIONS))
    repo.write(
        "policies/privacy/nl.md",
        policy_text(
            "1.0", "2020-01-01", TEAPOTS_NL, title="Theepotbeleid", summary="Een verzonnen versie.", sections=SECTIONS
        ),
    )
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    v11 = [
        "We never sell a teapot to a dragon.",
        "We record the colour and the shape of every fictional teapot.",
        "We share teapot colours with the imaginary guild at {{ site.support_url }}.",
        "We ask before we photograph a teapot.\n<!-- only: alpha -->\n   Alpha also keeps the photographs for a week.\n   <!-- end only -->",
        "We answer letters sent by carrier pigeon or by owl.",
    ]
    repo.write(
        "policies/privacy/en.md",
        policy_text(
            "1.1", "2024-03-01", v11, summary="Adds photographs; letters by owl.", sections={2: "Records", 5: "Letters"}
        ),
    )
    repo.commit("1.1", "2024-02-01T10:00:00+01:00")
    v20 = [*v11[:4], "We answer letters sent by carrier pigeon or by owl, within a week."]
    repo.write(
        "policies/privacy/en.md",
        policy_text("2.0", "2031-01-01", v20, summary="Answers within a week.", sections={2: "Records", 5: "Letters"}),
    )
    repo.commit("2.0 (upcoming)", "2026-11-01T10:00:00+01:00")


HISTORIES = {"teapots": _teapots}

# output file (relative to the build's output) → golden file name
OUTPUTS = {
    "alpha/versions.json": "alpha-versions.json",
    "beta/versions.json": "beta-versions.json",
    "alpha/en/feed.atom": "alpha-en-feed.atom",
    "alpha/nl/feed.atom": "alpha-nl-feed.atom",
    "alpha/en/banner.html": "alpha-en-banner.html",
    "alpha/sitemap.xml": "alpha-sitemap.xml",
}
REDLINES = {
    "alpha/en/privacy/changes/1.0...1.1/index.html": "alpha-en-redline-1.0-1.1.html",
    "beta/en/privacy/changes/1.0...1.1/index.html": "beta-en-redline-1.0-1.1.html",
}
DIFFS = {
    "diff-1.0-1.1-alpha.txt": ("1.0", "1.1", "--site", "alpha", "--format", "text"),
    "diff-1.0-1.1-alpha.json": ("1.0", "1.1", "--site", "alpha", "--format", "json"),
    "diff-1.1-2.0.json": ("1.1", "2.0", "--format", "json"),
}


@pytest.fixture(scope="module", params=sorted(HISTORIES))
def history(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, PolicyRepo, Path]]:
    name = str(request.param)
    repo = PolicyRepo(tmp_path_factory.mktemp(name) / "repo")
    repo.write("policies/sites.yml", SITES_YML)
    HISTORIES[name](repo)
    out = repo.path / "out"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    yield name, repo, out
    repo.repo.close()


def _article(page: str) -> str:
    """The page's own content (what smops-policy wrote), without the theme's frame around it."""
    found = re.search(r"<article\b.*?</article>", page, re.DOTALL)
    assert found, "the page has no <article>"
    return found.group(0) + "\n"


def _compare(history: str, name: str, actual: str) -> None:
    golden = GOLDEN / history / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.exists(), f"{golden} is missing: run SMOPS_UPDATE_GOLDEN=1 pytest {__file__} and review it"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{name} differs from {golden}; if the change is intended, regenerate and review the diff"
    )


@pytest.mark.parametrize("output", sorted(OUTPUTS))
def test_data_files_match_their_golden_files(history: tuple[str, PolicyRepo, Path], output: str) -> None:
    name, _, out = history
    _compare(name, OUTPUTS[output], (out / output).read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", sorted(REDLINES))
def test_redline_pages_match_their_golden_files(history: tuple[str, PolicyRepo, Path], page: str) -> None:
    name, _, out = history
    _compare(name, REDLINES[page], _article((out / page).read_text(encoding="utf-8")))


@pytest.mark.parametrize("golden", sorted(DIFFS))
def test_diff_output_matches_its_golden_file(history: tuple[str, PolicyRepo, Path], golden: str) -> None:
    name, repo, _ = history
    result = repo.smops("diff", "privacy", *DIFFS[golden], check=True)
    _compare(name, golden, result.stdout)
