"""Reading a policy file's history from git (content/history.py), on real repositories made once per run.

What the loader builds every version from: which commits of the first-parent chain left a file in which
state (renames followed to the first path, merges and reverts as main saw them, a copy or a new file at
a reused path starting its own history), which commit removed a file, and the errors an editor gets for
a folder that is no repository, a shallow clone or an empty one. Each repository below is made once
(session scope) and only read; every test runs in milliseconds (mutation testing runs them hundreds of
times).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from smops_policy.content.history import GitHistory, Removal, Revision, SourceRevision, source_revisions
from smops_policy.errors import PolicyError, Problem

from .conftest import PolicyRepo
from .gitsteps import git, head

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

UTC = dt.UTC


def at(when: str) -> dt.datetime:
    """A commit date as history reads it: the same instant, in UTC."""
    return dt.datetime.fromisoformat(when).astimezone(UTC)


def problem_of(error: pytest.ExceptionInfo[PolicyError]) -> Problem:
    [problem] = error.value.problems
    return problem


@pytest.fixture(autouse=True)
def _editor_git_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """History is read as the commits say, whatever the editor's git config says: here no rename
    detection unless asked for, and colours always (the repositories were made without it)."""
    monkeypatch.setenv("GIT_CONFIG_COUNT", "2")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "diff.renames")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "false")
    monkeypatch.setenv("GIT_CONFIG_KEY_1", "color.ui")
    monkeypatch.setenv("GIT_CONFIG_VALUE_1", "always")


# --------------------------------------------------------------------------- one repository, many files


@dataclass(frozen=True)
class Shas:
    """The commits of the shared history repository, by what they did."""

    start: str
    rename: str
    edit: str
    rename_edit: str
    merge: str
    branch_tip: str
    remove: str
    remove_back: str
    revert: str
    move_away: str
    reuse: str
    copy: str
    readme: str


ONE = "Clause one of a fictional text that stays the same.\nClause two.\nClause three.\nClause four.\n"


@pytest.fixture(scope="session")
def history_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PolicyRepo, Shas]]:
    """One repository whose files each had one kind of history (READ-ONLY)."""
    repo = PolicyRepo(tmp_path_factory.mktemp("history") / "repo")
    repo.write("policies/one.md", ONE)
    repo.write("policies/merged.md", "Merged, first.\n")
    repo.write("policies/gone.md", "Removed for good.\n")
    repo.write("policies/back.md", "Removed, then restored.\n")
    repo.write("policies/reused.md", "Moved away; its path reused.\n")
    repo.write("policies/side-old.md", "Renamed on a branch.\n")
    repo.write("README.md", "Outside policies/.\n")
    start = repo.commit("Start", "2020-01-01T10:00:00+01:00")
    git(repo, "mv", "policies/one.md", "policies/two.md")
    rename = repo.commit("Rename one to two", "2020-02-01T10:00:00+01:00")
    repo.write("policies/two.md", ONE.replace("Clause two.", "Clause two, edited."))
    edit = repo.commit("Edit two", "2020-03-01T10:00:00+01:00")
    git(repo, "mv", "policies/two.md", "policies/three.md")
    repo.write("policies/three.md", ONE.replace("Clause two.", "Clause two, edited.").replace("four", "4"))
    rename_edit = repo.commit("Rename two to three, and edit", "2020-04-01T10:00:00+02:00")
    git(repo, "checkout", "-q", "-b", "side")
    repo.write("policies/merged.md", "Merged, from the branch.\n")
    git(repo, "mv", "policies/side-old.md", "policies/side-new.md")
    branch_tip = repo.commit("Edit on a branch", "2020-05-01T10:00:00+02:00")
    git(repo, "checkout", "-q", "main")
    repo.write("README.md", "Outside policies/, edited on main.\n")
    readme = repo.commit("Readme", "2020-05-02T10:00:00+02:00")
    git(repo, "merge", "--no-ff", "--no-edit", "side", when="2020-06-01T10:00:00+02:00")
    merge = head(repo)
    git(repo, "rm", "-q", "policies/back.md")
    remove_back = repo.commit("Remove back", "2020-07-01T10:00:00+02:00")
    git(repo, "rm", "-q", "policies/gone.md")  # another file removed before back.md is restored
    remove = repo.commit("Remove gone", "2020-08-01T10:00:00+02:00")
    git(repo, "revert", "--no-edit", remove_back, when="2020-09-01T10:00:00+02:00")
    revert = head(repo)
    git(repo, "mv", "policies/reused.md", "policies/elsewhere.md")
    move_away = repo.commit("Move reused away", "2020-10-01T10:00:00+02:00")
    repo.write("policies/reused.md", "A new file at an old path.\n")
    reuse = repo.commit("A new file at the old path", "2020-11-01T10:00:00+01:00")
    repo.write("policies/copy.md", (repo.path / "policies/three.md").read_text(encoding="utf-8"))
    copy = repo.commit("Copy three", "2020-12-01T10:00:00+01:00")
    repo.write("policies/draft.md", "Never committed.\n")
    repo.write("policies/merged.md", "Edited in the working tree.\n")
    lonely = git(repo, "commit-tree", "HEAD^{tree}", "-m", "An unrelated root").strip()
    git(repo, "branch", "lonely", lonely)
    yield (
        repo,
        Shas(
            start,
            rename,
            edit,
            rename_edit,
            merge,
            branch_tip,
            remove,
            remove_back,
            revert,
            move_away,
            reuse,
            copy,
            readme,
        ),
    )
    repo.repo.close()


@pytest.fixture
def history(history_repo: tuple[PolicyRepo, Shas]) -> Iterator[GitHistory]:
    with GitHistory(history_repo[0].path) as found:
        yield found


@pytest.fixture
def shas(history_repo: tuple[PolicyRepo, Shas]) -> Shas:
    return history_repo[1]


def states(revisions: list[Revision]) -> list[tuple[str, str, dt.datetime, bool]]:
    return [(r.commit, r.path, r.committed, r.merge) for r in revisions]


def test_a_file_renamed_twice_is_followed_back_to_its_first_path(history: GitHistory, shas: Shas) -> None:
    found = history.revisions("policies/three.md")
    assert states(found) == [
        (shas.start, "policies/one.md", at("2020-01-01T10:00:00+01:00"), False),
        (shas.rename, "policies/two.md", at("2020-02-01T10:00:00+01:00"), False),
        (shas.edit, "policies/two.md", at("2020-03-01T10:00:00+01:00"), False),
        (shas.rename_edit, "policies/three.md", at("2020-04-01T10:00:00+02:00"), False),
    ]
    assert [r.data for r in found] == [
        ONE.encode(),
        ONE.encode(),
        ONE.replace("Clause two.", "Clause two, edited.").encode(),
        ONE.replace("Clause two.", "Clause two, edited.").replace("four", "4").encode(),
    ]
    assert found[0].committed.tzinfo == UTC


def test_a_change_merged_from_a_branch_is_the_merge_commit_on_main(history: GitHistory, shas: Shas) -> None:
    found = history.revisions("policies/merged.md")
    assert states(found) == [
        (shas.start, "policies/merged.md", at("2020-01-01T10:00:00+01:00"), False),
        (shas.merge, "policies/merged.md", at("2020-06-01T10:00:00+02:00"), True),  # not the branch's commit
    ]
    assert found[-1].data == b"Merged, from the branch.\n"
    assert states(history.revisions("policies/side-new.md")) == [
        (shas.start, "policies/side-old.md", at("2020-01-01T10:00:00+01:00"), False),
        (shas.merge, "policies/side-new.md", at("2020-06-01T10:00:00+02:00"), True),
    ]
    # renamed by a merge commit: reverting it takes `git revert -m 1`
    assert history.removal("policies/side-old.md") == Removal(
        shas.merge, at("2020-06-01T10:00:00+02:00"), "policies/side-new.md", merge=True
    )


def test_a_removal_reverted_is_the_same_file_again(history: GitHistory, shas: Shas) -> None:
    found = history.revisions("policies/back.md")
    assert states(found) == [
        (shas.start, "policies/back.md", at("2020-01-01T10:00:00+01:00"), False),
        (shas.revert, "policies/back.md", at("2020-09-01T10:00:00+02:00"), False),
    ]
    assert found[0].data == found[1].data == b"Removed, then restored.\n"
    assert history.removal("policies/back.md") == Removal(shas.remove_back, at("2020-07-01T10:00:00+02:00"))


def test_a_new_file_at_a_path_another_was_renamed_from_starts_its_own_history(history: GitHistory, shas: Shas) -> None:
    assert states(history.revisions("policies/reused.md")) == [
        (shas.reuse, "policies/reused.md", at("2020-11-01T10:00:00+01:00"), False)
    ]
    assert states(history.revisions("policies/elsewhere.md")) == [
        (shas.start, "policies/reused.md", at("2020-01-01T10:00:00+01:00"), False),
        (shas.move_away, "policies/elsewhere.md", at("2020-10-01T10:00:00+02:00"), False),
    ]


def test_a_copy_is_a_new_file(history: GitHistory, shas: Shas) -> None:
    found = history.revisions("policies/copy.md")
    assert states(found) == [(shas.copy, "policies/copy.md", at("2020-12-01T10:00:00+01:00"), False)]
    assert found[0].data == history.committed_file("policies/three.md")


def test_a_removed_file_has_no_revisions_and_names_the_commit_that_removed_it(history: GitHistory, shas: Shas) -> None:
    assert history.revisions("policies/gone.md") == []
    assert history.removal("policies/gone.md") == Removal(shas.remove, at("2020-08-01T10:00:00+02:00"))
    renamed = history.removal("policies/reused.md")
    assert renamed == Removal(shas.move_away, at("2020-10-01T10:00:00+02:00"), "policies/elsewhere.md")
    assert history.removal("policies/two.md") == Removal(
        shas.rename_edit, at("2020-04-01T10:00:00+02:00"), "policies/three.md"
    )
    assert history.removal("policies/three.md") is None
    assert history.removal("policies/never.md") is None


def test_a_file_as_it_stood_before_a_commit(history: GitHistory, shas: Shas) -> None:
    assert states(history.revisions("policies/two.md", before=shas.rename_edit)) == [
        (shas.start, "policies/one.md", at("2020-01-01T10:00:00+01:00"), False),
        (shas.rename, "policies/two.md", at("2020-02-01T10:00:00+01:00"), False),
        (shas.edit, "policies/two.md", at("2020-03-01T10:00:00+01:00"), False),
    ]
    assert states(history.revisions("policies/gone.md", before=shas.remove)) == [
        (shas.start, "policies/gone.md", at("2020-01-01T10:00:00+01:00"), False)
    ]
    assert states(history.revisions("policies/merged.md", before=shas.merge)) == [
        (shas.start, "policies/merged.md", at("2020-01-01T10:00:00+01:00"), False)
    ]
    # a commit that is not on the chain: nothing before it is known
    assert history.revisions("policies/merged.md", before=shas.branch_tip) == []


def test_files_as_committed_and_as_in_the_working_tree(
    history: GitHistory, history_repo: tuple[PolicyRepo, Shas]
) -> None:
    shas = history_repo[1]
    assert history.head == shas.copy
    assert history.committed_file("policies/merged.md") == b"Merged, from the branch.\n"
    assert history.working_file("policies/merged.md") == b"Edited in the working tree.\n"
    assert history.committed_file("policies/gone.md") is None
    assert history.committed_file("policies/draft.md") is None
    assert history.working_file("policies/draft.md") == b"Never committed.\n"
    assert history.working_file("policies/gone.md") is None
    assert history.working_file("policies") is None  # a folder is no file
    assert history.committed_file("policies") is None
    # git reads its questions line by line: a name with a line break must not ask it for another file
    assert history.committed_file("policies/gone.md\nHEAD:policies/merged.md") is None
    assert history.committed_file("policies/merged.md") == b"Merged, from the branch.\n"  # and answers stay in step
    assert history.revisions("policies/draft.md") == []
    assert history.revisions("README.md") == []  # only policies/ is read


def test_the_commits_and_files_since_a_base(history: GitHistory, shas: Shas, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "true")  # git's default: a rename is one change, unless told
    assert history.merge_base(["origin/main", "side"]) == (shas.branch_tip, "side")
    assert history.merge_base(["side", "main"]) == (shas.branch_tip, "side")  # the first git knows
    assert history.changed_since(shas.move_away, "policies/") == ["policies/copy.md", "policies/reused.md"]
    assert history.changed_since(shas.rename_edit, "policies/") == [
        "policies/copy.md",  # back.md was removed and restored as it was: no change
        "policies/elsewhere.md",
        "policies/gone.md",
        "policies/merged.md",
        "policies/reused.md",
        "policies/side-new.md",
        "policies/side-old.md",
    ]
    assert history.changed_since(shas.readme, "README.md") == []
    # committed changes only (not the working tree's), a rename as the old path and the new
    assert history.changed_since(shas.merge, "policies/") == [
        "policies/copy.md",
        "policies/elsewhere.md",
        "policies/gone.md",
        "policies/reused.md",
    ]
    assert "policies/one.md" in history.changed_since(shas.start, "policies/")
    assert history.commits_since(shas.move_away) == {shas.reuse, shas.copy}
    assert history.commits_since(shas.copy) == set()


def test_no_base_to_compare_with_says_which_refs_were_tried(
    history: GitHistory, history_repo: tuple[PolicyRepo, Shas]
) -> None:
    root = str(history_repo[0].path)
    with pytest.raises(PolicyError) as two:
        history.merge_base(["origin/main", "upstream/main"])
    assert problem_of(two) == Problem(
        root,
        "no base to compare with: git knows neither origin/main nor upstream/main",
        hint="pass --base REF (a branch, tag or commit; in CI fetch it first, e.g. fetch-depth: 0)",
    )
    with pytest.raises(PolicyError) as one:
        history.merge_base(["origin/main"])
    assert problem_of(one).message == "git knows no origin/main"
    with pytest.raises(PolicyError) as unrelated:
        history.merge_base(["lonely", "main"])
    assert problem_of(unrelated) == Problem(
        root,
        "lonely and HEAD have no commit in common",
        hint="pass --base with a branch this branch was made from",
    )


# --------------------------------------------------------------------------- folders that are no history


def test_a_folder_that_is_no_repository(tmp_path: Path) -> None:
    for folder in (tmp_path, tmp_path / "missing"):
        with pytest.raises(PolicyError) as error:
            GitHistory(folder)
        assert problem_of(error) == Problem(
            str(folder),
            "is not a git repository",
            hint="run smops-policy in a clone of the policy repository, or pass --repo PATH",
        )


@pytest.fixture(scope="session")
def shallow_clone(history_repo: tuple[PolicyRepo, Shas], tmp_path_factory: pytest.TempPathFactory) -> Path:
    clone = tmp_path_factory.mktemp("shallow") / "repo"
    source = history_repo[0].path.as_uri()
    subprocess.run(["git", "clone", "-q", "--depth", "1", source, str(clone)], check=True, capture_output=True)
    return clone


def test_a_shallow_clone_is_refused(shallow_clone: Path) -> None:
    with pytest.raises(PolicyError) as error:
        GitHistory(shallow_clone)
    assert problem_of(error) == Problem(
        str(shallow_clone),
        "is a shallow clone: older versions of the policies are missing from its history",
        hint="fetch the full history with 'git fetch --unshallow' (in CI: actions/checkout with fetch-depth: 0)",
    )
    with pytest.raises(PolicyError) as imported:
        source_revisions(shallow_clone, "policies/three.md")
    assert problem_of(imported) == Problem(
        str(shallow_clone),
        "is a shallow clone: its older versions are missing",
        hint="run 'git fetch --unshallow' there",
    )


def test_a_repository_without_commits(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    with pytest.raises(PolicyError) as error:
        GitHistory(tmp_path)
    assert problem_of(error) == Problem(
        str(tmp_path), "has no commits yet", hint="commit the policies first (git add policies && git commit)"
    )
    with pytest.raises(PolicyError) as imported:
        source_revisions(tmp_path, "privacy.md")
    assert problem_of(imported) == Problem(
        str(tmp_path), "has no commits", hint="pass --from a repository with the policy's history"
    )


def test_a_repository_missing_an_object_says_what_git_said(tmp_path: Path) -> None:
    repo = PolicyRepo(tmp_path / "repo")
    repo.write("policies/privacy/en.md", "One.\n")
    first = repo.commit("One", "2020-01-01T10:00:00+01:00")
    repo.write("policies/privacy/en.md", "Two.\n")
    repo.commit("Two", "2020-02-01T10:00:00+01:00")
    repo.repo.close()
    (repo.path / ".git" / "objects" / first[:2] / first[2:]).unlink()  # a damaged clone
    with GitHistory(repo.path) as history, pytest.raises(PolicyError) as error:
        history.revisions("policies/privacy/en.md")
    problem = problem_of(error)
    assert (problem.path, problem.line, problem.hint) == (
        "policies/",
        None,
        "check that the repository is intact (git fsck)",
    )
    assert problem.message.startswith(f"git could not read its history: error: Could not read {first}; fatal: ")
    assert "\n" not in problem.message and "stderr" not in problem.message and not problem.message.endswith("'")


# --------------------------------------------------------------------------- a policy kept in another repository


@dataclass(frozen=True)
class SourceShas:
    first: str
    summer: str
    merge: str
    renamed: str


@pytest.fixture(scope="session")
def source_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PolicyRepo, SourceShas]]:
    """Another project's repository: a policy edited, renamed and rewritten on a merged branch, then
    renamed on main (READ-ONLY)."""
    repo = PolicyRepo(tmp_path_factory.mktemp("source") / "repo")
    repo.write("docs/privacy notice é.md", "# Privacy\n\nWe keep little.\nWe say so.\nWe keep it safe.\n")
    repo.write("docs/other.md", "Another file.\n")
    first = repo.commit("First text\n\nWith a body.", "2019-01-01T10:00:00+01:00")
    repo.write("docs/privacy notice é.md", "# Privacy\n\nWe keep little.\nWe say so.\nWe keep it very safe.\n")
    summer = repo.commit("Summer edit", "2019-06-01T10:00:00+02:00")
    git(repo, "checkout", "-q", "-b", "move")
    (repo.path / "legal").mkdir()
    git(repo, "mv", "docs/privacy notice é.md", "legal/privacy.md")
    repo.commit("Move to legal/", "2019-07-01T10:00:00+02:00")
    repo.write("legal/privacy.md", "# Privacy notice\n\nEntirely new wording, nothing like before.\n")
    repo.write("legal/new.md", "A file the branch added.\n")
    repo.write("docs/other.md", "Another file, edited on the branch.\n")
    repo.commit("Rewrite", "2019-07-02T10:00:00+02:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "--no-ff", "--no-edit", "move", when="2019-08-01T10:00:00+02:00")
    merge = head(repo)
    git(repo, "mv", "legal/privacy.md", "legal/policy.md")
    renamed = repo.commit("Rename the notice", "2019-09-01T10:00:00+02:00")
    yield repo, SourceShas(first, summer, merge, renamed)
    repo.repo.close()


def test_a_policy_of_another_repository_is_followed_through_a_rename_on_a_merged_branch(
    source_repo: tuple[PolicyRepo, SourceShas],
) -> None:
    repo, shas = source_repo
    found = source_revisions(repo.path, "legal/policy.md")
    assert [(r.commit, r.path) for r in found] == [
        (shas.first, "docs/privacy notice é.md"),
        (shas.summer, "docs/privacy notice é.md"),
        (shas.merge, "legal/privacy.md"),
        (shas.renamed, "legal/policy.md"),
    ]
    first = found[0]
    assert first == SourceRevision(
        shas.first,
        "docs/privacy notice é.md",
        dt.datetime.fromisoformat("2019-01-01T10:00:00+01:00"),
        dt.datetime.fromisoformat("2019-01-01T10:00:00+01:00"),
        "First text\n\nWith a body.",
        b"# Privacy\n\nWe keep little.\nWe say so.\nWe keep it safe.\n",
    )
    assert found[1].authored.utcoffset() == dt.timedelta(hours=2)  # the commit's own offset
    assert found[2].data == b"# Privacy notice\n\nEntirely new wording, nothing like before.\n"
    assert found[2].message.startswith("Merge branch 'move'")


def test_a_file_a_merged_branch_added_starts_at_the_merge(source_repo: tuple[PolicyRepo, SourceShas]) -> None:
    repo, shas = source_repo
    assert [(r.commit, r.path) for r in source_revisions(repo.path, "legal/new.md")] == [(shas.merge, "legal/new.md")]
    # the branch's own commits are not on main's first-parent chain: the merge is
    assert [(r.commit, r.path) for r in source_revisions(repo.path, "docs/other.md")] == [
        (shas.first, "docs/other.md"),
        (shas.merge, "docs/other.md"),
    ]


def test_a_bare_mirror_without_a_config_file_is_read(
    source_repo: tuple[PolicyRepo, SourceShas], tmp_path: Path
) -> None:
    repo, shas = source_repo
    mirror = tmp_path / "mirror.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(mirror)], check=True, capture_output=True)
    (mirror / "config").unlink()
    found = source_revisions(mirror, "legal/policy.md")
    assert [r.commit for r in found] == [shas.first, shas.summer, shas.merge, shas.renamed]


def test_a_path_or_folder_that_is_not_there(source_repo: tuple[PolicyRepo, SourceShas], tmp_path: Path) -> None:
    repo, _shas = source_repo
    with pytest.raises(PolicyError) as missing:
        source_revisions(repo.path, "docs/privacy notice é.md")
    assert problem_of(missing) == Problem(
        f"{repo.path}/docs/privacy notice é.md",
        "is not a file in that repository's HEAD",
        hint="pass --file the path inside the repository, e.g. privacy/index.md (git -C REPO ls-files)",
    )
    with pytest.raises(PolicyError) as no_repo:
        source_revisions(tmp_path / "nowhere", "privacy.md")
    assert problem_of(no_repo) == Problem(
        str(tmp_path / "nowhere"),
        "is not a git repository",
        hint="pass --from the folder of a clone of the policy's repository",
    )
    with pytest.raises(PolicyError) as plain:
        source_revisions(tmp_path, "privacy.md")
    assert problem_of(plain).message == "is not a git repository"


def test_a_policy_edited_on_a_branch_before_and_after_its_rename_is_followed_to_its_first_name(
    tmp_path: Path,
) -> None:
    """The branch's oldest change of the file is an edit under its old name, not the rename, and the
    merge itself shows no rename (the text was rewritten after it): the name at the merge's first parent
    is still found in the branch's log (which lists a rename with two paths, an edit with one)."""
    repo = PolicyRepo(tmp_path / "repo")
    repo.write("terms.md", "# Terms\n\nOne.\nTwo.\nThree.\n")
    first = repo.commit("Terms", "2020-01-01T10:00:00+01:00")
    git(repo, "checkout", "-q", "-b", "rename")
    repo.write("terms.md", "# Terms\n\nOne.\nTwo.\nThree.\nFour.\n")
    repo.commit("Edit before the rename", "2020-02-01T10:00:00+01:00")
    git(repo, "mv", "terms.md", "conditions.md")
    repo.commit("Rename", "2020-02-02T10:00:00+01:00")
    # rewritten: the merge's own diff no longer sees a rename, only the branch's history does
    repo.write("conditions.md", "# Conditions\n\nEntirely new wording, nothing like before.\n")
    repo.commit("Rewrite after the rename", "2020-02-03T10:00:00+01:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "--no-ff", "--no-edit", "rename", when="2020-03-01T10:00:00+01:00")
    merge = head(repo)
    found = source_revisions(repo.path, "conditions.md")
    assert [(r.commit, r.path) for r in found] == [(first, "terms.md"), (merge, "conditions.md")]
    repo.repo.close()
