"""Repository → plan: read the history and plan every page of every Site as of a date (`prepare`),
the first step of every build (`output.build_output`); and what a language build is made of, as a
cache key (`Prepared.language_key`)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from smops_policy import i18n
from smops_policy.build.cache import BuildCache
from smops_policy.build.config_inputs import config_digest
from smops_policy.content.project import Project, load_project
from smops_policy.pages.caches import BodyCache, DiffCache
from smops_policy.pages.plan import plan_site

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from smops_policy.pages.planned import SitePlan


__all__ = ["Prepared", "prepare"]


@dataclass(frozen=True)
class Prepared:
    project: Project
    as_of: dt.date
    plans: list[SitePlan]
    bodies: BodyCache
    timings: tuple[tuple[str, float], ...] = ()  # (stage, seconds) of reading and planning
    # mkdocs.yml and every file it points at (theme overrides, hooks, INHERITed configs), as a sha256
    config_inputs: str = ""

    def language_key(self, plan: SitePlan, lang: str, config_text: str) -> str:
        """What a Site's language build is made of, as a cache key (no rendering needed)."""
        project = self.project
        parts = [config_text, self.config_inputs, repr(project.publisher), plan.site.id, lang, self.as_of.isoformat()]
        languages = {*plan.site.languages, project.publisher.source_language}
        for policy in plan.site.policies:
            for code in sorted(languages):
                history = project.history(policy, code)
                if history is None:
                    continue
                for v in history.versions:
                    if code == lang:
                        parts.append(f"{policy}/{code}/{v.number}/{v.sha256}/{v.commit}/{v.draft}")
                    else:  # other languages matter by which versions they have (links, lag notices)
                        parts.append(f"{policy}/{code}/{v.number}/{v.effective}/{v.draft}")
        for archived in project.archive(plan.site.id, lang):  # withdrawn policies' pages, kept
            parts += [
                f"{archived.policy}/{archived.withdrawn_on}/{v.number}/{v.sha256}/{v.commit}" for v in archived.versions
            ]
        return BuildCache.key(*parts)


def prepare(
    repo: Path,
    *,
    as_of: dt.date | None = None,
    drafts: bool = False,
    site_ids: tuple[str, ...] | list[str] | None = None,
    config_file: Path | None = None,
) -> Prepared:
    """Read the repository and plan every page of every Site (or of `site_ids`) as of a date (default:
    today there). `config_file`: the mkdocs.yml the build uses (default: the repository's)."""
    started = time.perf_counter()
    # Before anything is built: a file changed during the build makes the next key differ.
    config_inputs = config_digest(config_file or repo / "mkdocs.yml") or ""
    project = load_project(repo, drafts=drafts)
    read = time.perf_counter()
    as_of = as_of or i18n.today(project.publisher.timezone)
    bodies, diffs = BodyCache(project.source_of), DiffCache()
    if site_ids is not None:
        _known_sites(project, site_ids)
    plans = [
        plan_site(project, site, as_of, bodies, diffs)
        for site in project.publisher.sites
        if site_ids is None or site.id in site_ids
    ]
    timings = (("read the history from git", read - started), ("plan the pages", time.perf_counter() - read))
    return Prepared(project, as_of, plans, bodies, timings, config_inputs=config_inputs)


def _known_sites(project: Project, site_ids: tuple[str, ...] | list[str]) -> None:
    """`--site ID` names a Site of sites.yml."""
    for site_id in site_ids:
        project.named_site(site_id)
