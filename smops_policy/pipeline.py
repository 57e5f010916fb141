"""The calls the CLI and the mkdocs plugin share: load → plan → write."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from . import i18n
from .project import Project, load_project
from .render import BodyCache, DiffCache
from .site import PlannedPage, SitePlan, plan_site

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

__all__ = ["Prepared", "prepare", "root_page", "write_site_files"]


@dataclass(frozen=True)
class Prepared:
    project: Project
    as_of: dt.date
    plans: list[SitePlan]
    bodies: BodyCache


def prepare(
    repo: Path, *, as_of: dt.date | None = None, drafts: bool = False, site_ids: list[str] | None = None
) -> Prepared:
    """Read the repository and plan every page of every Site as of a date (default: today there)."""
    project = load_project(repo, drafts=drafts)
    as_of = as_of or i18n.today(project.publisher.timezone)
    bodies, diffs = BodyCache(), DiffCache()
    plans = [
        plan_site(project, site, as_of, bodies, diffs)
        for site in project.publisher.sites
        if site_ids is None or site.id in site_ids
    ]
    return Prepared(project, as_of, plans, bodies)


def root_page(prepared: Prepared) -> PlannedPage:
    """The output's own front page: a list of the Sites (for previews and a shared host)."""
    items = []
    for plan in prepared.plans:
        langs = " · ".join(
            f'<a href="{plan.site.id}/{lang}/" hreflang="{lang}">{escape(i18n.language_name(lang))}</a>'
            for lang in plan.site.languages
        )
        items.append(f'<li><a href="{plan.site.id}/">{escape(plan.site.name)}</a> — {langs}</li>')
    html = f"<h1>Sites</h1><p>As of {prepared.as_of.isoformat()}.</p><ul>{''.join(items)}</ul>"
    dates = [v.committed.date() for h in prepared.project.histories.values() for v in h.versions if v.committed]
    return PlannedPage("en/", "Sites", html, updated=max(dates) if dates else prepared.as_of)


def write_site_files(prepared: Prepared, plan: SitePlan, site_dir: Path) -> None:
    """Files of a Site folder beside its language builds (index, feeds, versions.json come here)."""
