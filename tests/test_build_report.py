"""One request in, one report out: `build_output(request) -> BuildReport` is the one way to build, so
`mkdocs build` and `smops-policy build` say the same warnings, and a build's problems, pages, files and
cache figures come back as data."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import pytest

from smops_policy.build.output import build_output
from smops_policy.build.request import BuildRequest

from .conftest import run_mkdocs_in_process

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import PolicyRepo

AS_OF = "2026-11-25"


def _policy_warnings(stderr: str) -> set[str]:
    """The policy warnings a build printed, as `path: message`: the CLI says `path: warning: message`,
    mkdocs `WARNING -  path: message`."""
    found = set()
    for line in stderr.splitlines():
        if line.startswith("WARNING -  ") and ("policies/" in line or "mkdocs.yml" in line):
            found.add(line.removeprefix("WARNING -  "))
        elif ": warning: " in line:
            found.add(line.replace(": warning: ", ": ", 1))
    return found


def test_mkdocs_build_and_smops_policy_build_say_the_same_warnings(three_versions: PolicyRepo, tmp_path: Path) -> None:
    repo = three_versions
    # edits of sites.yml (read with the project) and of mkdocs.yml (read by the build) not yet committed
    for name in ("policies/sites.yml", "mkdocs.yml"):
        edited = repo.path / name
        edited.write_text(edited.read_text(encoding="utf-8") + "# an edit not yet committed\n", encoding="utf-8")
    ours = repo.smops("build", "--as-of", AS_OF, "--output", str(tmp_path / "ours"), "--no-cache")
    assert ours.returncode == 0, ours.stderr
    theirs = run_mkdocs_in_process(["build", "--site-dir", str(tmp_path / "theirs")], cwd=repo.path)
    assert theirs.returncode == 0 and "Traceback" not in theirs.stderr, theirs.stderr
    said = _policy_warnings(ours.stderr)
    assert (
        "policies/sites.yml: has uncommitted changes that are not published (commit them, or preview with --drafts)"
        in said
    )
    assert any(line.startswith("mkdocs.yml: has uncommitted changes") for line in said), said
    assert _policy_warnings(theirs.stderr) == said


def test_a_build_reports_its_pages_files_and_cache(three_versions: PolicyRepo, tmp_path: Path) -> None:
    output = tmp_path / "site"
    request = BuildRequest(three_versions.path, output, cache_dir=tmp_path / "cache", quiet=True, jobs=1)
    report = build_output(request)
    assert report.ok and report.prepared is not None
    assert report.pages == sum(1 for _ in output.rglob("index.html")) - 1 - len(
        report.prepared.plans
    )  # less the index pages
    assert report.written, "the digests of the files the language builds wrote"
    for name, sha256 in report.written.items():
        assert hashlib.sha256((output / name).read_bytes()).hexdigest() == sha256
    assert (report.cache.hits, report.cache.misses) == (0, 3)  # alpha in en and nl, beta in en
    again = build_output(request)
    assert (again.cache.hits, again.cache.misses) == (3, 0)
    assert [stage for stage, _seconds in again.timings][:2] == ["read the history from git", "plan the pages"]


def test_a_problem_comes_back_as_data_and_the_output_is_left_as_it_was(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    output = tmp_path / "site"
    assert build_output(BuildRequest(three_versions.path, output, as_of=None, quiet=True)).ok
    before = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    three_versions.write(
        "mkdocs.yml",
        (three_versions.path / "mkdocs.yml").read_text(encoding="utf-8")
        + "extra_css:\n  - https://cdn.example/x.css\n",
    )
    three_versions.commit("a style sheet from another host", "2026-11-02T10:00:00+01:00")
    report = build_output(BuildRequest(three_versions.path, output, quiet=True))
    assert not report.ok
    assert [problem.path for problem in report.problems] == ["mkdocs.yml"]
    assert "extra_css" in report.problems[0].message
    assert {path: path.read_bytes() for path in output.rglob("*") if path.is_file()} == before


def test_each_language_build_has_its_own_plugin_and_none_comes_from_mkdocs_yml(
    three_versions: PolicyRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A language build gets a LanguagePlugin made for it, not the `smops-policy` entry of mkdocs.yml
    (whose instance mkdocs would hand every configuration it loads, from its plugin cache)."""
    from mkdocs.config.defaults import MkDocsConfig

    from smops_policy.build.language_build import LanguagePlugin
    from smops_policy.plugin import PolicyPlugin

    # mkdocs' plugin cache as a fresh process has it: a PolicyPlugin an earlier `mkdocs build` in this
    # process left there would be handed out without being made, and not counted
    monkeypatch.setattr(MkDocsConfig.plugins, "plugin_cache", {})
    made = {PolicyPlugin: 0, LanguagePlugin: 0}
    for cls in made:

        def counted(self: object, *args: Any, _cls: type = cls, _init: Any = cls.__init__, **kwargs: Any) -> None:
            made[_cls] += 1
            _init(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counted)
    report = build_output(BuildRequest(three_versions.path, tmp_path / "site", quiet=True, jobs=1))
    assert report.ok, report.problems
    assert (made[PolicyPlugin], made[LanguagePlugin]) == (0, 3)  # alpha in en and nl, beta in en
