"""Plain `git` commands for the quick checks that run before anything heavy is imported (folders,
mkdocs.yml, the cache key's inputs) and for writing the commits of an import; reading history and
objects stays with gitpython in history.py."""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["GitFailed", "git_output", "git_run", "work_tree_top"]


def git_output(where: Path, *args: str, errors: str = "surrogateescape") -> str | None:
    """A git command's standard output, or None when it fails (not a repository, no git)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(where), *args], capture_output=True, env={**os.environ, "LC_ALL": "C"}, check=False
        )
    except OSError:
        return None
    return done.stdout.decode("utf-8", errors) if done.returncode == 0 else None


@functools.cache
def work_tree_top(path: Path) -> Path | None:
    """The top of the git work tree holding `path` (None outside git); asked once per process, since
    the output, the cache and the build's inputs are all checked against it."""
    top = git_output(path, "rev-parse", "--show-toplevel")
    return Path(top.strip()).resolve() if top else None


class GitFailed(Exception):
    """A git command that failed, with what git said."""

    def __init__(self, args: Sequence[str], message: str) -> None:
        self.command = "git " + " ".join(args)
        self.message = message.strip() or "(git said nothing)"
        super().__init__(f"{self.command}: {self.message}")


def git_run(where: Path, *args: str, env: Mapping[str, str] | None = None, stdin: bytes | None = None) -> str:
    """A git command's standard output (stripped); GitFailed with git's message when it fails."""
    try:
        done = subprocess.run(
            ["git", "-C", str(where), *args],
            input=stdin,
            capture_output=True,
            env={**os.environ, "LC_ALL": "C", **(env or {})},
            check=False,
        )
    except OSError as exc:
        raise GitFailed(args, str(exc)) from None
    if done.returncode != 0:
        raise GitFailed(args, done.stderr.decode("utf-8", "replace"))
    return done.stdout.decode("utf-8", "surrogateescape").strip()
