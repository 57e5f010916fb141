"""Issue 5: a rebuild reuses earlier work (keyed by content, outside the output), never a bad cache."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import PolicyRepo, policy_text
from .helpers import tree_digest

if TYPE_CHECKING:
    from collections.abc import Callable


def build(repo: PolicyRepo, out: Path, *extra: str) -> str:
    return repo.smops("build", "--as-of", "2026-11-25", "--output", str(out), "--verbose", *extra, check=True).stderr


def test_a_rebuild_with_nothing_changed_reuses_every_language_build_with_identical_output(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    cold = build(three_versions, tmp_path / "a")
    assert "cache: 0 of 3 language builds reused" in cold
    warm = build(three_versions, tmp_path / "b")
    assert "cache: 3 of 3 language builds reused" in warm
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert (three_versions.path / ".smops-cache").is_dir() and not (tmp_path / "b" / ".smops-cache").exists()


def test_an_edit_rebuilds_only_what_it_touches(three_versions: PolicyRepo, tmp_path: Path) -> None:
    build(three_versions, tmp_path / "a")
    nl = three_versions.path / "policies/privacy/nl.md"
    nl.write_text(
        nl.read_text(encoding="utf-8")
        .replace('version: "1.0"', 'version: "1.1"')
        .replace("2020-01-01", "2023-03-01")
        .replace("kort", "heel kort"),
        encoding="utf-8",
    )
    three_versions.commit("Dutch 1.1", "2023-02-02T10:00:00+01:00")
    log = build(three_versions, tmp_path / "b")
    # alpha's English and Dutch pages link to each other; beta (English only) is untouched
    assert "cache: 1 of 3 language builds reused" in log
    fresh = tmp_path / "fresh"
    three_versions.smops("build", "--as-of", "2026-11-25", "--output", str(fresh), "--no-cache", check=True)
    assert tree_digest(fresh) == tree_digest(tmp_path / "b")


def test_a_corrupt_cache_entry_is_dropped_and_rebuilt_never_trusted(three_versions: PolicyRepo, tmp_path: Path) -> None:
    import json

    build(three_versions, tmp_path / "a")
    # The output and the cache share files (hard links), so what the output held is taken down first.
    sound = tree_digest(tmp_path / "a")
    cache = three_versions.path / ".smops-cache"
    page = next(
        p for p in (cache / "objects").iterdir() if "We keep your records safe." in p.read_text(encoding="utf-8")
    )
    page.write_text(
        page.read_text(encoding="utf-8").replace("We keep your records safe.", "We sell your records."),
        encoding="utf-8",
    )
    log = build(three_versions, tmp_path / "b")
    assert re.search(r"[1-9]\d* unsound entries dropped", log)
    assert tree_digest(tmp_path / "b") == sound
    assert b"We sell" not in b"".join(p.read_bytes() for p in (tmp_path / "b").rglob("*.html"))
    # an entry that would write outside its folder, or names a file the cache no longer has, is unsound too
    first, second = sorted(cache.glob("*.json"))[:2]
    files = json.loads(first.read_text(encoding="utf-8"))
    first.write_text(json.dumps({**files, "../../escape.html": next(iter(files.values()))}), encoding="utf-8")
    missing = next(iter(json.loads(second.read_text(encoding="utf-8")).values()))
    (cache / "objects" / missing).unlink()
    log = build(three_versions, tmp_path / "c")
    assert re.search(r"[2-9] unsound entries dropped", log)
    assert not list(tmp_path.rglob("escape.html"))
    assert tree_digest(tmp_path / "c") == sound


def test_sites_built_side_by_side_give_the_same_output_as_one_by_one(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    for jobs in ("1", "2"):
        three_versions.smops(
            "build", "--as-of", "2026-11-25", "--output", str(tmp_path / jobs), "--no-cache", "--jobs", jobs, check=True
        )
    assert tree_digest(tmp_path / "1") == tree_digest(tmp_path / "2")


def test_each_process_keeps_to_one_language_then_helps_with_the_rest() -> None:
    import multiprocessing

    from smops_policy.build.workers import TaskQueue

    # Site × language builds, longest first, as the build lists them: three Sites in en and nl, one in de
    tasks = [(0, "en"), (0, "nl"), (1, "en"), (1, "nl"), (2, "en"), (2, "nl"), (3, "de")]
    queue = TaskQueue(multiprocessing.get_context("fork"), tasks, processes=2)
    taken = {0: [], 1: []}
    for slot in (0, 1, 1, 0, 0, 1, 1, 0):  # the processes finish their builds in no fixed order
        number = queue.take(slot)
        if number is not None:
            taken[slot].append(tasks[number])
    # each process parses one language's texts; de goes to whoever is free first; nothing twice
    assert taken[0] == [(0, "en"), (1, "en"), (2, "en")]
    assert taken[1] == [(0, "nl"), (1, "nl"), (2, "nl"), (3, "de")]
    assert queue.take(0) is None and queue.take(1) is None


def test_a_warning_about_mkdocs_yml_is_given_once_however_many_language_builds(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    config = three_versions.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_colour: blue\n", encoding="utf-8")
    three_versions.commit("a misspelt setting", "2026-11-02T10:00:00+01:00")  # a build reads the committed mkdocs.yml
    for jobs in ("1", "2"):
        result = three_versions.smops(
            "build", "--as-of", "2026-11-25", "--output", str(tmp_path / jobs), "--jobs", jobs, check=True
        )
        assert result.stderr.count("Unrecognised") == 1, result.stderr  # three language builds, one warning
        assert "Unrecognised configuration name: site_colour" in result.stderr
    again = three_versions.smops("build", "--as-of", "2026-11-25", "--output", str(tmp_path / "2"), check=True)
    assert again.stdout.startswith("up to date:")
    assert again.stderr == result.stderr  # nothing to do, and the same warning


def test_progress_shows_on_a_terminal_and_stays_quiet_otherwise(three_versions: PolicyRepo, tmp_path: Path) -> None:
    import os
    import pty
    import subprocess

    args = ("build", "--as-of", "2026-11-25", "--no-cache")
    # stderr that is not a terminal: in this process (`smops` gives the command streams of its own)
    piped = three_versions.smops(*args, "--output", str(tmp_path / "piped"), check=True)
    assert "pages" not in piped.stderr and "\r" not in piped.stderr
    # a terminal: a process of its own, its stderr a pty
    command = three_versions.command(*args)
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [*command, "--output", str(tmp_path / "tty")], stdout=subprocess.DEVNULL, stderr=follower
    ) as process:
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the build is over
                break
            if not chunk:
                break
            shown += chunk
        process.wait()
    os.close(leader)
    assert process.returncode == 0
    assert re.search(rb"(alpha|beta) (en|nl): \d+ of \d+ pages|all Sites: \d+ of \d+ pages", shown), shown
    quiet = three_versions.smops(*args, "--output", str(tmp_path / "quiet"), "--quiet", check=True)
    assert quiet.stdout == "" and quiet.stderr == ""


def _inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_build_with_nothing_changed_leaves_the_output_alone_and_says_so(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    _edit_sites_yml(three_versions, tmp_path)  # uncommitted: a warning on every build
    out = tmp_path / "site"
    first = three_versions.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)
    assert first.stdout.startswith("built ")
    before, files = tree_digest(out), _inodes(out)
    again = three_versions.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)
    assert again.stdout.startswith(f"up to date: 26 pages for 2 Sites as of 2026-11-25 in {out}")
    assert tree_digest(out) == before and _inodes(out) == files  # not one file written again
    # the warning is given again: CI logs need it on every build
    assert "sites.yml: warning: has uncommitted changes that are not published" in first.stderr
    assert again.stderr == first.stderr
    assert three_versions.smops("verify", "--output", str(out)).returncode == 0


def _edit_output(repo: PolicyRepo, out: Path) -> None:
    page = out / "alpha/en/privacy/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("safe", "unsafe"), encoding="utf-8")


def _add_to_output(repo: PolicyRepo, out: Path) -> None:
    (out / "alpha/en/extra.html").write_text("<p>not ours</p>", encoding="utf-8")


def _remove_from_output(repo: PolicyRepo, out: Path) -> None:
    (out / "beta/versions.json").unlink()


def _edit_sites_yml(repo: PolicyRepo, out: Path) -> None:  # uncommitted: not published, but looked at
    sites = repo.path / "policies/sites.yml"
    sites.write_text(sites.read_text(encoding="utf-8").replace("Beta Example", "Beta Renamed"), encoding="utf-8")


def _commit_sites_yml(repo: PolicyRepo, out: Path) -> None:
    _edit_sites_yml(repo, out)
    repo.commit("Beta's new name", "2026-11-20T10:00:00+01:00")


def _commit_a_version(repo: PolicyRepo, out: Path) -> None:
    clauses = ["We keep your records safe.", "We answer at {{ site.support_url }}.", "Short.", "New.", "Newer."]
    repo.write("policies/privacy/en.md", policy_text("2.1", "2032-01-01", clauses, summary="A fictional 2.1."))
    repo.commit("Version 2.1", "2026-11-20T10:00:00+01:00")


@pytest.mark.parametrize(
    ("change", "expect"),
    [
        (_edit_output, None),
        (_add_to_output, None),
        (_remove_from_output, None),
        (_edit_sites_yml, None),
        (_commit_sites_yml, "Beta Renamed"),
        (_commit_a_version, "A fictional 2.1."),
    ],
    ids=["output-edited", "output-added-to", "output-file-removed", "uncommitted-edit", "sites-yml", "new-version"],
)
def test_any_change_to_the_inputs_or_the_output_means_a_real_build(
    three_versions: PolicyRepo, tmp_path: Path, change: Callable[[PolicyRepo, Path], None], expect: str | None
) -> None:
    out = tmp_path / "site"
    three_versions.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)
    before = tree_digest(out)
    change(three_versions, out)
    rebuilt = three_versions.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)
    assert rebuilt.stdout.startswith("built ")
    if expect is None:  # the output was damaged, or what changed is not published: the output is as it was
        assert tree_digest(out) == before
    else:
        assert expect.encode() in b"".join(p.read_bytes() for p in out.rglob("*.html"))
    assert three_versions.smops("verify", "--output", str(out)).returncode == 0


def test_another_date_or_drafts_is_another_build(three_versions: PolicyRepo, tmp_path: Path) -> None:
    out = tmp_path / "site"
    three_versions.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)
    later = three_versions.smops("build", "--as-of", "2031-01-02", "--output", str(out), check=True)
    assert later.stdout.startswith("built ") and "as of 2031-01-02" in later.stdout
    published = tree_digest(out)
    three_versions.write("policies/privacy/en.md", "---\ntitle: Broken\n")  # uncommitted: a draft
    three_versions.smops("build", "--as-of", "2031-01-02", "--output", str(out), check=True)
    assert tree_digest(out) == published  # drafts are not published
    drafts = three_versions.smops("build", "--as-of", "2031-01-02", "--output", str(out), "--drafts")
    assert drafts.returncode == 1 and "en.md" in drafts.stderr and "Traceback" not in drafts.stderr
    assert tree_digest(out) == published


def test_compiled_theme_templates_are_kept_per_machine_and_a_damaged_one_is_compiled_again(
    three_versions: PolicyRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    folder = tmp_path / "user-cache" / "smops-policy" / "templates"

    def build(out: str, *, process: bool = False) -> None:
        three_versions.smops(
            "build", "--as-of", "2026-11-25", "--no-cache", "--output", str(tmp_path / out), check=True, process=process
        )

    build("a")  # the first to use this folder: it compiles the templates and writes them there
    compiled = {p.name: p.read_bytes() for p in folder.glob("*.jinja")}
    assert len(compiled) >= 20  # main.html, base.html and the partials they include
    for number, (name, data) in enumerate(sorted(compiled.items())):
        damaged = [data[:15], data[:15] + b"\xff" * 40, data[: len(data) // 2]][number % 3]  # header only,
        (folder / name).write_bytes(damaged)  # garbage after it, cut short: what a full disk or a bad copy leaves
    build("b", process=True)  # another command (one process keeps what it compiled in memory)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert {p.name: p.read_bytes() for p in folder.glob("*.jinja")} == compiled  # compiled again, whole
