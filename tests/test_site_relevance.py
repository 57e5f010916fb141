"""Each Site is told only what changed for it: a version that reads on a Site exactly as the version
before it (passages selected, values filled) is no news there, and a summary may differ by Site."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import PolicyRepo, policy_text

if TYPE_CHECKING:
    from collections.abc import Iterator

AS_OF = "2026-11-25"
SITES = """\
timezone: Europe/Amsterdam
source_language: en
sites:
  alpha:
    name: Alpha Example
    url: https://alpha.example/
    languages: [en]
    policies: [privacy]
  beta:
    name: Beta Example
    url: https://beta.example/
    languages: [en]
    policies: [privacy]
"""
CLAUSES = ["We record the colour of every fictional teapot.", "We answer letters sent by carrier pigeon."]
ALPHA_ONLY = "<!-- only: alpha -->\nAlpha also keeps photographs of teapots for a week.\n<!-- end only -->"
NO_CHANGE = "No change to this Site's text"


def _build(repo: PolicyRepo) -> Path:
    out = repo.path / "out"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    return out


def _read(out: Path, relative: str) -> str:
    return (out / relative).read_text(encoding="utf-8")


def _text(html: str) -> str:
    """What a reader reads: the tags dropped, whitespace folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _records(out: Path, site: str) -> dict[str, bool]:
    index = json.loads(_read(out, f"{site}/versions.json"))
    return {v["version"]: v["changed_for_site"] for v in index["policies"]["privacy"]["en"]["versions"]}


@pytest.fixture(scope="module")
def alpha_only_change(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """1.0 in force since 2020; 1.1 (upcoming on 2031-01-01) adds a passage for Alpha alone."""
    repo = PolicyRepo(tmp_path_factory.mktemp("relevance") / "repo")
    repo.write("policies/sites.yml", SITES)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", CLAUSES))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    clauses = [CLAUSES[0], f"{CLAUSES[1]}\n{ALPHA_ONLY}"]
    repo.write("policies/privacy/en.md", policy_text("1.1", "2031-01-01", clauses, summary="Alpha keeps photographs."))
    repo.commit("1.1 (Alpha only)", "2026-11-01T10:00:00+01:00")
    yield _build(repo)
    repo.repo.close()


def test_a_site_whose_text_did_not_change_hears_nothing_of_the_new_version(alpha_only_change: Path) -> None:
    out = alpha_only_change
    assert _read(out, "beta/en/banner.html") == ""
    assert "<entry>" in _read(out, "beta/en/feed.atom")  # 1.0 is still news of its day
    assert "1.1" not in _read(out, "beta/en/feed.atom")
    current = _text(_read(out, "beta/en/privacy/index.html"))
    assert "A new version 1.1" not in current
    assert "Alpha keeps photographs" not in current
    # its pages exist all the same: the permalink proves what the Site showed
    permalink = _text(_read(out, "beta/en/privacy/1.1/index.html"))
    assert "What changed" not in permalink
    assert "Alpha keeps photographs" not in permalink
    assert "photographs of teapots" not in permalink
    assert (out / "beta/en/privacy/changes/1.0...1.1/index.html").is_file()


def test_its_history_and_changelog_say_the_text_did_not_change_for_it(alpha_only_change: Path) -> None:
    out = alpha_only_change
    for page in ("beta/en/privacy/history/index.html", "beta/en/changelog/index.html"):
        text = _text(_read(out, page))
        assert "Alpha keeps photographs" not in text, page
        assert NO_CHANGE in text, page
        assert "A fictional test version." in text, page  # 1.0 did change its text: its summary stays


def test_the_site_it_is_for_announces_it(alpha_only_change: Path) -> None:
    out = alpha_only_change
    assert "1.1" in _text(_read(out, "alpha/en/banner.html"))
    assert "/privacy/1.1/" in _read(out, "alpha/en/feed.atom")
    current = _text(_read(out, "alpha/en/privacy/index.html"))
    assert "A new version 1.1 of this policy takes effect on" in current
    assert "Alpha keeps photographs." in current
    for page in ("alpha/en/privacy/history/index.html", "alpha/en/changelog/index.html"):
        text = _text(_read(out, page))
        assert "Alpha keeps photographs." in text, page
        assert NO_CHANGE not in text, page


def test_versions_json_says_for_which_site_each_version_changed_the_text(alpha_only_change: Path) -> None:
    assert _records(alpha_only_change, "alpha") == {"1.0": True, "1.1": True}
    assert _records(alpha_only_change, "beta") == {"1.0": True, "1.1": False}
    beta = json.loads(_read(alpha_only_change, "beta/versions.json"))
    record = beta["policies"]["privacy"]["en"]["versions"][1]
    # no key renamed or dropped: the 1.1 record keeps every key it had
    assert {"version", "effective", "status", "url", "sha256", "commit", "summary", "title"} <= set(record)


def test_rewrapping_is_no_change_on_any_site(policy_repo: PolicyRepo) -> None:
    """The history's rule decides: whitespace is folded, so a re-wrapped clause changes no Site's text."""
    policy_repo.write("policies/sites.yml", SITES)
    policy_repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", CLAUSES))
    policy_repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    rewrapped = [CLAUSES[0].replace(" every ", "\n   every  "), CLAUSES[1]]
    policy_repo.write("policies/privacy/en.md", policy_text("1.1", "2031-01-01", rewrapped, summary="Re-wrapped."))
    policy_repo.commit("1.1", "2026-11-01T10:00:00+01:00")
    out = _build(policy_repo)
    assert _records(out, "alpha") == {"1.0": True, "1.1": False}
    assert _records(out, "beta") == {"1.0": True, "1.1": False}
    assert _read(out, "alpha/en/banner.html") == ""


def test_a_summary_given_per_site_shows_on_its_site_only(policy_repo: PolicyRepo) -> None:
    policy_repo.write("policies/sites.yml", SITES)
    policy_repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", CLAUSES))
    policy_repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    clauses = [CLAUSES[0], CLAUSES[1].replace("pigeon", "owl")]
    summary = '{default: "Letters by owl.", alpha: "Letters by owl at {{ site.name }}."}'
    policy_repo.write("policies/privacy/en.md", policy_text("1.1", "2031-01-01", clauses, summary=summary))
    policy_repo.commit("1.1", "2026-11-01T10:00:00+01:00")
    out = _build(policy_repo)
    for page in ("en/privacy/index.html", "en/privacy/history/index.html", "en/changelog/index.html"):
        alpha, beta = _text(_read(out, f"alpha/{page}")), _text(_read(out, f"beta/{page}"))
        assert "Letters by owl at Alpha Example." in alpha, page
        assert "Letters by owl at" not in beta, page
        assert "Letters by owl." in beta, page
    assert "Letters by owl at Alpha Example." in _read(out, "alpha/en/feed.atom")
    alpha_record = json.loads(_read(out, "alpha/versions.json"))["policies"]["privacy"]["en"]["versions"][1]
    beta_record = json.loads(_read(out, "beta/versions.json"))["policies"]["privacy"]["en"]["versions"][1]
    assert (alpha_record["summary"], beta_record["summary"]) == ("Letters by owl at Alpha Example.", "Letters by owl.")


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ('{alpha: "Only Alpha."}', "'summary' is a mapping without a 'default'"),
        ('{default: "For all.", gamma: "No such Site."}', "'summary' names the unknown Site 'gamma'"),
    ],
)
def test_a_summary_mapping_that_cannot_be_read_names_the_file_and_line(
    policy_repo: PolicyRepo, summary: str, message: str
) -> None:
    policy_repo.write("policies/sites.yml", SITES)
    policy_repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", CLAUSES, summary=summary))
    policy_repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    result = policy_repo.smops("check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"policies/privacy/en.md:5: {message}" in result.stderr + result.stdout


def test_a_value_written_out_as_one_site_has_it_is_no_change_for_that_site(policy_repo: PolicyRepo) -> None:
    """Placeholders are compared filled: 1.1 writes out Alpha's name where 1.0 had {{ site.name }}."""
    policy_repo.write("policies/sites.yml", SITES)
    placeholder = [CLAUSES[0], "Write to {{ site.name }} by carrier pigeon."]
    policy_repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", placeholder))
    policy_repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    written_out = [CLAUSES[0], "Write to Alpha  Example\n   by carrier pigeon."]
    policy_repo.write("policies/privacy/en.md", policy_text("1.1", "2031-01-01", written_out, summary="Our name."))
    policy_repo.commit("1.1", "2026-11-01T10:00:00+01:00")
    out = _build(policy_repo)
    assert _records(out, "alpha") == {"1.0": True, "1.1": False}
    assert _records(out, "beta") == {"1.0": True, "1.1": True}
    assert _read(out, "alpha/en/banner.html") == ""
    assert "1.1" in _text(_read(out, "beta/en/banner.html"))


def test_verify_and_the_versions_command_agree_with_versions_json(policy_repo: PolicyRepo) -> None:
    policy_repo.write("policies/sites.yml", SITES)
    policy_repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", CLAUSES))
    policy_repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    clauses = [CLAUSES[0], f"{CLAUSES[1]}\n{ALPHA_ONLY}"]
    policy_repo.write("policies/privacy/en.md", policy_text("1.1", "2031-01-01", clauses, summary="Alpha only."))
    policy_repo.commit("1.1 (Alpha only)", "2026-11-01T10:00:00+01:00")
    out = _build(policy_repo)
    verified = policy_repo.smops("verify", "--output", str(out))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    for site, changed in (("alpha", True), ("beta", False)):
        listed = policy_repo.smops("versions", "privacy", "--site", site, "--as-of", AS_OF, "--json", check=True)
        rows = json.loads(listed.stdout)
        assert [row["changed_for_site"] for row in rows] == [True, changed]
        index = json.loads(_read(out, f"{site}/versions.json"))["policies"]["privacy"]["en"]["versions"]
        assert [{k: v for k, v in row.items() if k not in ("lang", "path")} for row in rows] == index
