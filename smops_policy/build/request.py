"""What a build is asked to do (`BuildRequest`) and what it says it did (`BuildReport`).

`build_output(request) -> BuildReport` (run.py) is the one way to build: the CLI and the mkdocs
plugin make a request, and print the report's warnings and problems each in its own way. Plain
data, no mkdocs: the CLI reads these before it knows whether anything needs building.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping
    from pathlib import Path

    from smops_policy.build.pipeline import Prepared
    from smops_policy.errors import Problem

__all__ = ["BuildReport", "BuildRequest", "CacheStats"]


@dataclass(frozen=True)
class BuildRequest:
    """One build of a policy repository into an output folder."""

    repo: Path
    output: Path
    as_of: dt.date | None = None  # default: today in the timezone of sites.yml
    drafts: bool = False  # uncommitted changes as draft versions (previews only)
    config_file: Path | None = None  # the mkdocs.yml; default: the repository's
    cache_dir: Path | None = None  # finished language builds by content; None: no cache
    jobs: int = 0  # processes for the Site × language builds; 0: mkdocs.yml's `jobs`, else one per CPU
    # `--site`: only these Sites' folders are built and put in place (the others are left as they are);
    # empty: every Site, the whole output replaced
    sites: tuple[str, ...] = ()
    quiet: bool = False  # no progress line
    verbose: bool = False  # mkdocs' own info lines of each language build
    # False: a cached language build is taken as its list of files and their sha256, and none of its
    # files is written (`verify` compares digests; a build always writes them)
    restore_files: bool = True
    # `mkdocs serve`: build straight into its own temporary folder, in one process, nothing swapped
    preview: bool = False
    # how a refused output folder is named to the user: the CLI's option, or mkdocs' setting
    output_option: str = "--output"


@dataclass(frozen=True)
class CacheStats:
    hits: int = 0  # language builds taken from the cache
    misses: int = 0  # language builds made (and stored)
    dropped: int = 0  # entries found unsound (an object corrupt or missing), and rebuilt

    def summary(self) -> str:
        said = f"cache: {self.hits} of {self.hits + self.misses} language builds reused"
        return said + (f", {self.dropped} unsound entries dropped" if self.dropped else "")


@dataclass(frozen=True)
class BuildReport:
    """Everything a build did and found. `problems` empty: the output is in place; else nothing of
    the previous output was changed."""

    request: BuildRequest
    prepared: Prepared | None = None  # the plan (None when the build stopped before it)
    pages: int = 0
    # the output's files whose sha256 the build took as it wrote them (names relative to the output)
    written: Mapping[str, str] = field(default_factory=dict)
    timings: tuple[tuple[str, float], ...] = ()  # (stage, seconds), in order
    cache: CacheStats = CacheStats()
    warnings: tuple[Problem, ...] = ()  # said, and the build went on
    problems: tuple[Problem, ...] = ()  # what stopped the build, each once

    @property
    def ok(self) -> bool:
        return not self.problems
