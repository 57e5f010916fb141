"""Is the output already what a build would write? A quick check that runs before any heavy import.

A build is a function of its inputs: the repository (git HEAD, plus whatever is uncommitted), the
files mkdocs.yml points at (ignored by git or not; see config_inputs), this package and its theme,
the date it is built for and `--drafts`. A finished build leaves a stamp in
the cache folder: the sha256 of those inputs, and the sha256 of every file it wrote. When the inputs
hash the same and every output file still matches, the output *is* that build, byte for byte, and
there is nothing to do; anything else (an edit anywhere in the repository, a new commit, another day,
a file changed or missing in the output) and the build runs as usual.

The check reads git with two plain `git` commands rather than gitpython: importing gitpython alone
takes longer than the whole check (history.py stays the one module that reads git objects).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import tempfile
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from smops_policy.build.cache import code_fingerprint, tree_digests
from smops_policy.build.config_inputs import config_digest
from smops_policy.model import DEFAULT_TIMEZONE

if TYPE_CHECKING:
    from smops_policy.build.request import BuildReport

__all__ = ["Stamp", "inputs_key", "read_stamp", "write_stamp"]

_TIMEZONE = re.compile(r"^timezone:\s*['\"]?([A-Za-z0-9_+/-]+)", re.MULTILINE)


@dataclass
class Stamp:
    """What a finished build wrote, and from what."""

    inputs: str
    files: dict[str, str]  # path in the output → sha256
    pages: int = 0
    sites: int = 0
    as_of: str = ""
    warnings: list[str] = field(default_factory=list)

    def matches(self, output: Path) -> bool:
        """Whether `output` holds exactly the files this build wrote, each unchanged."""
        try:
            return tree_digests(output, expected=self.files) == self.files
        except OSError:
            return False


def _git(repo: Path, *args: str) -> subprocess.Popen[bytes] | None:
    """A git command, started (collect its output with `_output`)."""
    try:
        return subprocess.Popen(
            ["git", "-C", str(repo), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "LC_ALL": "C"},
        )
    except OSError:
        return None


def _output(process: subprocess.Popen[bytes] | None) -> str | None:
    if process is None:
        return None
    out, _ = process.communicate()
    return out.decode("utf-8", "surrogateescape") if process.returncode == 0 else None


def _today(repo: Path) -> dt.date | None:
    """Today in the timezone of sites.yml (read as the full build reads it, without YAML's cost)."""
    try:
        text = (repo / "policies" / "sites.yml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = _TIMEZONE.search(text)
    try:
        return dt.datetime.now(zoneinfo.ZoneInfo(found.group(1) if found else DEFAULT_TIMEZONE)).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def inputs_key(repo: Path, *, as_of: dt.date | None, drafts: bool, skip: list[Path]) -> tuple[str, dt.date] | None:
    """The sha256 of everything a build of `repo` reads, and the date it builds for; None when that
    cannot be told cheaply (not a git repository, a shallow one, a mkdocs.yml that does not parse).
    `skip`: folders inside the repository that are not inputs (the output, the cache)."""
    repo = repo.resolve()
    # mkdocs.yml and what it points at are hashed from disk, tracked or not: a git-ignored custom_dir,
    # an INHERITed config elsewhere, a hook, the variables `!ENV` reads.
    config = config_digest(repo / "mkdocs.yml")
    if config is None:
        return None
    date = as_of or _today(repo)
    if date is None:
        return None
    # Both git commands run side by side, and beside the hashing of this package.
    excluded = [f":(exclude,literal){p.resolve().relative_to(repo).as_posix()}" for p in skip if _inside(p, repo)]
    head = _git(repo, "rev-parse", "--is-shallow-repository", "--show-toplevel", "--verify", "HEAD")
    changes = _git(
        repo, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", ".", *excluded
    )
    digest = hashlib.sha256(code_fingerprint().encode())
    state, status = _output(head), _output(changes)
    if state is None or not state.startswith("false\n") or status is None:
        return None
    top = Path(state.split("\n")[1])
    for part in (state, config, date.isoformat(), "drafts" if drafts else "published"):
        digest.update(b"\0" + part.encode())
    for entry in status.split("\0"):
        if not entry:
            continue
        digest.update(b"\0" + entry.encode("utf-8", "surrogateescape"))
        file = top / entry[3:]
        if file.is_file():  # changed or new: what it holds now
            with file.open("rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest(), date


def _inside(path: Path, repo: Path) -> bool:
    return path.resolve().is_relative_to(repo) and path.resolve() != repo


def _stamp_path(cache_dir: Path, output: Path) -> Path:
    name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:32]
    return cache_dir / "outputs" / f"{name}.json"


def read_stamp(cache_dir: Path, output: Path) -> Stamp | None:
    try:
        data = json.loads(_stamp_path(cache_dir, output).read_text(encoding="utf-8"))
        return Stamp(**data)
    except (OSError, ValueError, TypeError):
        return None


def write_stamp(cache_dir: Path, output: Path, stamp: Stamp) -> None:
    """Record a finished build (whole or not at all; a stamp that cannot be written is no error)."""
    target = _stamp_path(cache_dir, output)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    except OSError:
        return
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(stamp.__dict__, file, indent=0, sort_keys=True)
        temporary.replace(target)
    except OSError:
        temporary.unlink(missing_ok=True)


def record_build(cache_dir: Path, output: Path, inputs: str, report: BuildReport, warnings: list[str]) -> None:
    """Stamp a finished build of the whole output: what it wrote (digests the build computed while
    writing, checked against the files), from which inputs, and the warnings it gave (an up-to-date
    build repeats them)."""
    prepared = report.prepared
    if prepared is None:  # a build that failed leaves no stamp
        return
    files = tree_digests(output, known=dict(report.written))
    stamp = Stamp(inputs, files, report.pages, len(prepared.plans), prepared.as_of.isoformat(), warnings)
    write_stamp(cache_dir, output, stamp)
