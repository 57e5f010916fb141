"""Issue 13: the version rules where a small slip changes what is published — numeric version order,
the instant a version takes effect (00:00 in the Site's timezone), strictly increasing effective dates,
and a file renamed more than once. Each test was checked against a planted bug (see the report)."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from .gitsteps import errors, git, numbers, one_site, passes, text, versions

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import PolicyRepo

EN = "policies/privacy/en.md"


def commit_versions(repo: PolicyRepo, *steps: tuple[str, str, str]) -> None:
    """(version, effective date, commit date) in order, each a new text."""
    for number, effective, when in steps:
        repo.write(EN, text(number, effective, f"Clause of version {number}."))
        repo.commit(number, when)


# ------------------------------------------------------------------ numeric order


def test_versions_compare_as_numbers_not_as_text(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    one_site(repo)
    commit_versions(
        repo,
        ("1.9", "2020-01-01", "2019-12-01T10:00:00+01:00"),
        ("1.10", "2021-01-01", "2020-12-01T10:00:00+01:00"),  # after 1.9 took effect: must count as higher
        ("2.0", "2022-01-01", "2021-12-01T10:00:00+01:00"),
    )
    out = tmp_path / "out"
    passes(repo, out, "2021-06-01")
    assert [(r["version"], r["status"]) for r in versions(repo, "2021-06-01")] == [
        ("1.9", "superseded"),
        ("1.10", "in-force"),
        ("2.0", "upcoming"),
    ]
    history = (out / "alpha" / "en" / "privacy" / "history" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<th scope="row"><a href="[^"]+">([\d.]+)</a>', history) == ["2.0", "1.10", "1.9"]


def test_a_third_number_sorts_between(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    one_site(repo)
    commit_versions(
        repo,
        ("1.0", "2020-01-01", "2019-12-01T10:00:00+01:00"),
        ("1.0.1", "2020-06-01", "2020-05-01T10:00:00+02:00"),
        ("1.1", "2021-01-01", "2020-12-01T10:00:00+01:00"),
        ("1.1.10", "2021-06-01", "2021-05-01T10:00:00+02:00"),
        ("1.1.9", "2021-09-01", "2021-05-02T10:00:00+02:00"),  # takes back 1.1.10 (not yet in force)
    )
    assert repo.smops("check").returncode == 0
    assert numbers(repo, "2021-07-01") == ["1.0", "1.0.1", "1.1", "1.1.9"]


def test_a_lower_number_after_a_higher_one_took_effect_is_an_error(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    one_site(repo)
    commit_versions(
        repo,
        ("1.10", "2020-01-01", "2019-12-01T10:00:00+01:00"),
        ("1.9", "2021-01-01", "2020-12-01T10:00:00+01:00"),
    )
    [problem] = errors(repo)
    assert "version 1.9 (commit" in problem and "is lower than version 1.10, which took effect on 2020-01-01" in problem
    assert "(e.g. 1.11)" in problem


# ------------------------------------------------------------------ the instant a version takes effect


def edit_in_force_at(repo: PolicyRepo, timezone: str, when: str) -> None:
    """1.0 effective 2024-03-01, its text edited by a commit at `when`."""
    one_site(repo, timezone=timezone)
    repo.write(EN, text("1.0", "2024-03-01", "We keep records for a year."))
    repo.commit("1.0", "2024-02-01T10:00:00+00:00")
    repo.write(EN, text("1.0", "2024-03-01", "We keep records for ten years."))
    repo.commit("Edit 1.0", when)


def test_a_commit_at_midnight_of_the_effective_day_is_after_it_took_effect(policy_repo: PolicyRepo) -> None:
    edit_in_force_at(policy_repo, "Europe/Amsterdam", "2024-03-01T00:00:00+01:00")
    [problem] = errors(policy_repo)
    assert "version 1.0 took effect on 2024-03-01 but its text was changed in commit" in problem
    assert " on 2024-03-01 (" in problem


def test_a_commit_one_second_before_midnight_still_edits_the_upcoming_text(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    edit_in_force_at(policy_repo, "Europe/Amsterdam", "2024-02-29T23:59:59+01:00")
    passes(policy_repo, tmp_path / "out", "2024-03-01")
    page = (tmp_path / "out" / "alpha" / "en" / "privacy" / "index.html").read_text(encoding="utf-8")
    assert "We keep records for ten years." in page


def test_midnight_is_the_sites_midnight_where_utc_is_still_the_day_before(policy_repo: PolicyRepo) -> None:
    # 00:00 on 1 March in Auckland (UTC+13) is 11:00 UTC on 29 February
    edit_in_force_at(policy_repo, "Pacific/Auckland", "2024-02-29T11:00:00+00:00")
    [problem] = errors(policy_repo)
    assert "but its text was changed in commit" in problem and " on 2024-03-01 (" in problem


def test_one_second_before_the_sites_midnight_where_utc_is_the_day_before(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    edit_in_force_at(policy_repo, "Pacific/Auckland", "2024-02-29T10:59:59+00:00")
    passes(policy_repo, tmp_path / "out", "2024-03-01")


def test_midnight_is_the_sites_midnight_where_utc_is_already_the_next_day(policy_repo: PolicyRepo) -> None:
    # 00:00 on 1 March in Los Angeles (UTC-8) is 08:00 UTC on 1 March; 07:59:59 UTC is still 29 February there
    edit_in_force_at(policy_repo, "America/Los_Angeles", "2024-03-01T08:00:00+00:00")
    assert errors(policy_repo)
    git(policy_repo, "reset", "-q", "--hard", "HEAD~1")
    policy_repo.write(EN, text("1.0", "2024-03-01", "We keep records for ten years."))
    policy_repo.commit("Edit 1.0", "2024-03-01T07:59:59+00:00")
    assert policy_repo.smops("check").returncode == 0


def test_statuses_the_day_before_of_and_after_in_auckland(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    one_site(repo, timezone="Pacific/Auckland")
    commit_versions(
        repo,
        ("1.0", "2020-01-01", "2019-12-01T10:00:00+13:00"),
        # committed at 20:00 UTC on 28 February: already 1 March in Auckland
        ("1.1", "2023-03-01", "2023-02-28T20:00:00+00:00"),
    )
    expected = {
        "2023-02-28": [("1.0", "in-force"), ("1.1", "upcoming")],
        "2023-03-01": [("1.0", "superseded"), ("1.1", "in-force")],
        "2023-03-02": [("1.0", "superseded"), ("1.1", "in-force")],
    }
    for day, statuses in expected.items():
        assert [(r["version"], r["status"]) for r in versions(repo, day)] == statuses, day
    [_old, new] = versions(repo, "2023-03-01")
    assert new["published"] == "2023-03-01T09:00:00+13:00"  # the Site's clock, not UTC's
    out = tmp_path / "out"
    passes(repo, out, "2023-02-28")
    feed = (out / "alpha" / "en" / "feed.atom").read_text(encoding="utf-8")
    assert "1.1 published" not in feed  # on 28 February in Auckland it was not committed yet
    passes(repo, out, "2023-03-01")
    feed = (out / "alpha" / "en" / "feed.atom").read_text(encoding="utf-8")
    assert "<updated>2023-03-01T00:00:00+13:00</updated>" in feed and "Sample Policy 1.1 takes effect" in feed


# ------------------------------------------------------------------ effective dates strictly increase


def test_two_versions_taking_effect_on_the_same_day_is_an_error(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    one_site(repo)
    commit_versions(
        repo,
        ("1.0", "2024-03-01", "2024-02-01T10:00:00+01:00"),
        ("1.1", "2024-03-01", "2024-02-02T10:00:00+01:00"),
    )
    [problem] = errors(repo)
    assert re.match(
        rf"{EN}:4: version 1.1 takes effect on 2024-03-01 \(commit \w{{12}}\), not after version 1.0", problem
    )
    repo.write(EN, text("1.1", "2024-03-02", "Clause of version 1.1."))
    repo.commit("1.1 a day later", "2024-02-03T10:00:00+01:00")
    passes(repo, tmp_path / "out", "2024-03-02")


def test_a_version_effective_a_day_after_the_one_before_is_fine(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    one_site(repo)
    commit_versions(
        repo,
        ("1.0", "2024-03-01", "2024-02-01T10:00:00+01:00"),
        ("1.1", "2024-03-02", "2024-02-02T10:00:00+01:00"),
    )
    assert repo.smops("check").returncode == 0
    assert [(r["version"], r["status"]) for r in versions(repo, "2024-03-01")] == [
        ("1.0", "in-force"),
        ("1.1", "upcoming"),
    ]


# ------------------------------------------------------------------ renamed more than once


def test_a_file_renamed_twice_keeps_each_versions_path_and_proof(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    one_site(repo)
    repo.write("policies/data/en.md", text("1.0", "2020-01-01", "First."))
    repo.commit("1.0 as data", "2019-12-01T10:00:00+01:00")
    git(repo, "mv", "policies/data", "policies/personal-data")
    repo.write("policies/personal-data/en.md", text("1.1", "2021-01-01", "First.", "Second."))
    repo.commit("1.1, renamed", "2020-12-01T10:00:00+01:00")
    git(repo, "mv", "policies/personal-data", "policies/privacy")
    repo.commit("Renamed again", "2021-02-01T10:00:00+01:00")
    repo.write(EN, text("2.0", "2022-01-01", "First.", "Second.", "Third."))
    repo.commit("2.0", "2021-12-01T10:00:00+01:00")
    rows = versions(repo, "2022-06-01")
    assert [(r["version"], r["path"]) for r in rows] == [
        ("1.0", "policies/data/en.md"),
        ("1.1", "policies/privacy/en.md"),  # its last commit on the chain is the second rename
        ("2.0", "policies/privacy/en.md"),
    ]
    for row in rows:
        committed = git(repo, "show", f"{row['commit']}:{row['path']}").encode()
        assert hashlib.sha256(committed).hexdigest() == row["sha256"]
    first = next(r for r in rows if r["version"] == "1.0")
    assert git(repo, "log", "-1", "--format=%s", first["commit"]).strip() == "1.0 as data"


def test_a_lower_version_edited_again_is_one_mistake_until_a_higher_one(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    repo = policy_repo
    one_site(repo)
    commit_versions(
        repo,
        ("1.0", "2020-01-01", "2019-12-01T10:00:00+01:00"),
        ("1.2", "2021-01-01", "2020-12-01T10:00:00+01:00"),
        ("1.1", "2021-06-01", "2021-05-01T10:00:00+02:00"),  # after 1.2 took effect
    )
    repo.write(EN, text("1.1", "2021-06-01", "Clause of version 1.1, edited."))
    repo.commit("1.1 edited", "2021-05-02T10:00:00+02:00")
    [problem] = errors(repo)
    assert "version 1.1 (commit" in problem and "is lower than version 1.2" in problem
    repo.write(EN, text("1.3", "2021-07-01", "Clause of version 1.3."))
    repo.commit("1.3", "2021-05-03T10:00:00+02:00")
    [warning] = passes(repo, tmp_path / "out", "2021-08-01")
    assert "repaired it with version 1.3; version 1.1 is not published" in warning
    assert numbers(repo, "2021-08-01") == ["1.0", "1.2", "1.3"]
