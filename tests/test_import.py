"""Issue 16, items 5 and 6: `smops-policy import` brings a policy's history from another git repository.

The source is a real git repository made from eleven versions of Basecamp's privacy policy
(tests/fixtures/basecamp/, CC BY 4.0), committed at their original dates and paths (renamed away and
back, the second time on a merged branch); the import runs through the real CLI into a real policy
repository. Fictional histories, generated here, cover what Basecamp's does not (a re-wrap, other
date formats, a Dutch text).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from smops_policy.content.imported import (
    SourceText,
    choose_effective,
    read_source_text,
    stated_date,
    summary_of,
)

from .basecamp_history import (
    SOURCE_FILE,
    STATES,
    git,
    import_basecamp,
    make_source,
    policy_repo_for_import,
)
from .conftest import SITES_YML, PolicyRepo

if TYPE_CHECKING:
    from collections.abc import Iterator

TARGET = "policies/privacy/en.md"

# What the eleven states become: version, effective date, and where the date comes from.
EXPECTED = [
    ("1.0", "2018-05-14", "the commit date (the text states no date)"),
    ("1.1", "2018-05-24", 'line 12: "Last updated: May 24, 2018"'),
    ("1.2", "2018-10-22", "the commit date"),  # the text still says May 24, 2018
    ("1.3", "2018-12-15", "the commit date"),  # likewise; the commit is 2018-12-14 15:33 -08:00
    ("1.4", "2018-12-20", 'line 5: "Last updated: December 20, 2018"'),
    ("1.5", "2020-04-13", 'line 8: "Last updated: April 13, 2020"'),
    ("1.6", "2020-07-17", 'line 8: "Last updated: July 17, 2020"'),
    ("1.7", "2020-08-06", 'line 8: "Last updated: August 6, 2020"'),
    ("1.8", "2022-02-10", 'line 8: "Last updated: February 10, 2022"'),
    ("1.9", "2022-07-18", 'line 8: "Last updated: July 18, 2022"'),  # the date is a link's text
    ("1.10", "2023-04-20", 'line 8: "Last updated: April 20, 2023"'),
]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Basecamp's history as a source repository (read only by the tests)."""
    path = tmp_path_factory.mktemp("basecamp") / "policies"
    make_source(path)
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[PolicyRepo]:
    repo = policy_repo_for_import(tmp_path / "repo")
    yield repo
    repo.repo.close()


def head(repo: PolicyRepo) -> str:
    return git(repo.path, "rev-parse", "HEAD").strip()


def no_traceback(result: object) -> None:
    assert "Traceback" not in getattr(result, "stderr", "")


# ---------------------------------------------------------------------------- dry run


def test_dry_run_lists_every_version_with_its_date_source_and_summary_and_writes_nothing(
    repo: PolicyRepo, source: Path
) -> None:
    before = head(repo)
    result = import_basecamp(repo, source, "--dry-run")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"would import {SOURCE_FILE} from {source} into {TARGET}: 11 versions from 11 commits")
    source_commits = git(source, "log", "--first-parent", "--format=%H", "--reverse").split()
    for (number, effective, where), commit in zip(EXPECTED, source_commits, strict=True):
        line = next(line for line in out.splitlines() if line.strip().startswith(f"{number} "))
        assert f"effective {effective}  from {commit[:12]} " in line
        assert f"effective date from {where}" in out
    assert "1.1   effective 2018-05-24" in out and "Update privacy policy for GDPR" in out
    assert "note: the text's date 2018-05-24 (line 9) is not after the previous version's 2018-05-24" in out
    assert out.rstrip().endswith("nothing was written (--dry-run)")
    assert head(repo) == before
    assert not (repo.path / TARGET).exists()
    assert git(repo.path, "status", "--porcelain", "--untracked-files=no") == ""


# ---------------------------------------------------------------------------- the import itself


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, source: Path) -> Iterator[tuple[PolicyRepo, str]]:
    """This repository after the import (shared by the tests that only read it), and what it printed."""
    repo = policy_repo_for_import(tmp_path_factory.mktemp("imported") / "repo")
    result = import_basecamp(repo, source)
    assert result.returncode == 0, result.stderr
    yield repo, result.stdout
    repo.repo.close()


def log(repo: PolicyRepo, target: str = TARGET) -> list[dict[str, str]]:
    """The commits that changed the imported file, oldest first."""
    fields = ["commit", "author_date", "committer_date", "subject", "body"]
    out = git(repo.path, "log", "--reverse", "--format=%H%x1f%aI%x1f%cI%x1f%s%x1f%b%x1e", "--", target)
    return [dict(zip(fields, entry.strip("\n").split("\x1f"), strict=True)) for entry in out.split("\x1e")[:-1]]


def front(repo: PolicyRepo, commit: str, target: str = TARGET) -> dict[str, str]:
    text = git(repo.path, "show", f"{commit}:{target}")
    head_lines = text.split("---\n")[1].strip().splitlines()
    return {key: value.strip() for key, _, value in (line.partition(":") for line in head_lines)}


def test_import_makes_one_commit_per_version_dated_as_the_original(imported: tuple[PolicyRepo, str]) -> None:
    repo, _ = imported
    commits = log(repo)
    assert len(commits) == len(STATES) == 11
    for commit, state in zip(commits, STATES, strict=True):
        assert commit["author_date"] == state["author_date"]
        assert commit["committer_date"] == state["committer_date"]
        assert f"at commit {state['commit']}" not in commit["body"]  # the fixture's commits are new ones
        assert f"Source: {state['path']} at commit " in commit["body"]
    assert git(repo.path, "status", "--porcelain", "--untracked-files=no") == ""


def test_each_version_has_our_front_matter_its_number_date_and_summary(imported: tuple[PolicyRepo, str]) -> None:
    repo, _ = imported
    commits = log(repo)
    fronts = [front(repo, c["commit"]) for c in commits]
    assert [(f["version"], f["effective"]) for f in fronts] == [(f'"{n}"', e) for n, e, _ in EXPECTED]
    # the summary is the commit's subject; a pull request's merge gives the pull request's title
    assert fronts[1]["summary"] == '"Update privacy policy for GDPR"'
    assert fronts[3]["summary"] == '"Switch from Jekyll-style index.md dirs to named files"'
    assert fronts[5]["summary"] == '"Policy consolidation (pull request #35)"'
    assert fronts[10]["summary"] == '"Ampersand edits"'
    assert [c["subject"] for c in commits][10] == "Ampersand edits"
    # the title is the source's `title:`; the source's own front matter is gone
    assert fronts[0]["title"] == '"Basecamp privacy policy"'
    assert fronts[10]["title"] == '"Privacy policy"'
    last = (repo.path / TARGET).read_text(encoding="utf-8")
    assert "description:" not in last and "layout: sheet" not in git(
        repo.path, "show", f"{commits[0]['commit']}:{TARGET}"
    )
    body = last.split("---\n", 2)[2]
    source_text = read_source_text((Path(__file__).parent / "fixtures/basecamp" / STATES[10]["file"]).read_bytes(), "x")
    assert body == "\n" + source_text.body
    assert body.startswith("\n# Privacy policy\n\n*Last updated: April 20, 2023*")


def test_the_import_says_what_it_made_and_what_sites_yml_needs(imported: tuple[PolicyRepo, str]) -> None:
    _, out = imported
    assert out.startswith(f"imported {SOURCE_FILE} from ")
    assert "made 11 commits on the current branch (to undo them: git reset --keep " in out
    # sites.yml of this repository names the policy already: nothing to add
    assert "Sites basecamp publish 'privacy' in 'en': run smops-policy check, then build" in out


def test_a_site_that_does_not_list_the_policy_is_told_what_to_add(tmp_path: Path, source: Path) -> None:
    repo = PolicyRepo(tmp_path / "repo")
    repo.write("policies/sites.yml", SITES_YML)
    repo.commit("Sites", "2018-01-01T10:00:00+01:00")
    result = repo.smops(
        "import", "--from", str(source), "--file", SOURCE_FILE, "--policy", "basecamp-privacy", "--lang", "en"
    )
    assert result.returncode == 0, result.stderr
    assert "no Site publishes it yet: in policies/sites.yml, add 'basecamp-privacy' to the policies" in result.stdout
    assert "      policies: [privacy, basecamp-privacy]" in result.stdout
    assert (repo.path / "policies/basecamp-privacy/en.md").is_file()
    repo.repo.close()


def test_renames_are_followed_through_a_commit_and_through_a_merged_branch(imported: tuple[PolicyRepo, str]) -> None:
    repo, out = imported
    paths = [re.search(r"Source: (\S+) at commit", c["body"]).group(1) for c in log(repo)]  # type: ignore[union-attr]
    assert paths == [state["path"] for state in STATES]
    assert paths[3:5] == ["privacy/privacy-policy.md"] * 2 and paths[5] == "privacy/index.md"
    assert "(privacy/privacy-policy.md, 2018-12-14)" in out


def test_a_whitespace_only_change_makes_no_version_and_a_new_title_does(repo: PolicyRepo, tmp_path: Path) -> None:
    text = "---\ntitle: Terms\n---\n\n# Terms\n\nLast updated: 2021-03-01\n\nWe keep your data for one year.\n"
    rewrapped = text.replace("for one year.", "for\n   one   year.\n")
    changed = text.replace("2021-03-01", "2022-03-01").replace("one year", "two years")
    retitled = changed.replace("title: Terms", "title: Terms of use")
    source = tmp_path / "source"
    texts = [(text, "First"), (rewrapped, "Re-wrap"), (changed, "Two years"), (retitled, "Title")]
    commits = fictional_source(source, texts)
    result = repo.smops("import", "--from", str(source), "--file", "terms.md", "--policy", "privacy", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert (
        "3 versions from 4 commits that changed it (1 changed only whitespace or the source's own front matter)"
        in result.stdout
    )
    assert f"then {commits[1][:12]}: the same title and text, whitespace aside: no new version" in result.stdout
    fronts = [front(repo, c["commit"]) for c in log(repo)]
    assert [f["version"] for f in fronts] == ['"1.0"', '"1.1"', '"1.2"']
    assert [f["title"] for f in fronts] == ['"Terms"', '"Terms"', '"Terms of use"']
    # the retitled text still says 2022-03-01: its commit's date (2024-01-04) is taken instead
    assert [f["effective"] for f in fronts] == ["2021-03-01", "2022-03-01", "2024-01-04"]


def fictional_source(path: Path, texts: list[tuple[str, str]], *, name: str = "terms.md") -> list[str]:
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Fictional Example")
    git(path, "config", "user.email", "legal@example.invalid")
    commits = []
    for day, (text, message) in enumerate(texts, start=1):
        (path / name).write_text(text, encoding="utf-8")
        when = f"2024-01-{day:02d}T10:00:00+01:00"
        git(path, "add", name)
        git(path, "commit", "-q", "-m", message, author=when, committer=when)
        commits.append(git(path, "rev-parse", "HEAD").strip())
    return commits


def test_a_dutch_text_dated_with_dutch_month_names(tmp_path: Path) -> None:
    repo = PolicyRepo(tmp_path / "repo")
    repo.write("policies/sites.yml", SITES_YML.replace("source_language: en", "source_language: nl"))
    repo.commit("Sites", "2018-01-01T10:00:00+01:00")
    texts = [
        ("# Privacyverklaring\n\n*Laatst bijgewerkt: 25 mei 2018*\n\nWij bewaren uw gegevens.\n", "Eerste versie"),
        ("# Privacyverklaring\n\nIngangsdatum: 3 okt. 2019\n\nWij bewaren uw gegevens kort.\n", "Korter"),
    ]
    fictional_source(tmp_path / "source", texts, name="privacy.md")
    result = repo.smops(
        "import", "--from", str(tmp_path / "source"), "--file", "privacy.md", "--policy", "privacy", "--lang", "nl"
    )
    assert result.returncode == 0, result.stderr
    nl = "policies/privacy/nl.md"
    assert [front(repo, c["commit"], nl)["effective"] for c in log(repo, nl)] == ["2018-05-25", "2019-10-03"]
    repo.repo.close()


# ---------------------------------------------------------------------------- refusals


def test_an_existing_policy_is_never_overwritten(repo: PolicyRepo, source: Path) -> None:
    repo.write(TARGET, '---\ntitle: Ours\nversion: "1.0"\neffective: 2020-01-01\nsummary: Ours.\n---\n\n1. Ours.\n')
    repo.commit("Our own policy", "2020-01-01T10:00:00+01:00")
    before, text = head(repo), (repo.path / TARGET).read_bytes()
    result = import_basecamp(repo, source)
    assert result.returncode == 1
    no_traceback(result)
    assert result.stderr.startswith(f"{TARGET}:1: exists already: import makes a policy's whole history")
    assert "(import under another --policy id" in result.stderr
    assert head(repo) == before and (repo.path / TARGET).read_bytes() == text


def test_a_path_that_had_a_policy_before_is_refused_too(repo: PolicyRepo, source: Path) -> None:
    repo.write(TARGET, '---\ntitle: Ours\nversion: "1.0"\neffective: 2020-01-01\nsummary: Ours.\n---\n\n1. Ours.\n')
    repo.commit("Our own policy", "2020-01-01T10:00:00+01:00")
    git(repo.path, "rm", "-q", TARGET)
    removed = repo.commit("Removed", "2020-02-01T10:00:00+01:00")
    before = head(repo)
    result = import_basecamp(repo, source)
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"{TARGET}: had a policy already, removed in commit {removed[:12]} (import under another --policy id"
    )
    assert head(repo) == before and not (repo.path / TARGET).exists()


def test_a_dirty_working_tree_is_refused(repo: PolicyRepo, source: Path) -> None:
    sites = repo.path / "policies/sites.yml"
    sites.write_text(sites.read_text(encoding="utf-8") + "# an edit in progress\n", encoding="utf-8")
    before = head(repo)
    result = import_basecamp(repo, source)
    assert result.returncode == 1
    no_traceback(result)
    assert result.stderr.startswith(f"{repo.path}: has uncommitted changes (policies/sites.yml): import makes commits")
    assert "(commit those changes first" in result.stderr
    assert head(repo) == before and not (repo.path / TARGET).exists()
    assert sites.read_text(encoding="utf-8").endswith("# an edit in progress\n")


def test_a_git_failure_while_committing_leaves_the_branch_and_tree_as_they_were(
    repo: PolicyRepo, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No identity anywhere: git refuses to make a commit, as it would on a fresh machine.
    git(repo.path, "config", "--unset", "user.name")
    git(repo.path, "config", "--unset", "user.email")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    before = head(repo)
    result = import_basecamp(repo, source)
    assert result.returncode == 1
    no_traceback(result)
    assert result.stderr.startswith(f"{repo.path}: git could not make the import's commits (git commit-tree")
    assert "nothing was written: the branch and the working tree are as they were" in result.stderr
    assert head(repo) == before and not (repo.path / TARGET).exists()
    assert git(repo.path, "status", "--porcelain").strip() == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policy", "Privacy Policy"], "policies/Privacy Policy/en.md: --policy 'Privacy Policy' is not a policy id"),
        (["--lang", "english"], "policies/privacy/english.md: --lang 'english' is not a language code"),
        (["--file", "privacy/nothing.md"], "privacy/nothing.md: is not a file in that repository's HEAD"),
    ],
)
def test_bad_arguments_are_named_with_what_to_do(repo: PolicyRepo, source: Path, args: list[str], message: str) -> None:
    given = {"--file": SOURCE_FILE, "--policy": "privacy", "--lang": "en"}
    given.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = repo.smops("import", "--from", str(source), *[x for pair in given.items() for x in pair])
    assert result.returncode == 1
    no_traceback(result)
    assert message in result.stderr and "(" in result.stderr
    assert not (repo.path / "policies/privacy/en.md").exists()


def test_a_source_that_is_not_a_repository(repo: PolicyRepo, tmp_path: Path) -> None:
    result = import_basecamp(repo, tmp_path)
    assert result.returncode == 1
    no_traceback(result)
    assert result.stderr.startswith(f"{tmp_path}: is not a git repository (pass --from the folder of a clone")


# ---------------------------------------------------------------------------- --versions


def test_a_versions_file_numbers_the_versions_it_names_and_the_rest_follow(
    repo: PolicyRepo, source: Path, tmp_path: Path
) -> None:
    commits = git(source, "log", "--first-parent", "--format=%H", "--reverse").split()
    mapping = tmp_path / "versions.yml"
    mapping.write_text(f'# GDPR made it 2.0\n{commits[1][:7]}: "2.0"\n{commits[5]}: "3.0"\n', encoding="utf-8")
    result = import_basecamp(repo, source, "--versions", str(mapping))
    assert result.returncode == 0, result.stderr
    numbers = [front(repo, c["commit"])["version"].strip('"') for c in log(repo)]
    assert numbers == ["1.0", "2.0", "2.1", "2.2", "2.3", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('deadbee: "2.0"\n', ":1: commit deadbee starts no version of the import (use a source commit as --dry-run"),
        ('{second}: "2.0"\n{third}: "1.5"\n', ":2: version 1.5 for commit {third12} is not higher than 2.0"),
        ("{second}: two\n", ":1: 'two' is not a version number"),
        ("not-hex: 2.0\n", ":1: 'not-hex' is not a commit id"),
    ],
)
def test_a_wrong_versions_file_is_named_with_its_line(
    repo: PolicyRepo, source: Path, tmp_path: Path, lines: str, message: str
) -> None:
    commits = git(source, "log", "--first-parent", "--format=%H", "--reverse").split()
    values = {"second": commits[1][:9], "third": commits[2][:9], "third12": commits[2][:12]}
    mapping = tmp_path / "versions.yml"
    mapping.write_text(lines.format(**values), encoding="utf-8")
    before = head(repo)
    result = import_basecamp(repo, source, "--versions", str(mapping))
    assert result.returncode == 1
    no_traceback(result)
    assert result.stderr.startswith(f"{mapping}{message.format(**values)}"), result.stderr
    assert head(repo) == before


# ---------------------------------------------------------------------------- pure rules


@pytest.mark.parametrize(
    ("line", "lang", "date"),
    [
        ("*Last updated: May 25, 2018*", "en", "2018-05-25"),
        ("Last updated: May 25th, 2018", "en", "2018-05-25"),
        ("Effective date: 25 May 2018", "en", "2018-05-25"),
        ("**Effective:** 2018-05-25", "en", "2018-05-25"),
        ("Effective as of Sept 3, 2019", "en", None),  # 'Sept' is no month name babel knows in English
        ("Effective as of Sep 3, 2019", "en", "2019-09-03"),
        ("_Last updated: [July 18, 2022](https://example.invalid/post)_", "en", "2022-07-18"),
        ("Laatst bijgewerkt: 25 mei 2018", "nl", "2018-05-25"),
        ("Van kracht per 1 januari 2020", "nl", "2020-01-01"),
        ("Last updated: 25 mei 2018", "en", None),  # Dutch month names only for a Dutch text
        ("Last updated: February 30, 2020", "en", None),  # no such day
        ("We updated this policy on May 25, 2018.", "en", None),  # no label: a sentence, not a date line
    ],
)
def test_the_date_a_text_states(line: str, lang: str, date: str | None) -> None:
    text = SourceText("T", f"# T\n\nSome words.\n\n{line}\n", 5)
    found = stated_date(text, lang)
    assert (found.date.isoformat() if found else None) == date
    if found:
        assert found.line == 9


def test_an_effective_date_that_does_not_increase_falls_back_and_says_why() -> None:
    text = SourceText("T", "Last updated: May 24, 2018\n", 3)
    stated = stated_date(text, "en")
    previous = dt.date(2018, 5, 24)
    on_commit = choose_effective(stated, dt.date(2018, 10, 22), previous)
    assert on_commit.date == dt.date(2018, 10, 22) and on_commit.source == "the commit date"
    assert on_commit.fallback == "the text's date 2018-05-24 (line 3) is not after the previous version's 2018-05-24"
    same_day = choose_effective(stated, dt.date(2018, 5, 24), previous)
    assert same_day.date == dt.date(2018, 5, 25) and same_day.source == "the day after the previous version's date"
    first = choose_effective(stated, dt.date(2018, 10, 22), None)
    assert first.date == dt.date(2018, 5, 24) and first.fallback == ""


@pytest.mark.parametrize(
    ("message", "summary"),
    [
        ("Update privacy policy for GDPR\n\n* Enumerate rights\n", "Update privacy policy for GDPR"),
        ("Merge pull request #143 from basecamp/ampersand-edits\n\nAmpersand edits\n", "Ampersand edits"),
        ("Merge pull request #35 from basecamp/policy-consolidation\n\n", "Policy consolidation (pull request #35)"),
        ("Tabs\tand\x07bells\n", "Tabs and bells"),
    ],
)
def test_the_summary_is_the_commit_subject(message: str, summary: str) -> None:
    assert summary_of(message) == summary


def test_the_source_front_matter_is_dropped_and_its_title_kept() -> None:
    jekyll = b"---\ntitle: Privacy policy\ndescription: It is your data.\n---\n\n# Privacy policy\n\nText.\n"
    text = read_source_text(jekyll, "x")
    assert (text.title, text.body, text.body_line) == ("Privacy policy", "# Privacy policy\n\nText.\n", 6)
    setext = read_source_text(b"Terms of *Service*\n==================\n\nText.\n", "x")
    assert setext.title == "Terms of Service"
    anchors = read_source_text(b"---\ntitle: &t Privacy\nalias: *t\n---\n## Heading\n", "x")
    assert anchors.title == "&t Privacy"  # YAML we refuse to load still gives its title line


# ---------------------------------------------------------------------------- the imported policy, published
# Basecamp's text has #/##/### headings, unnumbered paragraphs and bullets: `check` and `build` accept
# it once the real-document model (issue 16, items 1 to 4) is merged; `versions` and `diff` read it already.

AS_OF = "2026-11-25"


def test_the_imported_history_passes_check(imported: tuple[PolicyRepo, str]) -> None:
    repo, _ = imported
    result = repo.smops("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: no problems")


def test_versions_lists_the_eleven_versions_with_their_dates(imported: tuple[PolicyRepo, str]) -> None:
    repo, _ = imported
    result = repo.smops("versions", "privacy", "--as-of", AS_OF, "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["version"], r["effective"]) for r in rows] == [(n, e) for n, e, _ in EXPECTED]
    assert [r["status"] for r in rows] == ["superseded"] * 10 + ["in-force"]
    assert rows[1]["summary"] == "Update privacy policy for GDPR"


def test_the_imported_history_builds_a_page_per_version_and_redlines(
    imported: tuple[PolicyRepo, str], tmp_path: Path
) -> None:
    repo, _ = imported
    out = tmp_path / "site"
    result = repo.smops("build", "--as-of", AS_OF, "--output", str(out))
    assert result.returncode == 0, result.stderr
    policy = out / "basecamp" / "en" / "privacy"
    current = (policy / "index.html").read_text(encoding="utf-8")
    assert "Changes and questions" in current and "Last updated: April 20, 2023" in current
    for number, _, _ in EXPECTED:
        assert (policy / number / "index.html").is_file(), number
    assert (policy / "changes" / "1.9...1.10" / "index.html").is_file()
    published = json.loads((out / "basecamp" / "versions.json").read_text(encoding="utf-8"))
    assert published["policies"]["privacy"]["en"]["in_force"] == "1.10"


def test_diff_between_consecutive_versions_shows_renamed_headings(imported: tuple[PolicyRepo, str]) -> None:
    repo, _ = imported
    result = repo.smops("diff", "privacy", "1.9", "1.10")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # "Identity & access" and "Changes & questions" became "... and ...": the same sections, renamed
    assert re.search(r"^#+ Identity \[-&-\] \{\+and\+\} access  \(heading changed\)$", out, re.MULTILINE), out
    assert re.search(r"^#+ Changes \[-&-\] \{\+and\+\} questions  \(heading changed\)$", out, re.MULTILINE)
    removed = repo.smops("diff", "privacy", "1.7", "1.8")  # the Privacy Shield sections went
    assert removed.returncode == 0, removed.stderr
    assert "deleted" in removed.stdout and "Privacy Shield" in removed.stdout


def test_diff_between_distant_versions_counts_insertions_and_deletions(imported: tuple[PolicyRepo, str]) -> None:
    repo, _ = imported
    result = repo.smops("diff", "privacy", "1.0", "1.10", "--format", "json")
    assert result.returncode == 0, result.stderr
    text = repo.smops("diff", "privacy", "1.0", "1.10").stdout
    counts = re.match(r"(\d+) changed, (\d+) inserted, (\d+) deleted, (\d+) moved", text)
    assert counts is not None, text[:200]
    assert int(counts.group(2)) > 10 and int(counts.group(3)) > 0
    assert "When transferring personal data from the EU" in text


def test_titles_and_summaries_with_yaml_characters_are_written_as_text(repo: PolicyRepo, tmp_path: Path) -> None:
    text = '---\ntitle: "Terms: \\"Ours\\" & <b>more</b> #1"\n---\n\n## Scope\n\n1. We keep your data for a year.\n'
    fictional_source(tmp_path / "source", [(text, 'Fix: "quotes" --- and {{ site.name }}\n\nbody')])
    result = repo.smops(
        "import", "--from", str(tmp_path / "source"), "--file", "terms.md", "--policy", "privacy", "--lang", "en"
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(repo.smops("versions", "privacy", "--as-of", AS_OF, "--json", check=True).stdout)
    assert rows[0]["title"] == 'Terms: "Ours" & <b>more</b> #1'
    assert rows[0]["summary"] == 'Fix: "quotes" --- and {{ site.name }}'


def test_the_undo_the_output_gives_restores_the_repository(repo: PolicyRepo, source: Path) -> None:
    before = head(repo)
    result = import_basecamp(repo, source)
    assert result.returncode == 0, result.stderr
    undo = re.search(r"\(to undo them: (git reset --keep [0-9a-f]{12})\)", result.stdout)
    assert undo is not None and before.startswith(undo.group(1).split()[-1])
    git(repo.path, *undo.group(1).split()[1:])
    assert head(repo) == before and not (repo.path / TARGET).exists()
    assert git(repo.path, "status", "--porcelain", "--untracked-files=no") == ""


def test_a_repository_without_commits_gets_the_history_as_its_first_commits(
    policy_repo: PolicyRepo, source: Path
) -> None:
    result = import_basecamp(policy_repo, source)  # sites.yml is written there, not committed
    assert result.returncode == 0, result.stderr
    assert "(to undo them: git update-ref -d HEAD && git rm --cached -q policies/privacy/en.md)" in result.stdout
    assert len(log(policy_repo)) == 11
    assert git(policy_repo.path, "rev-list", "--count", "HEAD").strip() == "11"
    assert git(policy_repo.path, "status", "--porcelain", "--untracked-files=no") == ""
    assert "Sites alpha, beta publish 'privacy' in 'en'" in result.stdout


def test_a_file_where_the_policy_folder_goes_is_refused_before_anything_is_written(
    repo: PolicyRepo, source: Path
) -> None:
    (repo.path / "policies/privacy").write_text("notes, not a folder\n", encoding="utf-8")  # untracked
    before = head(repo)
    result = import_basecamp(repo, source)
    assert result.returncode == 1
    no_traceback(result)
    assert result.stderr.startswith(
        "policies/privacy: is a file where the import needs a folder for policies/privacy/en.md"
    )
    assert head(repo) == before
    assert (repo.path / "policies/privacy").read_text(encoding="utf-8") == "notes, not a folder\n"


def test_a_shallow_source_clone_is_refused(repo: PolicyRepo, source: Path, tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{source}", str(shallow))
    result = import_basecamp(repo, shallow)
    assert result.returncode == 1
    no_traceback(result)
    assert result.stderr.startswith(f"{shallow}: is a shallow clone: its older versions are missing")
    assert "(run 'git fetch --unshallow' there)" in result.stderr


def test_a_missing_versions_file_is_named(repo: PolicyRepo, source: Path, tmp_path: Path) -> None:
    missing = tmp_path / "versions.yml"
    result = import_basecamp(repo, source, "--versions", str(missing))
    assert result.returncode == 1
    no_traceback(result)
    assert result.stderr == f"{missing}: cannot be read: No such file or directory (pass --versions an existing file)\n"


def test_the_command_as_a_process_says_what_it_would_make_and_exits_0(repo: PolicyRepo, source: Path) -> None:
    result = repo.smops(
        "import", "--from", str(source), "--file", SOURCE_FILE, "--policy", "privacy", "--lang", "en", "--dry-run",
        process=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.count(" effective 20") == 11
