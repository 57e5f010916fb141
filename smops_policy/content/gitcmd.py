"""Plain `git` commands for the quick checks that run before anything heavy is imported (folders,
mkdocs.yml, the cache key's inputs); reading history and objects stays with gitpython in history.py."""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

__all__ = ["git_output", "work_tree_top"]


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
