"""One build's state from its plan to its last Site × language build (`BuildRun`): what every
language build of the run shares, and what they found. Passed along as one object, so no function
takes the same seven arguments and no module keeps a run's state in globals."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from smops_policy.build.cache import BuildCache
from smops_policy.build.progress import Progress
from smops_policy.build.speedups import SharedTemplates

if TYPE_CHECKING:
    from pathlib import Path

    from smops_policy.build.mkdocs_yml import MkdocsYml
    from smops_policy.build.pipeline import Prepared
    from smops_policy.build.request import BuildRequest
    from smops_policy.errors import Problem

__all__ = ["BuildRun", "Task"]

Task = tuple[int, str]  # (index of the Site's plan, language): one Site × language build


@dataclass
class BuildRun:
    request: BuildRequest
    prepared: Prepared
    target: Path  # the folder built into: the staging folder beside the output (the output, in a preview)
    yml: MkdocsYml  # the mkdocs.yml text every language build starts from
    cache: BuildCache
    progress: Progress
    # mkdocs.yml parsed once for the run (a speed trick, `language_config.parse_once`); None: each
    # language build parses it
    parsed_yml: dict[str, Any] | None = None
    templates: SharedTemplates = field(default_factory=SharedTemplates)  # the theme's, read once per run
    problems: list[Problem] = field(default_factory=list)  # what stopped a language build, in order
    uncollected: int = 0  # pages built since the last garbage collection (`speedups.collect_now`)

    def tasks(self) -> list[Task]:
        """Every Site × language build with pages, the longest first (the short ones fill in at the end)."""
        plans = self.prepared.plans
        found = [
            (index, lang) for index, plan in enumerate(plans) for lang in plan.site.languages if plan.lang_pages(lang)
        ]
        return sorted(found, key=lambda task: -len(plans[task[0]].lang_pages(task[1])))

    def in_worker(self, counter: Any) -> BuildRun:
        """This run as a forked worker carries it on: its own cache record and problems, its pages
        counted in the shared `counter` (a multiprocessing.Value)."""
        cache = BuildCache(self.cache.root, restore_files=self.request.restore_files)
        return replace(
            self, cache=cache, progress=Progress(0, enabled=False, shared=counter), problems=[], uncollected=0
        )
