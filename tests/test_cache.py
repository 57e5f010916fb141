"""Issue 5: a rebuild reuses earlier work (keyed by content, outside the output), never a bad cache."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import PolicyRepo
from .test_foundation import tree_digest


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
    build(three_versions, tmp_path / "a")
    cache = three_versions.path / ".smops-cache"
    page = next(
        p for p in cache.glob("*/privacy/index.html") if "We keep your records safe." in p.read_text(encoding="utf-8")
    )
    page.write_text(
        page.read_text(encoding="utf-8").replace("We keep your records safe.", "We sell your records."),
        encoding="utf-8",
    )
    log = build(three_versions, tmp_path / "b")
    assert "1 unsound entries dropped" in log
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert b"We sell" not in b"".join(p.read_bytes() for p in (tmp_path / "b").rglob("*.html"))
    # a foreign file in an entry makes it unsound too
    entry = next(p for p in cache.iterdir() if p.is_dir())
    (entry / "extra.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    log = build(three_versions, tmp_path / "c")
    assert "1 unsound entries dropped" in log
    assert not list((tmp_path / "c").rglob("extra.html"))


def test_sites_built_side_by_side_give_the_same_output_as_one_by_one(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    for jobs in ("1", "2"):
        three_versions.smops(
            "build", "--as-of", "2026-11-25", "--output", str(tmp_path / jobs), "--no-cache", "--jobs", jobs, check=True
        )
    assert tree_digest(tmp_path / "1") == tree_digest(tmp_path / "2")


def test_progress_shows_on_a_terminal_and_stays_quiet_otherwise(three_versions: PolicyRepo, tmp_path: Path) -> None:
    import os
    import pty
    import subprocess

    command = three_versions.command("build", "--as-of", "2026-11-25", "--no-cache")
    piped = subprocess.run([*command, "--output", str(tmp_path / "piped")], capture_output=True, text=True, check=True)
    assert "pages" not in piped.stderr and "\r" not in piped.stderr
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
    quiet = subprocess.run(
        [*command, "--output", str(tmp_path / "quiet"), "--quiet"], capture_output=True, text=True, check=True
    )
    assert quiet.stdout == "" and quiet.stderr == ""
