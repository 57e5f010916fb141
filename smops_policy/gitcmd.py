"""Plain `git` commands for the quick checks that run before anything heavy is imported (folders,
mkdocs.yml, the cache key's inputs); reading history and objects stays with gitpython in history.py."""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["git_output"]


def git_output(where: Path, *args: str, errors: str = "surrogateescape") -> str | None:
    """A git command's standard output, or None when it fails (not a repository, no git)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(where), *args], capture_output=True, env={**os.environ, "LC_ALL": "C"}, check=False
        )
    except OSError:
        return None
    return done.stdout.decode("utf-8", errors) if done.returncode == 0 else None
