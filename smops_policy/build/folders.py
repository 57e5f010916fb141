"""Which folders a build may replace or clear: only its own.

Every output and cache folder smops-policy makes carries a marker file. A build refuses an `--output`
or `--cache` that is `.git` or inside one, the repository (or a folder above it), a folder holding
files git tracks, or a folder with files in it and without the marker: replacing such a folder would
delete what the tool did not make. Asking git is two plain `git` commands (gitpython is only read
in history.py, and its import alone costs more than this check).
"""

from __future__ import annotations

import json
import os
import secrets
from typing import TYPE_CHECKING

from smops_policy.content.gitcmd import git_output
from smops_policy.errors import PolicyError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

__all__ = [
    "CACHE_TAG",
    "OUTPUT_MARKER",
    "claim_cache",
    "claim_output",
    "is_our_cache",
    "is_our_output",
    "is_tool_leftover",
    "make_marked_folder",
    "mark_cache",
    "mark_output",
    "process_alive",
]

OUTPUT_MARKER = ".smops-policy-output"
_OUTPUT_TEXT = (
    "This folder was made by smops-policy (`smops-policy build`, or `mkdocs build` with its plugin).\n"
    "Each build replaces the whole folder: keep no files of your own in it.\n"
    "smops-policy replaces or removes a folder only when it holds this file.\n"
)
CACHE_TAG = "CACHEDIR.TAG"
# The cache's marker is a standard cache-directory tag (backup tools skip the folder); its second
# line tells it from another tool's cache (which a build must not clear).
_CACHE_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# smops-policy build cache: safe to delete\n"
_CACHE_MARK = "# smops-policy build cache"


def is_our_output(folder: Path) -> bool:
    """Whether `folder` carries the output marker (a build made it)."""
    return (folder / OUTPUT_MARKER).is_file()


def is_our_cache(folder: Path) -> bool:
    """Whether `folder` carries smops-policy's cache tag (another tool's CACHEDIR.TAG is not ours)."""
    try:
        return _CACHE_MARK in (folder / CACHE_TAG).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def mark_output(folder: Path) -> None:
    (folder / OUTPUT_MARKER).write_text(_OUTPUT_TEXT, encoding="utf-8")


def mark_cache(folder: Path) -> None:
    (folder / CACHE_TAG).write_text(_CACHE_TEXT, encoding="utf-8")


def make_marked_folder(parent: Path, prefix: str) -> Path:
    """A new folder `parent/<prefix><random>` with the output marker, made with the user's umask
    (tempfile.mkdtemp would make it 0700: a web server running as another user could not read the
    output it becomes)."""
    while True:
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        mark_output(path)
        return path


def claim_output(output: Path, repo: Path, *, option: str = "--output") -> None:
    """Refuse an output folder the build must not replace (PolicyError naming it and what to do)."""
    folder = _usable(output, repo, option, OUTPUT_MARKER, is_our_output)
    if folder.exists() and not is_our_output(folder) and _has_files(folder) and not _old_output(folder):
        raise PolicyError.at(
            folder,
            f"is not empty and was not made by smops-policy (it has no {OUTPUT_MARKER}); "
            "a build replaces its output folder whole",
            hint=f"choose an empty or new folder for {option}, or move its files away first",
        )


def claim_cache(cache: Path, repo: Path, *, output: Path | None = None) -> None:
    """Refuse a cache folder that is not the tool's own; make and tag a new (or empty) one."""
    folder = _usable(cache, repo, "--cache", CACHE_TAG, is_our_cache)
    if output is not None:
        out = output.resolve()
        if folder == out or folder.is_relative_to(out) or out.is_relative_to(folder):
            raise PolicyError.at(
                folder,
                f"is the output folder {out}, or inside or around it",
                hint="keep the cache and the output apart (default cache: .smops-cache/)",
            )
    if is_our_cache(folder):
        return
    if folder.exists() and _has_files(folder):
        raise PolicyError.at(
            folder,
            f"is not empty and is not a smops-policy cache (no {CACHE_TAG} of smops-policy in it); "
            "the build would clear files in it",
            hint="choose an empty or new folder for --cache, or leave it out (default: .smops-cache/)",
        )
    folder.mkdir(parents=True, exist_ok=True)
    mark_cache(folder)


def _usable(path: Path, repo: Path, option: str, marker: str, ours: Callable[[Path], bool]) -> Path:
    """`_checked`, with what the system says of a path it cannot look at (a name too long, say) as a problem."""
    try:
        return _checked(path, repo, option, marker, ours)
    except OSError as exc:
        raise PolicyError.at(
            path, f"cannot be used ({exc.strerror or exc})", hint=f"choose another folder for {option}"
        ) from None


def _checked(path: Path, repo: Path, option: str, marker: str, ours: Callable[[Path], bool]) -> Path:
    """`path` resolved, unless it is .git or inside it, the repository or a folder above it, not a
    folder, or a folder the tool did not make that holds files git tracks. (A marked folder's files
    are the tool's even when committed: an output kept in git for a host that serves a branch.)"""
    folder = path.resolve()
    # (site/ is the default output: no example for the cache, which must be kept apart from it)
    example = "a new folder such as build-cache/" if option == "--cache" else "a new folder such as site/"
    hint = f"choose another folder for {option}, e.g. {example}"
    if ".git" in folder.parts:
        raise PolicyError.at(folder, "is git's own folder (or inside it): a build would destroy the history", hint=hint)
    # (the top of the git work tree holds the repository, so a folder above that is above the repository)
    root = repo.resolve()
    if root.is_relative_to(folder):
        raise PolicyError.at(
            folder, f"is the repository {root} or a folder above it: a build would replace it", hint=hint
        )
    if folder.exists() and not folder.is_dir():
        raise PolicyError.at(folder, "exists and is not a folder", hint=hint)
    above = next((parent for parent in folder.parents if parent.exists()), None)
    if above is not None and not above.is_dir():  # the folder could not be made
        raise PolicyError.at(folder, f"cannot be made: {above} is a file, not a folder", hint=hint)
    if (folder / ".git").exists():  # even in a marked output: a checkout made there to deploy it, say
        raise PolicyError.at(
            folder,
            "holds a git repository (.git): a build would replace it",
            hint=f"{hint}, and copy the build into it",
        )
    if folder.is_dir() and not ours(folder):
        tracked = git_output(folder, "ls-files", "-z", "--", ".")
        if tracked:
            first = tracked.split("\0", 1)[0]
            raise PolicyError.at(
                folder,
                f"holds files git tracks (such as {first}): a build would replace them",
                hint=f"{hint}; if it is smops-policy's own output, committed on purpose, add an empty {marker} file to it",
            )
    return folder


def _has_files(folder: Path) -> bool:
    return any(folder.iterdir())


def _old_output(folder: Path) -> bool:
    """An output of an earlier release, made before outputs carried the marker: the front page and
    one folder per Site, each with that Site's versions.json. The next build marks it and replaces it."""
    sites = 0
    for entry in folder.iterdir():
        if entry.name == "index.html" and entry.is_file():
            continue
        if not entry.is_dir():
            return False
        try:
            index = json.loads((entry / "versions.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        site = index.get("site") if isinstance(index, dict) else None
        if not (isinstance(site, dict) and site.get("id") == entry.name and "format" in index):
            return False
        sites += 1
    return sites > 0


def process_alive(pid: int) -> bool:
    """Whether a process of that id still runs (one of another user counts): its folders are not leftovers."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_tool_leftover(folder: Path) -> bool:
    """A folder a killed build or verify left beside the output: marked (or still empty, from one killed
    before it marked it); never a symbolic link to somewhere else."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    return is_our_output(folder) or not any(folder.iterdir())
