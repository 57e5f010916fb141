"""Issue 13: ordinary git workflows (merges, conflicts, reverts, withdrawals, copies) publish what git says.

Every test makes a real repository with branches and merges at fixed dates, runs the real command line,
and reads what a visitor or a Site would read: `versions --json`, the built pages, the changelog and the
feed. Where history holds a mistake, the test follows the hint of the error and shows `check` and
`build` passing afterwards.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from typing import TYPE_CHECKING

import feedparser

from .gitsteps import errors, git, git_command_in_hint, head, numbers, one_site, passes, text, versions

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import PolicyRepo

EN = "policies/privacy/en.md"


def page(out: Path, *parts: str) -> str:
    """A built page's text as read: tags gone, whitespace folded."""
    source = (out.joinpath("alpha", "en", *parts) / "index.html").read_text(encoding="utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", source)).split())


def start(repo: PolicyRepo) -> None:
    """Version 1.0 in force since 2020 on the one Site alpha, in English."""
    one_site(repo)
    repo.write(EN, text("1.0", "2020-01-01", "We keep your records safe."))
    repo.commit("Privacy policy 1.0", "2019-12-01T10:00:00+01:00")


def test_a_version_made_in_the_merge_commit_itself_is_published(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    start(repo)
    git(repo, "checkout", "-q", "-b", "retention")
    repo.write(EN, text("1.1", "2024-06-01", "We keep your records safe.", "We keep records for a year."))
    repo.commit("1.1: retention", "2024-04-01T10:00:00+02:00")
    git(repo, "checkout", "-q", "main")
    repo.write("README.md", "Fictional repository.\n")
    repo.commit("Readme", "2024-04-02T10:00:00+02:00")
    # the reviewer resolves the merge to 1.2, a change made in the merge commit itself
    git(repo, "merge", "--no-ff", "--no-commit", "retention", when="2024-05-01T10:00:00+02:00")
    repo.write(EN, text("1.2", "2024-06-01", "We keep your records safe.", "We keep records for six months."))
    git(repo, "add", EN)
    git(repo, "commit", "--no-edit", when="2024-05-01T10:00:00+02:00")
    merge = head(repo)
    assert len(git(repo, "rev-list", "--parents", "-n1", "HEAD").split()) == 3  # a real merge commit

    out = tmp_path / "out"
    passes(repo, out, "2024-07-01")
    rows = versions(repo, "2024-07-01")
    assert [(r["version"], r["status"]) for r in rows] == [("1.0", "superseded"), ("1.2", "in-force")]
    assert rows[1]["commit"] == merge
    committed = git(repo, "show", f"{merge}:{EN}").encode()
    assert rows[1]["sha256"] == hashlib.sha256(committed).hexdigest()
    current = page(out, "privacy")
    assert "We keep records for six months." in current and "for a year" not in current
    assert not (out / "alpha" / "en" / "privacy" / "1.1").exists()  # 1.1 was never on main


def conflicting_branches(repo: PolicyRepo) -> None:
    """1.2 committed first on one branch, 1.1 later on another, both editing the same line."""
    start(repo)
    git(repo, "checkout", "-q", "-b", "big-change")
    repo.write(EN, text("1.2", "2024-09-01", "We keep your records safe for good."))
    repo.commit("1.2", "2024-01-10T10:00:00+01:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "small-change")
    repo.write(EN, text("1.1", "2024-06-01", "We keep your records safe and sound."))
    repo.commit("1.1", "2024-02-10T10:00:00+01:00")
    git(repo, "checkout", "-q", "main")


def merge_resolving(repo: PolicyRepo, branch: str, resolution: str | None, when: str) -> None:
    """Merge `branch` into main; a conflict (expected only with a `resolution`) is resolved to it."""
    result = git(repo, "merge", "--no-ff", "--no-edit", branch, when=when, check=False)
    if "CONFLICT" in result:
        assert resolution is not None, result
        repo.write(EN, resolution)
        git(repo, "add", EN)
        git(repo, "commit", "--no-edit", when=when)


def test_conflicting_branches_merged_in_order_of_their_versions(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    conflicting_branches(repo)
    merge_resolving(repo, "small-change", None, "2024-03-01T10:00:00+01:00")
    merge_resolving(
        repo,
        "big-change",
        text("1.2", "2024-09-01", "We keep your records safe for good."),
        "2024-03-05T10:00:00+01:00",
    )
    out = tmp_path / "out"
    passes(repo, out, "2024-07-01")
    assert numbers(repo, "2024-07-01") == ["1.0", "1.1", "1.2"]
    repo.write(EN, text("1.4", "2025-01-01", "We keep your records safe, always."))
    repo.commit("1.4", "2024-10-01T10:00:00+02:00")
    passes(repo, out, "2025-02-01")
    assert numbers(repo, "2025-02-01") == ["1.0", "1.1", "1.2", "1.4"]


def test_conflicting_branches_where_the_merge_takes_back_an_upcoming_version(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    repo = policy_repo
    conflicting_branches(repo)
    merge_resolving(repo, "big-change", None, "2024-03-01T10:00:00+01:00")  # main now says 1.2, from September
    merge_resolving(  # the reviewer keeps 1.1: 1.2 is withdrawn before it took effect
        repo,
        "small-change",
        text("1.1", "2024-06-01", "We keep your records safe and sound."),
        "2024-03-05T10:00:00+01:00",
    )
    out = tmp_path / "out"
    passes(repo, out, "2024-07-01")
    assert [(r["version"], r["status"]) for r in versions(repo, "2024-07-01")] == [
        ("1.0", "superseded"),
        ("1.1", "in-force"),
    ]
    changelog = page(out, "changelog")
    assert "Sample Policy 1.2 withdrawn on 5 March 2024: it will not take effect" in changelog
    feed = feedparser.parse((out / "alpha" / "en" / "feed.atom").read_text(encoding="utf-8"))
    assert feed.bozo == 0
    entries = {entry.title: entry for entry in feed.entries}
    withdrawn = entries["Sample Policy 1.2 withdrawn on 5 March 2024: it will not take effect"]
    assert withdrawn.id == "tag:alpha.example,2024-03-05:alpha/en/privacy/1.2/withdrawn"
    assert withdrawn.link == "https://alpha.example/en/changelog/"  # 1.2 has no page: the changelog says why
    announced = entries["Sample Policy 1.2 published: it takes effect on 1 September 2024"]  # as readers saw it
    assert announced.id == "tag:alpha.example,2024-03-01:alpha/en/privacy/1.2/published"
    assert not (out / "alpha" / "en" / "privacy" / "1.2").exists()

    repo.write(EN, text("1.4", "2025-01-01", "We keep your records safe, always."))
    repo.commit("1.4", "2024-10-01T10:00:00+02:00")
    passes(repo, out, "2025-02-01")
    assert numbers(repo, "2025-02-01") == ["1.0", "1.1", "1.4"]


def test_a_reverted_edit_of_the_text_in_force_is_no_change(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    start(repo)
    original = head(repo)
    repo.write(EN, text("1.0", "2020-01-01", "We keep your records somewhere."))
    accident = repo.commit("Accidental edit", "2024-01-10T10:00:00+01:00")
    [problem] = errors(repo)
    assert problem.startswith(
        f"{EN}:3: version 1.0 took effect on 2020-01-01 but its text was changed in commit {accident[:12]} on 2024-01-10"
    )
    assert f"git revert --no-edit {accident[:12]}" in problem
    git(repo, *git_command_in_hint(problem), when="2024-01-11T10:00:00+01:00")  # follow the hint

    out = tmp_path / "out"
    assert passes(repo, out, "2024-02-01") == []  # a reverted edit is no change: not even a warning
    repo.write(EN, text("1.1", "2024-06-01", "We keep your records safe.", "We delete them after a year."))
    repo.commit("1.1", "2024-02-01T10:00:00+01:00")
    passes(repo, out, "2024-07-01")
    [v10, v11] = versions(repo, "2024-07-01")
    assert (v10["version"], v11["version"]) == ("1.0", "1.1")
    first = git(repo, "show", f"{original}:{EN}").encode()
    assert v10["sha256"] == hashlib.sha256(first).hexdigest()  # the text it took effect with
    assert "We keep your records safe." in page(out, "privacy", "1.0")


def test_a_changed_text_in_force_given_a_new_version_number_as_the_hint_says(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    repo = policy_repo
    start(repo)
    repo.write(EN, text("1.0", "2020-01-01", "We keep your records somewhere."))
    accident = repo.commit("Edit in force", "2024-01-10T10:00:00+01:00")
    [problem] = errors(repo)
    assert "give it a new version number (higher than 1.0)" in problem
    repo.write(EN, text("1.1", "2024-02-01", "We keep your records somewhere."))
    fix = repo.commit("1.1", "2024-01-12T10:00:00+01:00")
    warnings = passes(repo, tmp_path / "out", "2024-03-01")
    assert warnings == [
        f"{EN}: warning: version 1.0 took effect on 2020-01-01 but its text was changed in commit {accident[:12]} on "
        f"2024-01-10; version 1.1 (commit {fix[:12]}) has superseded it since, so the page of version 1.0 shows the "
        "changed text (nothing to do: no later commit can take it back)"
    ]
    assert repo.smops("check", "--strict").returncode == 1


def test_a_reverted_version_bump_is_withdrawn_and_the_next_version_follows(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    repo = policy_repo
    start(repo)
    repo.write(EN, text("1.1", "2024-06-01", "We keep your records safe.", "We sell nothing."))
    bump = repo.commit("1.1", "2024-01-10T10:00:00+01:00")
    git(repo, "revert", "--no-edit", bump, when="2024-01-20T10:00:00+01:00")
    repo.write(EN, text("1.2", "2024-06-01", "We keep your records safe.", "We sell nothing, ever."))
    repo.commit("1.2", "2024-02-01T10:00:00+01:00")
    out = tmp_path / "out"
    passes(repo, out, "2024-07-01")
    assert numbers(repo, "2024-07-01") == ["1.0", "1.2"]
    assert "Sample Policy 1.1 withdrawn on 20 January 2024: it will not take effect" in page(out, "changelog")
    history = page(out, "privacy", "history")
    assert "1.2 1 June 2024 In force" in history and "1.1" not in history


def test_a_version_reverted_after_it_took_effect_is_an_error_until_a_higher_version(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    repo = policy_repo
    start(repo)
    repo.write(EN, text("1.1", "2024-06-01", "We keep your records safe.", "We sell nothing."))
    repo.commit("1.1", "2024-01-10T10:00:00+01:00")
    git(repo, "revert", "--no-edit", "HEAD", when="2024-07-01T10:00:00+02:00")  # too late: 1.1 is in force
    revert = head(repo)
    [problem] = errors(repo)
    assert problem == (
        f"{EN}:3: version 1.0 comes back in commit {revert[:12]} after version 1.1 took effect on 2024-06-01: a version "
        "in force cannot be taken back (give this text a new version number higher than 1.1 (e.g. 1.2) with an "
        "effective date after 2024-06-01)"
    )
    assert repo.smops("build", "--as-of", "2024-07-02", "--output", str(tmp_path / "out")).returncode == 1
    repo.write(EN, text("1.2", "2024-08-01", "We keep your records safe."))  # follow the hint
    repo.commit("1.2", "2024-07-02T10:00:00+02:00")
    warnings = passes(repo, tmp_path / "out", "2024-08-01")
    assert len(warnings) == 1 and "commit" in warnings[0] and "repaired it with version 1.2" in warnings[0]
    assert [(r["version"], r["status"]) for r in versions(repo, "2024-08-01")] == [
        ("1.0", "superseded"),
        ("1.1", "superseded"),
        ("1.2", "in-force"),
    ]


def test_a_policy_removed_but_still_listed_is_an_error_until_withdrawn_in_sites_yml(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    repo = policy_repo
    one_site(repo, policies="privacy, terms")
    repo.write(EN, text("1.0", "2020-01-01", "We keep your records safe."))
    repo.write("policies/terms/en.md", text("1.0", "2020-01-01", "Use the service kindly."))
    repo.commit("Two policies", "2019-12-01T10:00:00+01:00")
    out = tmp_path / "out"
    passes(repo, out, "2024-01-01")
    assert (out / "alpha" / "en" / "privacy" / "index.html").is_file()
    git(repo, "rm", "-q", "-r", "policies/privacy")
    removal = repo.commit("Withdraw the privacy policy", "2024-03-01T10:00:00+01:00")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    [problem] = errors(repo)
    assert problem == (
        f"policies/sites.yml:9: Site 'alpha' lists policy 'privacy', but policies/privacy/ was removed in commit "
        f"{removal[:12]} on 2024-03-01 (remove it from the Site's policies to withdraw it, or restore it with git "
        f"revert --no-edit {removal[:12]})"
    )
    lines = (repo.path / "policies/sites.yml").read_text(encoding="utf-8").splitlines()
    assert lines[9 - 1] == "    policies: [privacy, terms]"
    result = repo.smops("build", "--as-of", "2024-03-02", "--output", str(out))
    assert result.returncode == 1 and problem in result.stderr
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before  # the last good output stays
    one_site(repo, policies="terms")  # follow the hint
    repo.commit("Withdraw it from the Site", "2024-03-01T11:00:00+01:00")
    passes(repo, out, "2024-03-02")
    assert (out / "alpha" / "en" / "terms" / "index.html").is_file()
    # its addresses stay, as an archive that says since when it no longer applies
    notice = "This policy was withdrawn on 1 March 2024. It no longer applies."
    front = page(out, "privacy")
    assert notice in front and "1.0 · 1 January 2020 · Withdrawn" in front
    permalink = page(out, "privacy", "1.0")
    assert notice in permalink and "We keep your records safe." in permalink and "In force" not in permalink
    assert "Withdrawn" in page(out, "privacy", "history")
    index = json.loads((out / "alpha" / "versions.json").read_text(encoding="utf-8"))
    assert list(index["policies"]) == ["terms"]  # versions.json lists what the Site publishes


def test_a_removed_translation_names_the_languages_line(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    repo.write("policies/sites.yml", ONE_SITE_NL)
    repo.write(EN, text("1.0", "2020-01-01", "We keep your records safe."))
    repo.write("policies/privacy/nl.md", text("1.0", "2020-01-01", "Wij bewaren uw gegevens veilig."))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    git(repo, "rm", "-q", "policies/privacy/nl.md")
    removal = repo.commit("Drop the Dutch text", "2024-03-01T10:00:00+01:00")
    [problem] = errors(repo)
    assert problem.startswith(
        f"policies/sites.yml:8: Site 'alpha' publishes policy 'privacy' in 'nl', but policies/privacy/nl.md was "
        f"removed in commit {removal[:12]} on 2024-03-01 (remove 'nl' from the Site's languages"
    )
    repo.write("policies/sites.yml", ONE_SITE_NL.replace("[en, nl]", "[en]"))  # follow the hint
    repo.commit("Withdraw the Dutch text", "2024-03-01T11:00:00+01:00")
    passes(repo, tmp_path / "out", "2024-03-02")
    assert not (tmp_path / "out" / "alpha" / "nl").exists()


ONE_SITE_NL = """\
timezone: Europe/Amsterdam
source_language: en
sites:
  alpha:
    name: Alpha Example
    url: https://alpha.example/
    support_url: https://alpha.example/help
    languages: [en, nl]
    policies: [privacy]
"""


def test_a_new_policy_copied_from_another_starts_its_own_history(three_versions: PolicyRepo, tmp_path: Path) -> None:
    repo = three_versions
    privacy = (repo.path / EN).read_text(encoding="utf-8")
    cookies = (
        privacy.replace('version: "2.0"', 'version: "1.0"')
        .replace("effective: 2031-01-01", "effective: 2026-12-01")
        .replace("title: Sample Policy", "title: Cookie Policy")
        .replace("We tell you about changes by email.", "We set no cookies.")
    )
    repo.write("policies/cookies/en.md", cookies)
    repo.write("policies/cookies/nl.md", cookies.replace("title: Cookie Policy", "title: Cookiebeleid"))
    sites = (repo.path / "policies/sites.yml").read_text(encoding="utf-8").replace("[privacy]", "[privacy, cookies]")
    repo.write("policies/sites.yml", sites)
    added = repo.commit("Cookie policy, started from the privacy policy", "2026-11-10T10:00:00+01:00")
    rows = versions(repo, "2026-11-25", "cookies")
    assert [(r["version"], r["commit"], r["status"]) for r in rows] == [("1.0", added, "upcoming")]
    assert numbers(repo, "2026-11-25") == ["1.0", "1.1", "2.0"]  # the privacy policy is untouched
    passes(repo, tmp_path / "out", "2026-11-25")


def test_an_upcoming_version_rescheduled_before_the_one_in_force_is_an_error(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    repo = three_versions
    source = (repo.path / EN).read_text(encoding="utf-8")
    repo.write(EN, source.replace("effective: 2031-01-01", "effective: 2022-01-01"))
    moved = repo.commit("Reschedule 2.0", "2026-11-05T10:00:00+01:00")
    [problem] = errors(repo)
    assert problem == (
        f"{EN}:4: version 2.0 takes effect on 2022-01-01 (commit {moved[:12]}), not after version 1.1 (2023-03-01) "
        "(effective dates must increase with the versions: give version 2.0 an effective date after 2023-03-01)"
    )
    out = tmp_path / "out"
    assert repo.smops("build", "--as-of", "2026-11-25", "--output", str(out)).returncode == 1
    repo.write(EN, source.replace("effective: 2031-01-01", "effective: 2027-01-01"))  # follow the hint
    repo.commit("Reschedule 2.0 after 1.1", "2026-11-06T10:00:00+01:00")
    passes(repo, out, "2026-11-25")
    assert [(r["version"], r["effective"], r["status"]) for r in versions(repo, "2026-11-25")] == [
        ("1.0", "2020-01-01", "superseded"),
        ("1.1", "2023-03-01", "in-force"),
        ("2.0", "2027-01-01", "upcoming"),
    ]


def test_a_policy_given_a_new_id_is_renamed_not_withdrawn(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    start(repo)
    git(repo, "mv", "policies/privacy", "policies/data")
    one_site(repo, policies="data")
    repo.commit("Rename the policy", "2024-03-01T10:00:00+01:00")
    out = tmp_path / "out"
    passes(repo, out, "2024-03-02")
    assert numbers(repo, "2024-03-02", "data") == ["1.0"]
    assert (out / "alpha" / "en" / "data" / "1.0" / "index.html").is_file()
    assert not (out / "alpha" / "en" / "privacy").exists()


def test_text_in_force_changed_twice_is_restored_by_the_hints_checkout(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    start(repo)
    original = head(repo)
    repo.write(EN, text("1.0", "2020-01-01", "We keep your records somewhere."))
    first = repo.commit("Edit", "2024-01-10T10:00:00+01:00")
    repo.write(EN, text("1.0", "2020-01-01", "We keep your records somewhere else."))
    repo.commit("Edit again", "2024-01-11T10:00:00+01:00")
    [problem] = errors(repo)
    assert f"changed in commit {first[:12]} on 2024-01-10" in problem  # the commit that started it
    assert f"git checkout {original[:12]} -- {EN}, then commit" in problem
    git(repo, *git_command_in_hint(problem))  # follow the hint
    repo.commit("Restore 1.0", "2024-01-12T10:00:00+01:00")
    assert passes(repo, tmp_path / "out", "2024-02-01") == []
    assert (
        versions(repo, "2024-02-01")[0]["sha256"]
        == hashlib.sha256(git(repo, "show", f"{original}:{EN}").encode()).hexdigest()
    )


def test_a_withdrawn_version_brought_back_is_published_from_its_return(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    start(repo)
    repo.write(EN, text("1.1", "2024-06-01", "We keep your records safe.", "We sell nothing."))
    bump = repo.commit("1.1", "2024-01-10T10:00:00+01:00")
    git(repo, "revert", "--no-edit", bump, when="2024-01-20T10:00:00+01:00")
    git(repo, "revert", "--no-edit", "HEAD", when="2024-02-01T10:00:00+01:00")  # it comes back after all
    back = head(repo)
    passes(repo, tmp_path / "out", "2024-07-01")
    [_v10, v11] = versions(repo, "2024-07-01")
    assert (v11["version"], v11["commit"], v11["published"]) == ("1.1", back, "2024-02-01T10:00:00+01:00")
    changelog = page(tmp_path / "out", "changelog")
    assert "Sample Policy 1.1 withdrawn on 20 January 2024: it will not take effect" in changelog
