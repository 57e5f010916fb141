"""Fixtures: real git repositories in tmp_path with fixed commit dates, and real builds."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import gc
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

import git
import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

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


def pytest_configure() -> None:
    """The test process collects garbage a tenth as often as Python's default (every 10,000 new objects,
    not 700): each collection of the oldest generation walks everything the suite keeps (pytest's test
    items, hypothesis, mkdocs, the theme), and those took 2 s of CPU per run; the builds' cycles are still
    freed within a test or two."""
    gc.set_threshold(10_000, 10, 10)


# Commands run in-process by default: the suite is about behaviour, and a fresh interpreter per command
# (importing mkdocs, gitpython and the theme again) was most of its time. Tests about the process itself
# (the console script, a killed build, a closed pipe) start one with `PolicyRepo.command`.
# `mkdocs build` runs in-process the same way, through mkdocs' own command (`run_mkdocs_in_process`).
IN_PROCESS = os.environ.get("SMOPS_TEST_SUBPROCESS") != "1"


@contextlib.contextmanager
def _one_cpu() -> Iterator[None]:
    """A build's default (`--jobs` not given: one process per CPU) sees one CPU in the test process.

    pytest-xdist already runs one test per CPU; a build that forked a worker from the test process (a
    copy of everything the run has imported) would cost more than it gains. Tests of the forked
    workers pass `--jobs 2`, and the commands a test starts as processes see the machine as it is.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "cpu_count", lambda: 1)
        yield


@contextlib.contextmanager
def _forgets_repository_modules(repository: Path) -> Iterator[None]:
    """What a command imports from the repository it runs in (a mkdocs hook, the modules the hook
    imports) is imported afresh by the next command, as a new process would: mkdocs keeps each hook it
    loaded by path for the process, and Python each module by name. (When a command runs in this
    checkout, its own package, its tests and the installed packages of a venv inside it stay: they are
    the code under test and its libraries, imported once, as in a process.)"""
    before = set(sys.modules)
    try:
        yield
    finally:
        from mkdocs.config.config_options import Hooks

        Hooks._load_hook.cache_clear()
        top = repository.resolve()
        installed = Path(sys.prefix).resolve()
        for name in set(sys.modules) - before:
            file = getattr(sys.modules[name], "__file__", None)
            if not file or name.partition(".")[0] in {"smops_policy", "tests"}:
                continue
            where = Path(file).resolve()
            if where.is_relative_to(top) and not where.is_relative_to(installed):
                del sys.modules[name]


def _as_a_command(
    program: str, argv: list[str], cwd: Path, run: Callable[[], object], *around: contextlib.AbstractContextManager[Any]
) -> subprocess.CompletedProcess[str]:
    """`run()` in `cwd` as the process `program ARGV` would run there, with what it printed and the exit
    code a process would give: its own stdout and stderr, one CPU, the modules it imported from the
    repository forgotten after it (and `around` entered too). An exception that escapes is written to
    the captured stderr as Python would print it, with exit code 1, so tests can assert there is none."""
    stdout, stderr = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.ExitStack() as stack:
            for context in (
                contextlib.redirect_stdout(stdout),
                contextlib.redirect_stderr(stderr),
                _one_cpu(),
                *around,
                _forgets_repository_modules(cwd),
            ):
                stack.enter_context(context)
            try:
                result = run()
                code = result if isinstance(result, int) else 0
            except SystemExit as exc:  # as Python ends a process with it
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except Exception:
                traceback.print_exc(file=sys.stderr)
                code = 1
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess([program, *argv], code, stdout.getvalue(), stderr.getvalue())


def run_in_process(argv: list[str], *, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`smops-policy ARGV` through `main(argv)`, as the console script runs it, with what it printed."""
    from smops_policy.cli import main

    return _as_a_command("smops-policy", argv, cwd, lambda: main(argv))


def run_mkdocs_in_process(argv: list[str], *, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs ARGV` in `cwd` through mkdocs' own click command (`python -m mkdocs` runs the same one,
    with the plugin loaded through its entry point), with what it printed and its exit code.

    mkdocs' command sets process-wide state a fresh process would not have seen: a log handler and
    level, `propagate = False` on the `mkdocs` logger, a duplicate filter on its build log, the warnings
    filters, and the plugin instances it keeps between builds. All are put back, so that the next run
    (and the next `smops-policy` run in this process) starts as a process would.
    """
    if not IN_PROCESS:  # SMOPS_TEST_SUBPROCESS=1: every command a process of its own, mkdocs' too
        return subprocess.run([sys.executable, "-m", "mkdocs", *argv], capture_output=True, text=True, cwd=cwd)
    import logging
    import warnings

    from mkdocs.__main__ import cli
    from mkdocs.commands import build
    from mkdocs.config.defaults import MkDocsConfig

    logger = logging.getLogger("mkdocs")
    saved = (logger.level, logger.propagate, list(logger.handlers), list(build.log.filters))
    plugin_cache = MkDocsConfig.plugins.plugin_cache
    cached = dict(plugin_cache)
    try:
        # click's standalone mode always ends with SystemExit; mkdocs sets its own warnings filters
        return _as_a_command("mkdocs", argv, cwd, lambda: cli.main(argv, prog_name="mkdocs"), warnings.catch_warnings())
    finally:
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        logger.handlers[:] = saved[2]
        build.log.filters[:] = saved[3]
        plugin_cache.clear()
        plugin_cache.update(cached)


@functools.cache
def _mkdocs_yml() -> str:
    """The project's mkdocs.yml, read when a test first makes a repository (mutmut's copy of the tests
    has none, and makes none)."""
    return (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


@functools.cache
def _empty_repository() -> Path:
    """The .git folder of a new repository (branch main, a test editor's name and address, and no
    automatic maintenance: `git commit` would start a `git maintenance run --auto` process after each
    commit, a third of the commit's time, for repositories that live a few seconds)."""
    folder = Path(tempfile.mkdtemp(prefix="smops-test-git-"))
    with git.Repo.init(folder, initial_branch="main") as repo, repo.config_writer() as config:
        config.set_value("user", "name", "Test Editor")
        config.set_value("user", "email", "editor@example.invalid")
        config.set_value("maintenance", "auto", "false")
    for sample in (folder / ".git" / "hooks").glob("*.sample"):  # examples only: not copied for every test
        sample.unlink()
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder / ".git"


_COMMIT = ["commit", "--quiet", "--allow-empty", "--cleanup=verbatim", "--file=-"]


class PolicyRepo:
    """A real git repository in a temporary folder, committed with fixed dates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # what `git init` and the two `git config` calls leave, made once per test process and copied
        shutil.copytree(_empty_repository(), path / ".git")
        self.repo = git.Repo(path)
        (path / "mkdocs.yml").write_text(_mkdocs_yml(), encoding="utf-8")
        (path / "policies").mkdir()

    @classmethod
    def open(cls, path: Path) -> PolicyRepo:
        """The PolicyRepo of an existing repository (a copy of one a fixture made)."""
        repo = cls.__new__(cls)
        repo.path = path
        repo.repo = git.Repo(path)
        return repo

    def write(self, relative: str, content: str | bytes) -> Path:
        file = self.path / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            file.write_bytes(content)
        else:
            file.write_text(textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8")
        return file

    def commit(self, message: str, when: str, *paths: str) -> str:
        """Commit everything (or `paths`) at a fixed date, e.g. '2024-01-10T09:00:00+01:00'.

        git itself makes the commit (gitpython's `index.commit` writes the tree and the commit in Python,
        several times slower); the message is kept verbatim, so the commit is the one `index.commit`
        made, byte for byte (the same ids)."""
        stamp = git_date(when)
        dated = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        for command, given in ((["add", *(paths or ["-A"])], None), (_COMMIT, message)):
            done = subprocess.run(
                ["git", *command], cwd=self.path, env=dated, input=given, capture_output=True, text=True
            )
            if done.returncode != 0:
                raise AssertionError(f"git {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
        return str(git.SymbolicReference.dereference_recursive(self.repo, "HEAD"))  # read from .git's files

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


def write_three_versions(repo: PolicyRepo) -> PolicyRepo:
    """Commit versions 1.0 (2020), 1.1 (2023-03-01) and 2.0 (upcoming on 2031-01-01), English and Dutch."""
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


# Expensive starting points are made once per test run (per xdist worker) and copied for each test that
# asks for them: a copy of a few dozen files costs a fraction of the git commands and the build that
# made them. Only the fixtures below see the originals; every test gets a copy of its own to change.


_GIT_OBJECTS = f"{os.sep}.git{os.sep}objects{os.sep}"


def copy_tree(source: Path, dest: Path, linked: dict[tuple[int, int], str] | None = None) -> None:
    """Copy `source` to `dest` as it is (file dates and modes too), keeping files that are hard links of
    each other linked in the copy: a build's output shares its files with its cache (`linked` carries
    that across several calls). git's object files are linked to the source's, not copied."""
    linked = {} if linked is None else linked

    def copy(src: str, dst: str) -> str:
        if _GIT_OBJECTS in src:  # git never changes an object file, only adds and deletes them: linked
            with contextlib.suppress(OSError):
                os.link(src, dst)
                return dst
        found = os.stat(src)
        if found.st_nlink > 1:
            key = (found.st_dev, found.st_ino)
            if key in linked:
                os.link(linked[key], dst)
                return dst
            linked[key] = dst
        return str(shutil.copy2(src, dst))

    shutil.copytree(source, dest, symlinks=True, copy_function=copy, dirs_exist_ok=True)


@pytest.fixture(scope="session")
def _three_versions_original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = PolicyRepo(tmp_path_factory.mktemp("three-versions") / "repo")
    repo.write("policies/sites.yml", SITES_YML)
    write_three_versions(repo)
    repo.repo.close()
    return repo.path


@pytest.fixture
def three_versions(
    tmp_path: Path, request: pytest.FixtureRequest, _three_versions_original: Path
) -> Iterator[PolicyRepo]:
    """Versions 1.0 (2020), 1.1 (2023-03-01) and 2.0 (upcoming on 2031-01-01), English and Dutch, in
    tmp_path/repo: a copy of the repository made once per run (the same commits, byte for byte)."""
    if "policy_repo" in request.fixturenames:  # a test that asks for both gets one repository
        policy_repo: PolicyRepo = request.getfixturevalue("policy_repo")
        yield write_three_versions(policy_repo)
        return
    copy_tree(_three_versions_original, tmp_path / "repo")
    repo = PolicyRepo.open(tmp_path / "repo")
    # The copied index records the original files' inodes and change times: refreshed, as the first
    # `git status` would do, it is what a repository committed here holds.
    repo.repo.git.update_index("-q", "--refresh")
    yield repo
    repo.repo.close()


STANDARD_AS_OF = "2026-11-25"


@pytest.fixture(scope="session")
def _three_versions_built(tmp_path_factory: pytest.TempPathFactory, _three_versions_original: Path) -> Path:
    folder = tmp_path_factory.mktemp("three-versions-built")
    copy_tree(_three_versions_original, folder / "repo")
    repo = PolicyRepo.open(folder / "repo")
    repo.smops("build", "--as-of", STANDARD_AS_OF, "--output", str(folder / "site"), check=True)
    repo.repo.close()
    return folder


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative path -> sha256)."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="session")
def three_versions_output(_three_versions_built: Path) -> Iterator[Path]:
    """The output of `three_versions` built as of 2026-11-25, one for the whole run, shared by the tests
    that only read it: READ-ONLY (a test that changes or builds into an output asks for
    `three_versions_site`, a copy of its own). The run fails if a test changed it."""
    out = _three_versions_built / "site"
    before = tree_digest(out)
    yield out
    assert tree_digest(out) == before, "a test changed the shared three_versions_output (use three_versions_site)"


@pytest.fixture
def three_versions_site(three_versions: PolicyRepo, tmp_path: Path, _three_versions_built: Path) -> Path:
    """tmp_path/site as `build --as-of 2026-11-25 --output <tmp_path>/site` leaves it for `three_versions`,
    with the repository's build cache (.smops-cache/) as that build leaves it: a copy of one build made
    once per run. Its up-to-date stamp names the folders it was built in, so the next build of this
    output is a real one (from the cache where nothing changed), not "already up to date"."""
    assert three_versions.path == tmp_path / "repo"
    linked: dict[tuple[int, int], str] = {}
    copy_tree(_three_versions_built / "repo" / ".smops-cache", three_versions.path / ".smops-cache", linked)
    copy_tree(_three_versions_built / "site", tmp_path / "site", linked)
    return tmp_path / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real policies/ of this repository, committed into a clean clone and built once (READ-ONLY)."""
    clone = tmp_path_factory.mktemp("real") / "repo"
    shutil.copytree(ROOT / "policies", clone / "policies")
    shutil.copy(ROOT / "mkdocs.yml", clone / "mkdocs.yml")
    with git.Repo.init(clone, initial_branch="main") as repo:
        stamp = git_date("2026-11-25T12:00:00+01:00")
        repo.git.add("-A")
        repo.index.commit("policies", author_date=stamp, commit_date=stamp)
    out = clone / "site"
    result = run_in_process(["build", "--repo", str(clone), "--as-of", "2026-11-25", "--output", str(out)], cwd=clone)
    assert result.returncode == 0, result.stderr
    yield out
