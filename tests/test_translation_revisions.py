"""Issue 18: a translation of a version in force may be corrected, openly. A fictional history: the
Dutch 1.0 of a policy in force since 2020 is corrected twice; every output shows both corrections,
verify proves every wording, and the source text stays strict."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import SITES_YML, PolicyRepo, policy_text

if TYPE_CHECKING:
    from collections.abc import Iterator

AS_OF = "2026-11-25"
BASE = ["We keep your records safe.", "We answer questions at {{ site.support_url }}.", "We keep this text short."]
DUTCH = [
    "Wij bewaren uw gegevens veilig.",
    "Wij beantwoorden vragen via {{ site.support_url }}.",
    "Wij houden deze tekst kort.",
]
FIRST = "Clause 1: 'veilig' became 'zorgvuldig en veilig'."
SECOND = "Clause 3: 'kort' became 'beknopt'."


def dutch(clauses: list[str], corrected: str = "") -> str:
    extra = f'corrected: "{corrected}"' if corrected else ""
    return policy_text(
        "1.0", "2020-01-01", clauses, title="Voorbeeldbeleid", summary="Een verzonnen testversie.", extra_front=extra
    )


def _history(repo: PolicyRepo) -> dict[str, str]:
    """English and Dutch 1.0 (in force since 2020-01-01), then two open corrections of the Dutch."""
    repo.write("policies/sites.yml", SITES_YML)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.write("policies/privacy/nl.md", dutch(DUTCH))
    commits = {"original": repo.commit("Fictional policy 1.0", "2019-12-01T10:00:00+01:00")}
    once = ["Wij bewaren uw gegevens zorgvuldig en veilig.", *DUTCH[1:]]
    repo.write("policies/privacy/nl.md", dutch(once, FIRST))
    commits["first"] = repo.commit("Correct the Dutch 1.0", "2024-05-06T10:00:00+02:00")
    twice = [*once[:2], "Wij houden deze tekst beknopt."]
    repo.write("policies/privacy/nl.md", dutch(twice, SECOND))
    commits["second"] = repo.commit("Correct the Dutch 1.0 again", "2025-02-03T10:00:00+01:00")
    return commits


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PolicyRepo, Path, dict[str, str]]]:
    repo = PolicyRepo(tmp_path_factory.mktemp("revisions") / "repo")
    commits = _history(repo)
    out = repo.path / "site"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    yield repo, out / "alpha", commits
    repo.repo.close()


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split()).replace(" :", ":")


def sha256_at(repo: PolicyRepo, commit: str) -> str:
    data = repo.repo.git.show(f"{commit}:policies/privacy/nl.md", stdout_as_string=False)
    return hashlib.sha256(data + b"\n" if not data.endswith(b"\n") else data).hexdigest()


def test_the_version_page_shows_both_corrections_with_links_to_the_earlier_wordings_and_redlines(
    built: tuple[PolicyRepo, Path, dict[str, str]],
) -> None:
    _repo, site, _commits = built
    for url in ("nl/privacy/", "nl/privacy/1.0/"):
        page = read(site, url)
        text = text_of(page)
        assert "Wij houden deze tekst beknopt." in text  # the corrected wording is the one in force
        assert f"Vertaling gecorrigeerd op 3 februari 2025: {SECOND}" in text
        assert f"Vertaling gecorrigeerd op 6 mei 2024: {FIRST}" in text
        assert text.index("3 februari 2025") < text.index("6 mei 2024")  # newest first
    page = read(site, "nl/privacy/1.0/")
    assert '<a href="revisions/1/">Eerdere formulering</a>' in page
    assert '<a href="revisions/2/changes/">Bekijk wat is gecorrigeerd</a>' in page
    assert '<a href="revisions/0/">Eerdere formulering</a>' in page
    history = read(site, "nl/privacy/history/")
    assert (
        '<a href="../1.0/revisions/2/changes/"><time datetime="2025-02-03">Vertaling gecorrigeerd op 3 februari 2025'
        in history
    )
    assert '<a href="../1.0/revisions/1/changes/"><time datetime="2024-05-06">' in history
    # the source text shows no correction
    assert "corrected" not in text_of(read(site, "en/privacy/1.0/")).lower()


def test_each_wording_has_its_permalink_with_its_proof_and_each_correction_a_redline(
    built: tuple[PolicyRepo, Path, dict[str, str]],
) -> None:
    repo, site, commits = built
    for n, (name, said) in enumerate([("original", "veilig."), ("first", "zorgvuldig"), ("second", "beknopt.")]):
        page = read(site, f"nl/privacy/1.0/revisions/{n}/")
        assert said in text_of(page)
        assert f"<code>{commits[name]}</code>" in page
        assert f"<code>{sha256_at(repo, commits[name])}</code>" in page
    assert "Wij houden deze tekst kort." in text_of(read(site, "nl/privacy/1.0/revisions/1/"))
    redline = read(site, "nl/privacy/1.0/revisions/2/changes/")
    hidden = r"(?:<span[^>]*>[^<]*</span>)?"
    assert re.search(f"<del>{hidden}kort\\.", redline), redline
    assert re.search(f"<ins>{hidden}beknopt\\.", redline), redline
    assert SECOND in text_of(redline)
    # its clause links go to the two wordings, not to the version's page
    assert 'href="../../1/#clause-3"' in redline and 'href="../#clause-3"' in redline
    first = read(site, "nl/privacy/1.0/revisions/1/changes/")
    assert re.search(f"<ins>{hidden}zorgvuldig en", first), first


def test_the_changelog_and_the_feed_announce_each_correction_as_a_correction(
    built: tuple[PolicyRepo, Path, dict[str, str]],
) -> None:
    _repo, site, _commits = built
    log = read(site, "nl/changelog/")
    assert log.count("policy-change--corrected") == 2
    text = text_of(log)
    assert text.count("Voorbeeldbeleid 1.0: vertaling gecorrigeerd") == 2
    assert FIRST in text and SECOND in text
    assert text.index(SECOND) < text.index(FIRST)  # newest first
    assert "gecorrigeerd" not in text_of(read(site, "en/changelog/"))
    feed = (site / "nl" / "feed.atom").read_text(encoding="utf-8")
    entries = re.findall(r"<entry>.*?</entry>", feed, re.S)
    corrections = [e for e in entries if "vertaling gecorrigeerd" in e]
    assert len(corrections) == 2
    assert "/nl/privacy/1.0/corrected/2</id>" in corrections[0]
    assert 'href="https://alpha.example/nl/privacy/1.0/revisions/2/changes/"' in corrections[0]
    assert f"<summary>{html.escape(SECOND)}</summary>" in corrections[0]
    assert "<updated>2025-02-03T10:00:00+01:00</updated>" in corrections[0]


def test_versions_json_lists_each_wording_with_date_commit_sha256_and_summary(
    built: tuple[PolicyRepo, Path, dict[str, str]],
) -> None:
    repo, site, commits = built
    index = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    record = index["policies"]["privacy"]["nl"]["versions"][0]
    assert record["commit"] == commits["second"]  # the keys it had keep their meaning
    revisions = record["revisions"]
    assert [r["revision"] for r in revisions] == [0, 1, 2]
    assert [r["commit"] for r in revisions] == [commits["original"], commits["first"], commits["second"]]
    assert [r["sha256"] for r in revisions] == [sha256_at(repo, commits[n]) for n in ("original", "first", "second")]
    assert [r["summary"] for r in revisions] == ["", FIRST, SECOND]
    assert revisions[1]["date"] == "2024-05-06T10:00:00+02:00"
    assert revisions[2]["url"] == "https://alpha.example/nl/privacy/1.0/revisions/2/"
    assert "revisions" not in index["policies"]["privacy"]["en"]["versions"][0]


def test_verify_passes_and_catches_a_tampered_wording(
    built: tuple[PolicyRepo, Path, dict[str, str]], tmp_path: Path
) -> None:
    repo, site, commits = built
    out = site.parent
    assert repo.smops("verify", "--output", str(out)).returncode == 0
    for tamper in ("text", "sha256"):
        copy = tmp_path / tamper
        shutil.copytree(out, copy)
        page = copy / "alpha" / "nl" / "privacy" / "1.0" / "revisions" / "1" / "index.html"
        data = page.read_text(encoding="utf-8")
        if tamper == "text":
            data = data.replace("uw gegevens zorgvuldig en veilig", "uw gegevens veilig", 1)
        else:
            data = data.replace(sha256_at(repo, commits["first"]), "0" * 64, 1)
        page.write_text(data, encoding="utf-8")
        result = repo.smops("verify", "--output", str(copy))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        named = [line for line in result.stderr.splitlines() if line.startswith(f"{page}: ")]
        assert named, result.stderr
        assert ("differs from its text in git" if tamper == "text" else "does not show the sha256") in named[0]


def test_check_still_refuses_a_change_to_the_source_text_in_force(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    _history(repo)
    changed = ["We keep your records very safe.", *BASE[1:]]
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", changed, extra_front='corrected: "typo"'))
    repo.commit("Silently change the English", "2026-01-05T10:00:00+01:00")
    result = repo.smops("check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "policies/privacy/en.md:3: version 1.0 took effect on 2020-01-01 but its text was changed" in result.stderr
    assert "policies/privacy/en.md:6: 'corrected' marks a correction of a translation, but this is the source text" in (
        result.stderr
    )


def test_a_correction_without_its_summary_is_an_error_with_file_line_and_hint(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    _history(repo)
    text = dutch(["Wij bewaren uw gegevens zorgvuldig en veilig.", *DUTCH[1:2], "Wij houden deze tekst heel kort."])
    repo.write("policies/privacy/nl.md", text)  # no 'corrected:' any more: a silent change
    repo.commit("Change the Dutch", "2026-01-05T10:00:00+01:00")
    result = repo.smops("check")
    assert result.returncode == 1
    line = next(x for x in result.stderr.splitlines() if x.startswith("policies/privacy/nl.md:3: "))
    assert "its text was changed in commit" in line
    assert 'add corrected: "what was corrected" to its front matter' in line

    repo.repo.git.reset("--hard", "HEAD~1")  # the same change, keeping the summary of the last correction
    repo.write("policies/privacy/nl.md", text.replace("summary:", f'corrected: "{SECOND}"\nsummary:'))
    repo.commit("Change the Dutch, old summary", "2026-01-06T10:00:00+01:00")
    result = repo.smops("check")
    assert result.returncode == 1
    assert "give 'corrected:' a new summary" in result.stderr

    repo.write("policies/privacy/nl.md", dutch(DUTCH).replace("summary:", 'corrected: ""\nsummary:'))
    repo.commit("An empty summary", "2026-01-07T10:00:00+01:00")
    result = repo.smops("check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "policies/privacy/nl.md:5: 'corrected' is empty" in result.stderr


def test_review_of_a_branch_that_corrects_a_translation_says_so(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    _history(repo)
    repo.repo.git.branch("-f", "base", "HEAD~1")  # the base has the first correction, the branch adds the second
    result = repo.smops("review", "--base", "base")
    assert result.returncode == 0, result.stdout + result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("| Voorbeeldbeleid"))
    assert "| <code>nl</code> | 1.0 (translation corrected) | 2020-01-01 | in-force |" in row
    assert f"  - translation corrected: {SECOND}" in result.stdout.replace("\\", "")
    assert FIRST not in result.stdout.replace("\\", "")  # the base's correction is not the branch's


def test_a_correction_summary_that_corrects_nothing_is_a_warning_with_its_line(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    _history(repo)
    twice = ["Wij bewaren uw gegevens zorgvuldig en veilig.", DUTCH[1], "Wij houden deze tekst beknopt."]
    repo.write("policies/privacy/nl.md", dutch(twice, "Nothing, by mistake."))
    repo.commit("A summary without a change", "2026-01-05T10:00:00+01:00")
    result = repo.smops("check")
    assert result.returncode == 0, result.stderr
    assert "policies/privacy/nl.md:6: warning: 'corrected' is set in commit " in result.stderr
    assert "but the text of version 1.0 is unchanged: there is no correction to tell readers of" in result.stderr
    assert "(remove the key:" in result.stderr
    assert repo.smops("check", "--strict").returncode == 1
