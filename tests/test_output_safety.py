"""Issue 12: a build replaces and clears only folders it made; it never touches anything else."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from .conftest import PolicyRepo, run_mkdocs_in_process
from .helpers import snapshot

AS_OF = "2026-11-25"


def build(repo: PolicyRepo, *args: str) -> subprocess.CompletedProcess[str]:
    return repo.smops("build", "--as-of", AS_OF, *args)


def assert_refused(result: subprocess.CompletedProcess[str], folder: Path, *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"{folder.resolve()}: " in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture
def built(three_versions_site: Path) -> Path:
    """A good output beside the repository, built as of AS_OF (a copy of one build per run: see conftest):
    every refused build must leave it as it is."""
    return three_versions_site


@pytest.mark.parametrize(
    ("where", "words"),
    [
        (".git", ["git's own folder"]),
        (".git/site", ["git's own folder"]),
        (".", ["is the repository"]),
        ("..", ["is the repository", "a folder above it"]),
        ("policies", ["holds files git tracks (such as privacy/en.md)"]),
    ],
)
def test_an_output_in_git_the_repository_or_tracked_files_is_refused_and_nothing_changes(
    three_versions: PolicyRepo, built: Path, tmp_path: Path, where: str, words: list[str]
) -> None:
    before = snapshot(tmp_path)
    target = three_versions.path / where
    result = build(three_versions, "--output", str(target))
    assert_refused(result, target, "choose another folder for --output", *words)
    assert snapshot(tmp_path) == before


def test_an_output_folder_of_tracked_docs_is_refused(three_versions: PolicyRepo, built: Path, tmp_path: Path) -> None:
    three_versions.write("docs/handbook.md", "# Our own notes\n")
    three_versions.commit("docs", "2026-11-02T10:00:00+01:00")
    before = snapshot(tmp_path)
    result = build(three_versions, "--output", str(three_versions.path / "docs"))
    assert_refused(result, three_versions.path / "docs", "holds files git tracks (such as handbook.md)")
    assert snapshot(tmp_path) == before


def test_an_output_made_into_a_git_checkout_is_refused_even_with_the_marker(
    three_versions: PolicyRepo, built: Path, tmp_path: Path
) -> None:
    subprocess.run(["git", "init", "-q", str(built)], check=True)  # to push the pages to a branch from here
    before = snapshot(tmp_path)
    result = build(three_versions, "--output", str(built), "--as-of", "2031-06-01")
    assert_refused(result, built, "holds a git repository (.git)")
    assert snapshot(tmp_path) == before


def test_an_unrelated_folder_with_files_is_refused_and_an_empty_one_is_used(
    three_versions: PolicyRepo, built: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    (notes / "2026").mkdir(parents=True)
    (notes / "2026" / "minutes.txt").write_text("not a build output\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = build(three_versions, "--output", str(notes))
    assert_refused(result, notes, "is not empty and was not made by smops-policy", "choose an empty or new folder")
    assert snapshot(tmp_path) == before

    empty = tmp_path / "empty"
    empty.mkdir()
    build(three_versions, "--output", str(empty)).check_returncode()
    assert (empty / ".smops-policy-output").is_file() and (empty / "alpha" / "versions.json").is_file()


def test_a_foreign_cache_folder_is_refused_and_its_files_kept(
    three_versions: PolicyRepo, built: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "foreign"
    (foreign / "objects").mkdir(parents=True)
    (foreign / "objects" / ("ab" * 32)).write_text("someone else's object\n", encoding="utf-8")
    (foreign / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n# another tool\n")
    before = snapshot(tmp_path)
    result = build(three_versions, "--output", str(built), "--cache", str(foreign))
    assert_refused(result, foreign, "is not a smops-policy cache", "choose an empty or new folder for --cache")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("where", [".git/cache", "inside-output", "."])
def test_a_cache_in_git_the_repository_or_the_output_is_refused(
    three_versions: PolicyRepo, built: Path, tmp_path: Path, where: str
) -> None:
    cache = built / "cache" if where == "inside-output" else three_versions.path / where
    before = snapshot(tmp_path)
    result = build(three_versions, "--output", str(built), "--cache", str(cache))
    assert_refused(result, cache)
    assert snapshot(tmp_path) == before


def test_mkdocs_build_obeys_the_same_rules(three_versions: PolicyRepo, built: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "minutes.txt").write_text("not a build output\n", encoding="utf-8")
    before = snapshot(tmp_path)
    for target in (notes, three_versions.path / ".git"):
        result = run_mkdocs_in_process(["build", "--site-dir", str(target)], cwd=three_versions.path)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert str(target.resolve()) in result.stderr
    assert snapshot(tmp_path) == before


def test_only_the_tools_own_leftovers_beside_the_output_are_cleared(
    three_versions: PolicyRepo, built: Path, tmp_path: Path
) -> None:
    backup = tmp_path / ".site.old-backup"
    shutil.copytree(built, backup)
    (backup / ".smops-policy-output").unlink()  # the user's own copy, no longer the tool's
    (backup / "my-notes.txt").write_text("kept\n", encoding="utf-8")
    users = tmp_path / ".site.building-999999999-mine"  # a dead process id: only the marker tells
    users.mkdir()
    (users / "draft.txt").write_text("kept too\n", encoding="utf-8")
    # what a killed build leaves: a marked folder built aside by a process that is gone
    dead = tmp_path / ".site.building-999999999-dead"
    shutil.copytree(built, dead)
    kept = {path: snapshot(path) for path in (backup, users)}

    build(three_versions, "--output", str(built), "--no-cache", "--as-of", "2031-06-01").check_returncode()
    assert {path: snapshot(path) for path in (backup, users)} == kept
    assert not dead.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == [
        ".site.building-999999999-mine",
        ".site.old-backup",
    ]


def test_a_rebuild_into_its_own_output_replaces_it_whole(three_versions: PolicyRepo, built: Path) -> None:
    (built / "alpha" / "stale.html").write_text("left over from an old build\n", encoding="utf-8")
    result = build(three_versions, "--output", str(built), "--as-of", "2031-06-01")
    assert result.returncode == 0, result.stderr
    assert not (built / "alpha" / "stale.html").exists()
    assert (built / ".smops-policy-output").is_file()
    assert '"as_of": "2031-06-01"' in (built / "alpha" / "versions.json").read_text(encoding="utf-8")


def test_an_output_of_the_earlier_release_without_the_marker_is_taken_over(
    three_versions: PolicyRepo, built: Path, tmp_path: Path
) -> None:
    (built / ".smops-policy-output").unlink()  # as the release before this one left it
    result = build(three_versions, "--output", str(built), "--no-cache", "--as-of", "2031-06-01")
    assert result.returncode == 0, result.stderr
    assert (built / ".smops-policy-output").is_file()
    # with a file of someone else's in it, it is no longer recognisably ours
    (built / ".smops-policy-output").unlink()
    (built / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(tmp_path)
    assert_refused(build(three_versions, "--output", str(built), "--no-cache"), built, "not made by smops-policy")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(("umask", "folders", "files"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_the_output_is_made_with_the_users_umask(
    three_versions: PolicyRepo, tmp_path: Path, umask: int, folders: int, files: int
) -> None:
    out = tmp_path / "public" / "site"
    previous = os.umask(umask)  # the process's umask, as a shell sets it for the command
    try:
        three_versions.smops("build", "--as-of", AS_OF, "--output", str(out), "--no-cache", check=True)
    finally:
        os.umask(previous)
    modes = {stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")] if p.is_dir()}
    assert modes == {folders}
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()} == {files}
    assert stat.S_IMODE(out.parent.stat().st_mode) == folders


@pytest.mark.parametrize("buffered", [True, False])
def test_a_reader_that_goes_away_ends_the_command_quietly(three_versions: PolicyRepo, buffered: bool) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # `| head -1` that has already read its line
    # unbuffered (as CI often runs Python), the first print meets the closed pipe, not the final flush
    environment = {**os.environ, "PYTHONUNBUFFERED": "" if buffered else "1"}
    try:
        result = subprocess.run(
            three_versions.command("versions", "privacy", "--as-of", AS_OF),
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
    finally:
        os.close(writer)
    assert result.returncode == 141  # as a unix tool ended by SIGPIPE (`git log | head -1`)
    assert result.stderr == ""
    done = subprocess.run(
        f"{' '.join(three_versions.command('versions', 'privacy', '--as-of', AS_OF))} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env=environment,
    )
    assert done.stdout.startswith("1.0 ") and done.stderr == ""
