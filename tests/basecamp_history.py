"""Basecamp's privacy policy as a real source repository, made from tests/fixtures/basecamp/.

Each state of the fixture is committed with its original message, author date and committer date, at
its original path: renamed to privacy/privacy-policy.md in a commit, and back to privacy/index.md as
the original did it, on a branch (a pure rename, then the new text) merged with --no-ff, so that the
merge's diff against its first parent shows the file as new. Then `import_basecamp` runs the real
`smops-policy import` on it through the CLI.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import TYPE_CHECKING, Any

from .conftest import ROOT, PolicyRepo

if TYPE_CHECKING:
    import subprocess as sp
    from pathlib import Path

FIXTURE = ROOT / "tests" / "fixtures" / "basecamp"
MANIFEST: dict[str, Any] = json.loads((FIXTURE / "manifest.json").read_text(encoding="utf-8"))
STATES: list[dict[str, Any]] = MANIFEST["states"]
SOURCE_FILE = "privacy/index.md"

# One Site publishing the imported policy; sites.yml is committed before the import, as a user would.
SITES_YML = """\
timezone: Europe/Amsterdam
source_language: en
sites:
  basecamp:
    name: Basecamp Example
    url: https://basecamp.example/
    support_url: https://basecamp.example/support
    languages: [en]
    policies: [privacy]
"""


def git(where: Path, *args: str, author: str | None = None, committer: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    if author:
        env["GIT_AUTHOR_DATE"] = author
    if committer:
        env["GIT_COMMITTER_DATE"] = committer
    done = subprocess.run(["git", *args], cwd=where, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def make_source(path: Path, states: list[dict[str, Any]] | None = None) -> list[str]:
    """A git repository at `path` with the fixture's states of the policy as commits on `main`, dated
    as the originals; returns the new commits of those states, oldest first."""
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Basecamp Example")
    git(path, "config", "user.email", "policies@basecamp.invalid")
    git(path, "config", "maintenance.auto", "false")  # no `git maintenance` process after each commit
    commits: list[str] = []
    current: str | None = None
    for state in states if states is not None else STATES:
        dates = {"author": state["author_date"], "committer": state["committer_date"]}
        target = path / state["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        renamed_from = state.get("renamed_on_branch_from")
        if renamed_from:
            git(path, "checkout", "-q", "-b", "rename-back")
            git(path, "mv", renamed_from, state["path"])
            git(path, "commit", "-q", "-m", f"Rename {renamed_from} to {state['path']}", **dates)
            target.write_bytes((FIXTURE / state["file"]).read_bytes())
            git(path, "commit", "-q", "-am", "The consolidated policy", **dates)
            git(path, "checkout", "-q", "main")
            git(path, "merge", "-q", "--no-ff", "rename-back", "-m", state["message"], **dates)
            git(path, "branch", "-q", "-D", "rename-back")
        else:
            if current is not None and current != state["path"]:
                git(path, "mv", current, state["path"])
            target.write_bytes((FIXTURE / state["file"]).read_bytes())
            git(path, "add", state["path"])
            git(path, "commit", "-q", "-m", state["message"], **dates)
        current = state["path"]
        commits.append(git(path, "rev-parse", "HEAD").strip())
    return commits


def policy_repo_for_import(path: Path) -> PolicyRepo:
    """This repository before the import: mkdocs.yml and a sites.yml naming the policy, committed."""
    repo = PolicyRepo(path)
    repo.write("policies/sites.yml", SITES_YML)
    repo.commit("Sites", "2018-01-01T10:00:00+01:00")
    return repo


def import_basecamp(repo: PolicyRepo, source: Path, *more: str) -> sp.CompletedProcess[str]:
    return repo.smops(
        "import", "--from", str(source), "--file", SOURCE_FILE, "--policy", "privacy", "--lang", "en", *more
    )
