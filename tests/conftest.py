"""Fixtures: real git repositories in tmp_path with fixed commit dates, and real builds."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import textwrap
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import git
import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parent.parent

SITES_YML = """\
timezone: Europe/Amsterdam
source_language: en
sites:
  alpha:
    name: Alpha Example
    url: https://alpha.example/
    support_url: https://alpha.example/help
    languages: [en, nl]
    policies: [privacy]
  beta:
    name: Beta Example
    url: https://beta.example/
    support_url: https://beta.example/support
    languages: [en]
    policies: [privacy]
"""


def policy_text(
    version: str,
    effective: str,
    clauses: list[str],
    *,
    title: str = "Sample Policy",
    summary: str = "A fictional test version.",
    extra_front: str = "",
    sections: dict[int, str] | None = None,
) -> str:
    """A plainly fictional policy file: `clauses` numbered 1..N, with `sections` headings before clause numbers."""
    sections = sections or {}
    lines = ["---", f"title: {title}", f'version: "{version}"', f"effective: {effective}", f"summary: {summary}"]
    if extra_front:
        lines.append(extra_front)
    lines += ["---", "", "Fictional Example Ltd", ""]
    for number, clause in enumerate(clauses, start=1):
        if number in sections:
            lines += ["", f"## {sections[number]}", ""]
        lines.append(f"{number}. {clause}")
    return "\n".join(lines) + "\n"


def git_date(when: str) -> str:
    """'2024-01-10T09:00:00+01:00' in git's own '<seconds> +0100' form."""
    moment = dt.datetime.fromisoformat(when)
    offset = moment.strftime("%z")
    return f"{int(moment.timestamp())} {offset}"


# Commands run in-process by default: the suite is about behaviour, and a fresh interpreter per command
# (importing mkdocs, gitpython and the theme again) was most of its time. Tests about the process itself
# (the console script, a killed build, a closed pipe) start one with `PolicyRepo.command`.
IN_PROCESS = os.environ.get("SMOPS_TEST_SUBPROCESS") != "1"


def run_in_process(argv: list[str], *, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`smops-policy ARGV` through `main(argv)`, as the console script runs it, with what it printed.

    An exception that escapes `main` is what a user would see as a traceback: it is written to the
    captured stderr as Python would print it, with exit code 1, so tests can assert there is none.
    """
    from smops_policy.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 1
            except Exception:
                traceback.print_exc(file=sys.stderr)
                code = 1
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(["smops-policy", *argv], code, stdout.getvalue(), stderr.getvalue())


class PolicyRepo:
    """A real git repository in a temporary folder, committed with fixed dates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.repo = git.Repo.init(path, initial_branch="main")
        with self.repo.config_writer() as config:
            config.set_value("user", "name", "Test Editor")
            config.set_value("user", "email", "editor@example.invalid")
        (path / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
        (path / "policies").mkdir()

    def write(self, relative: str, content: str | bytes) -> Path:
        file = self.path / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            file.write_bytes(content)
        else:
            file.write_text(textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8")
        return file

    def commit(self, message: str, when: str, *paths: str) -> str:
        """Commit everything (or `paths`) at a fixed date, e.g. '2024-01-10T09:00:00+01:00'."""
        self.repo.git.add(*(paths or ["-A"]))
        stamp = git_date(when)
        commit = self.repo.index.commit(message, author_date=stamp, commit_date=stamp)
        return commit.hexsha

    def command(self, *args: str) -> list[str]:
        """The real command line on this repository, e.g. command("build", "--as-of", "2026-11-25")."""
        return [sys.executable, "-m", "smops_policy.cli", *args, "--repo", str(self.path)]

    def smops(self, *args: str, check: bool = False, process: bool = False) -> subprocess.CompletedProcess[str]:
        """Run the real command line, as a legal editor or CI would: `main(argv)` in this process, with
        its own stdout and stderr (a process of its own with `process=True` or SMOPS_TEST_SUBPROCESS=1:
        for what a process does not share with the next, such as modules a mkdocs hook imports)."""
        if IN_PROCESS and not process:
            result = run_in_process([*args, "--repo", str(self.path)], cwd=self.path)
        else:
            result = subprocess.run(self.command(*args), capture_output=True, text=True, cwd=self.path)
        if check and result.returncode != 0:
            raise AssertionError(f"smops-policy {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result


@pytest.fixture
def policy_repo(tmp_path: Path) -> Iterator[PolicyRepo]:
    repo = PolicyRepo(tmp_path / "repo")
    repo.write("policies/sites.yml", SITES_YML)
    yield repo
    repo.repo.close()


@pytest.fixture
def three_versions(policy_repo: PolicyRepo) -> PolicyRepo:
    """Versions 1.0 (2020), 1.1 (2023-03-01) and 2.0 (upcoming on 2031-01-01), English and Dutch."""
    repo = policy_repo
    base = ["We keep your records safe.", "We answer questions at {{ site.support_url }}.", "We keep this text short."]
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", base, sections={2: "Contact"}))
    repo.write(
        "policies/privacy/nl.md",
        policy_text(
            "1.0",
            "2020-01-01",
            [
                "Wij bewaren uw gegevens veilig.",
                "Wij beantwoorden vragen via {{ site.support_url }}.",
                "Wij houden deze tekst kort.",
            ],
            title="Voorbeeldbeleid",
            summary="Een verzonnen testversie.",
            sections={2: "Contact"},
        ),
    )
    repo.commit("Add the fictional policy 1.0", "2019-12-01T10:00:00+01:00")
    v11 = [*base[:2], "We delete records after one year.", base[2]]
    repo.write(
        "policies/privacy/en.md",
        policy_text("1.1", "2023-03-01", v11, summary="Adds a retention clause.", sections={2: "Contact"}),
    )
    repo.commit("Version 1.1", "2023-02-01T10:00:00+01:00")
    v20 = [*v11, "We tell you about changes by email."]
    repo.write(
        "policies/privacy/en.md",
        policy_text("2.0", "2031-01-01", v20, summary="Adds notice by email.", sections={2: "Contact"}),
    )
    repo.commit("Version 2.0 (upcoming)", "2026-11-01T10:00:00+01:00")
    return repo


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real policies/ of this repository, committed into a clean clone and built once."""
    clone = tmp_path_factory.mktemp("real") / "repo"
    shutil.copytree(ROOT / "policies", clone / "policies")
    shutil.copy(ROOT / "mkdocs.yml", clone / "mkdocs.yml")
    with git.Repo.init(clone, initial_branch="main") as repo:
        stamp = git_date("2026-11-25T12:00:00+01:00")
        repo.git.add("-A")
        repo.index.commit("policies", author_date=stamp, commit_date=stamp)
    out = clone / "site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "smops_policy.cli",
            "build",
            "--repo",
            str(clone),
            "--as-of",
            "2026-11-25",
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    yield out
