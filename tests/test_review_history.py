"""Review of the version-history rules (issues 13, 17, 18) on real repositories with the real CLI:
workflows where the published record disagreed with what the README's rules say."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .conftest import SITES_YML, PolicyRepo, policy_text

if TYPE_CHECKING:
    from pathlib import Path

AS_OF = "2026-11-25"
BASE = ["We keep your records safe.", "We answer questions at {{ site.support_url }}.", "We keep this text short."]
DUTCH = [
    "Wij bewaren uw gegevens veilig.",
    "Wij beantwoorden vragen via {{ site.support_url }}.",
    "Wij houden deze tekst kort.",
]


def dutch(clauses: list[str], corrected: str = "") -> str:
    extra = f'corrected: "{corrected}"' if corrected else ""
    return policy_text(
        "1.0", "2020-01-01", clauses, title="Voorbeeldbeleid", summary="Een verzonnen testversie.", extra_front=extra
    )


def test_a_correction_made_as_the_error_hint_says_keeps_the_published_wording_as_revision_0(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    """A translation in force is edited without `corrected:`; check's hint says to add it and commit.
    Done literally (a second commit, text unchanged), the earlier wording must be the one readers had,
    not the silent edit: else revision 0 shows the corrected text and the redline shows no change."""
    repo = policy_repo
    repo.write("policies/sites.yml", SITES_YML)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.write("policies/privacy/nl.md", dutch(DUTCH))
    original = repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    fixed = ["Wij bewaren uw gegevens zorgvuldig.", *DUTCH[1:]]
    repo.write("policies/privacy/nl.md", dutch(fixed))
    repo.commit("Correct the Dutch, forgetting the summary", "2024-05-06T10:00:00+02:00")
    assert 'add corrected: "what was corrected" to its front matter and commit' in repo.smops("check").stderr
    repo.write("policies/privacy/nl.md", dutch(fixed, "Artikel 1: zorgvuldig."))
    corrected = repo.commit("Add the summary, as check says", "2024-05-07T10:00:00+02:00")
    assert repo.smops("check").returncode == 0

    out = tmp_path / "site"
    repo.smops("build", "--site", "alpha", "--as-of", AS_OF, "--output", str(out), check=True)
    nl = json.loads((out / "alpha" / "versions.json").read_text())["policies"]["privacy"]["nl"]["versions"][0]
    assert [(r["revision"], r["commit"]) for r in nl["revisions"]] == [(0, original), (1, corrected)]
    earlier = (out / "alpha/nl/privacy/1.0/revisions/0/index.html").read_text(encoding="utf-8")
    assert "Wij bewaren uw gegevens veilig." in earlier
    assert "zorgvuldig" not in earlier
    redline = (out / "alpha/nl/privacy/1.0/revisions/1/changes/index.html").read_text(encoding="utf-8")
    assert "<ins" in redline and "zorgvuldig" in redline
