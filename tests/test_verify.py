"""Issue 13, item 4: `verify` proves the whole output. A build is reproducible byte for byte, so
verify builds HEAD again as of the date the output records and names every file that differs, is
missing or is extra; each kind of tampering below fails it, naming the path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

import git
import pytest

from .conftest import SITES_YML, PolicyRepo, git_date, policy_text, run_in_process
from .helpers import tree_digest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

AS_OF = "2026-11-25"
HINT = "(build the output again; never edit built pages)"


def _history(repo: PolicyRepo) -> PolicyRepo:
    """Versions 1.0 (2020), 1.1 (2023-03-01) and 2.0 (upcoming on 2031-01-01); 1.0 in Dutch too."""
    repo.write("policies/sites.yml", SITES_YML)
    base = ["We keep your records safe.", "We answer questions at {{ site.support_url }}.", "We keep this text short."]
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", base, sections={2: "Contact"}))
    dutch = ["Wij bewaren uw gegevens veilig.", "Vragen: {{ site.support_url }}.", "Wij houden het kort."]
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", dutch, title="Voorbeeldbeleid"))
    repo.commit("Add the fictional policy 1.0", "2019-12-01T10:00:00+01:00")
    v11 = [*base[:2], "We delete records after one year.", base[2]]
    repo.write("policies/privacy/en.md", policy_text("1.1", "2023-03-01", v11, summary="Adds a retention clause."))
    repo.commit("Version 1.1", "2023-02-01T10:00:00+01:00")
    v20 = [*v11, "We tell you about changes by email."]
    repo.write("policies/privacy/en.md", policy_text("2.0", "2031-01-01", v20, summary="Adds notice by email."))
    repo.commit("Version 2.0 (upcoming)", "2026-11-01T10:00:00+01:00")
    return repo


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PolicyRepo, Path]]:
    """One repository, built once as of AS_OF (each test tampers with a copy of the output)."""
    repo = _history(PolicyRepo(tmp_path_factory.mktemp("verify") / "repo"))
    out = repo.path / "site"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    yield repo, out
    repo.repo.close()


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _script_in_head(out: Path) -> str:
    _replace(out / "alpha/en/privacy/index.html", "</head>", '<script src="https://evil.example/x.js"></script></head>')
    return "alpha/en/privacy/index.html"


def _effective_date(out: Path) -> str:
    page = "alpha/en/privacy/1.1/index.html"
    _replace(
        out / page, '<time datetime="2023-03-01">1 March 2023</time>', '<time datetime="2024-03-01">1 March 2024</time>'
    )
    return page


def _status(out: Path) -> str:
    page = "alpha/en/privacy/1.0/index.html"
    _replace(out / page, 'policy-status--superseded">Superseded', 'policy-status--in-force">In force')
    return page


def _hidden_text(out: Path) -> str:  # the true text is still there, hidden; another is shown
    page = "alpha/en/privacy/index.html"
    shown = '<style>.policy-text{display:none}</style><p>We may sell your records.</p><div class="policy-text"'
    _replace(out / page, '<div class="policy-text"', shown)
    return page


def _redline(out: Path) -> str:
    page = "alpha/en/privacy/changes/1.0...1.1/index.html"
    _replace(out / page, "one year", "ten years")
    return page


def _history_page(out: Path) -> str:
    page = "alpha/en/privacy/history/index.html"
    _replace(out / page, "Adds a retention clause.", "Nothing of note.")
    return page


def _empty_feed(out: Path) -> str:
    (out / "alpha/en/feed.atom").write_text("", encoding="utf-8")
    return "alpha/en/feed.atom"


def _empty_banner(out: Path) -> str:
    (out / "beta/en/banner.html").write_text("", encoding="utf-8")
    return "beta/en/banner.html"


def _in_force(out: Path) -> str:
    index = out / "alpha/versions.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    data["policies"]["privacy"]["en"]["in_force"] = "2.0"
    index.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return "alpha/versions.json"


def _extra_page(out: Path) -> str:
    (out / "alpha/en/privacy/notes.html").write_text("<p>Not ours.</p>", encoding="utf-8")
    return "alpha/en/privacy/notes.html"


def _extra_file(out: Path) -> str:
    (out / "beta/robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    return "beta/robots.txt"


def _fake_version(out: Path) -> str:
    shutil.copytree(out / "alpha/en/privacy/1.0", out / "alpha/en/privacy/0.9")
    return "alpha/en/privacy/0.9/"


def _deleted_history(out: Path) -> str:
    (out / "alpha/nl/privacy/history/index.html").unlink()
    return "alpha/nl/privacy/history/index.html"


def _linked_file(out: Path) -> str:  # the same bytes today, but a link serves whatever it points at later
    name = "beta/en/assets/stylesheets/smops-policy.css"
    (out / name).unlink()
    (out / name).symlink_to(out / "alpha/en/assets/stylesheets/smops-policy.css")
    return name


def _extra_site(out: Path) -> str:
    shutil.copytree(out / "beta", out / "gamma")
    return "gamma/"


TAMPERINGS = [
    (_script_in_head, '<script src="https://evil.example/x.js"></script>'),
    (_effective_date, "1 March 2024"),
    (_status, "In force"),
    (_hidden_text, "We may sell your records."),
    (_redline, "ten years"),
    (_history_page, "Nothing of note."),
    (_empty_feed, "is empty"),
    (_empty_banner, "is empty"),
    (_in_force, 'policies.privacy.en.in_force is "2.0", where the build has "1.1"'),
    (_extra_page, "is not part of the build"),
    (_extra_file, "is not part of the build"),
    (_fake_version, "is a folder the build"),
    (_deleted_history, "is missing"),
    (_extra_site, "is a folder the build"),
    (_linked_file, "is a symbolic link, where the build of"),
]


@pytest.mark.parametrize(("tamper", "said"), TAMPERINGS, ids=[tamper.__name__.strip("_") for tamper, _ in TAMPERINGS])
def test_verify_names_each_tampered_path_and_what_differs(
    built: tuple[PolicyRepo, Path], tmp_path: Path, tamper: Callable[[Path], str], said: str
) -> None:
    repo, out = built
    copy = tmp_path / "site"
    shutil.copytree(out, copy)
    path = tamper(copy)
    result = repo.smops("verify", "--output", str(copy))
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    named = [line for line in lines if line.startswith(f"{copy / path}{'/' if path.endswith('/') else ''}: ")]
    assert named, result.stderr
    assert said in named[0], named[0]
    assert named[0].endswith(HINT)
    assert len(lines) == 1, result.stderr  # that file, and nothing else


def test_verify_passes_on_an_untouched_build_and_leaves_nothing_behind(built: tuple[PolicyRepo, Path]) -> None:
    repo, out = built
    before = sorted(p.name for p in out.parent.iterdir())
    result = repo.smops("verify", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"ok: {out} matches git: every file is what a build of HEAD writes\n"
    assert sorted(p.name for p in out.parent.iterdir()) == before  # its own build aside is gone
    no_cache = repo.smops("verify", "--output", str(out), "--no-cache")
    assert no_cache.returncode == 0, no_cache.stderr


def test_verify_clears_only_what_a_killed_verify_left_beside_the_output(
    built: tuple[PolicyRepo, Path], tmp_path: Path
) -> None:
    repo, out = built
    copy = tmp_path / "site"
    shutil.copytree(out, copy)
    users = tmp_path / ".site.verify-999999999-mine"  # a dead process id: only the marker tells
    users.mkdir()
    (users / "notes.txt").write_text("kept\n", encoding="utf-8")
    killed = tmp_path / ".site.verify-999999998-x"  # what a killed verify leaves: its marked folder
    shutil.copytree(out, killed)
    result = repo.smops("verify", "--output", str(copy))
    assert result.returncode == 0, result.stderr
    assert (users / "notes.txt").read_text(encoding="utf-8") == "kept\n"
    assert not killed.exists()


def test_a_page_edited_in_place_is_found_though_the_cache_shares_its_file(
    three_versions: PolicyRepo, three_versions_site: Path
) -> None:
    out = three_versions_site  # built as of 2026-11-25: its files are hard links of the cache's
    page = out / "beta/en/privacy/history/index.html"
    with page.open("r+b") as handle:  # the same inode as the cache's copy of it
        data = handle.read()
        handle.seek(0)
        handle.write(data.replace(b"Adds a retention clause.", b"Adds nothing at all. "))
    result = three_versions.smops("verify", "--output", str(out))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{page}: differs from the build of ")
    assert "its sha256 is " in result.stderr  # the cache's copy was edited with it: no text to compare
    fresh = three_versions.smops("verify", "--output", str(out), "--no-cache")
    assert fresh.returncode == 1
    assert fresh.stderr.startswith(f"{page}: differs from the build of ")
    assert "Adds nothing at all." in fresh.stderr and "where the build has" in fresh.stderr


def test_verify_builds_for_the_date_and_commit_the_output_records(
    built: tuple[PolicyRepo, Path], tmp_path: Path
) -> None:
    repo, out = built
    data = json.loads((out / "alpha/versions.json").read_text(encoding="utf-8"))
    assert data["as_of"] == AS_OF and data["built_from"] == repo.repo.head.commit.hexsha
    other_day = repo.smops("verify", "--output", str(out), "--as-of", "2031-01-02")
    assert other_day.returncode == 1
    assert f"{out / 'alpha/versions.json'}: differs from the build of" in other_day.stderr
    assert 'as_of is "2026-11-25", where the build has "2031-01-02"' in other_day.stderr
    # a commit after the build (in a clone): the output no longer says what HEAD says
    clone = tmp_path / "clone"
    with git.Repo.clone_from(repo.path, clone) as later:
        (clone / "policies/privacy/en.md").write_text(
            policy_text("2.1", "2032-01-01", ["One.", "Two.", "Three."]), encoding="utf-8"
        )
        later.git.add("-A")
        stamp = git_date("2026-11-20T10:00:00+01:00")
        later.index.commit("Version 2.1", author_date=stamp, commit_date=stamp)
        head = later.head.commit.hexsha[:12]
    moved = run_in_process(["verify", "--repo", str(clone), "--output", str(out)], cwd=clone)
    assert moved.returncode == 1
    built_from = f"{out / 'alpha/versions.json'}: was built from commit {data['built_from'][:12]}, but HEAD is {head}"
    assert built_from in moved.stderr


def test_builds_of_one_commit_and_date_are_byte_identical_whatever_the_clock_zone_folder_or_jobs(
    built: tuple[PolicyRepo, Path], tmp_path: Path
) -> None:
    repo, out = built
    clone = tmp_path / "elsewhere" / "clone"
    git.Repo.clone_from(repo.path, clone).close()
    # In this process, in a zone set as a process starting in it would have it (`time.tzset`): what the
    # build reads of the clock zone and SOURCE_DATE_EPOCH while it runs.
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", "0")
            patch.setenv("TZ", "Pacific/Kiritimati")
            time.tzset()
            target = tmp_path / "out0"
            argv = ["build", "--repo", str(repo.path), "--as-of", AS_OF, "--output", str(target), "--no-cache"]
            result = run_in_process([*argv, "--jobs", "1"], cwd=tmp_path)
    finally:
        time.tzset()  # the test process's own zone again
    assert result.returncode == 0, result.stderr
    assert tree_digest(target) == tree_digest(out)
    # A process of its own for the other: started in another zone and locale (what a module reads when
    # it is imported), its build workers forked from it.
    target = tmp_path / "out1"
    command = [*repo.command("build", "--as-of", AS_OF, "--output", str(target), "--jobs", "2")]
    command[command.index(str(repo.path))] = str(clone)
    env = {"SOURCE_DATE_EPOCH": "2000000000", "TZ": "America/Adak", "LC_ALL": "C"}
    subprocess.run(command, env={**os.environ, **env}, check=True, capture_output=True, cwd=tmp_path)
    assert tree_digest(target) == tree_digest(out)


def test_a_missing_folder_is_named_once(built: tuple[PolicyRepo, Path], tmp_path: Path) -> None:
    repo, out = built
    copy = tmp_path / "site"
    shutil.copytree(out, copy)
    shutil.rmtree(copy / "alpha/nl")
    result = repo.smops("verify", "--output", str(copy))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    folder = [line for line in lines if line.startswith(f"{copy / 'alpha/nl'}/: is missing: the build of ")]
    assert len(folder) == 1 and " files in it" in folder[0], result.stderr
    # beside it, only the pages the version-by-version check names (the Dutch 1.0 and the one in force)
    assert len(lines) <= 3, result.stderr


def test_verify_leaves_the_cache_as_the_build_left_it(
    three_versions: PolicyRepo, tmp_path: Path, three_versions_site: Path
) -> None:
    out = three_versions_site  # built as of 2026-11-25, with the repository's cache as that build left it
    assert three_versions.smops("verify", "--output", str(out), "--as-of", "2031-01-02").returncode == 1
    again = three_versions.smops("build", "--as-of", AS_OF, "--output", str(tmp_path / "again"), "--verbose")
    assert "cache: 3 of 3 language builds reused" in again.stderr, again.stderr
