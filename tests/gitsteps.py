"""Git as an editor uses it (branches, merges, reverts), at fixed dates, for the history tests."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from typing import TYPE_CHECKING, Any

from .conftest import policy_text

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import PolicyRepo

ONE_SITE = """\
timezone: {timezone}
source_language: en
sites:
  alpha:
    name: Alpha Example
    url: https://alpha.example/
    support_url: https://alpha.example/help
    languages: [en]
    policies: [{policies}]
"""


def one_site(repo: PolicyRepo, *, timezone: str = "Europe/Amsterdam", policies: str = "privacy") -> None:
    repo.write("policies/sites.yml", ONE_SITE.format(timezone=timezone, policies=policies))


def text(version: str, effective: str, *clauses: str, summary: str = "A fictional test version.") -> str:
    return policy_text(version, effective, list(clauses) or [f"Text of version {version}."], summary=summary)


def git(repo: PolicyRepo, *args: str, when: str | None = None, check: bool = True) -> str:
    """Run git in the repository; `when` fixes the author and committer dates of what it commits."""
    env = dict(os.environ)
    if when is not None:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    result = subprocess.run(["git", *args], cwd=repo.path, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def head(repo: PolicyRepo) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def versions(repo: PolicyRepo, as_of: str, policy: str = "privacy") -> list[dict[str, Any]]:
    result = repo.smops("versions", policy, "--as-of", as_of, "--json", check=True)
    return list(json.loads(result.stdout))


def numbers(repo: PolicyRepo, as_of: str, policy: str = "privacy") -> list[str]:
    return [row["version"] for row in versions(repo, as_of, policy)]


def errors(repo: PolicyRepo) -> list[str]:
    """`check`'s errors (not its warnings); asserts it failed."""
    result = repo.smops("check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if ": warning: " not in line]


def passes(repo: PolicyRepo, out: Path, as_of: str) -> list[str]:
    """`check` and `build` both pass; returns check's warnings."""
    result = repo.smops("check")
    assert result.returncode == 0, result.stderr
    repo.smops("build", "--as-of", as_of, "--output", str(out), check=True)
    return result.stderr.splitlines()


def git_command_in_hint(message: str) -> list[str]:
    """The git command a hint gives, e.g. '(... (git revert --no-edit 0123abcd) ...)'."""
    found = re.search(r"(git (?:revert|checkout|show) [^),]+)", message)
    assert found, message
    return shlex.split(found.group(1))[1:]
