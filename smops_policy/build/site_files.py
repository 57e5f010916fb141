"""Writing the files a Site folder has beside its language builds (versions.json, sitemap.xml, a
feed and a banner per language, the folder's own page) and the output's front page. The text of
each comes from a pure function in pages/."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smops_policy.pages.context import PageContext
from smops_policy.pages.indexes import root_index_html, site_index_html
from smops_policy.pages.outputs import (
    SITEMAP_FILE,
    VERSIONS_FILE,
    banner_html,
    dump_json,
    feed_xml,
    sitemap_xml,
    versions_index,
)
from smops_policy.urls import banner_url, feed_url

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from smops_policy.content.project import Project
    from smops_policy.model import Publisher
    from smops_policy.pages.planned import SitePlan

__all__ = ["write_root_index", "write_site_files", "write_site_index"]


def write_site_files(project: Project, plan: SitePlan, site_dir: Path) -> None:
    """versions.json and sitemap.xml of a Site; a feed and a banner per language. `project`: as the
    Site reads it (`plan.project`), else the project."""
    project = plan.project or project
    site = plan.site
    (site_dir / VERSIONS_FILE).write_text(dump_json(versions_index(project, site, plan.as_of)), encoding="utf-8")
    (site_dir / SITEMAP_FILE).write_text(sitemap_xml(plan), encoding="utf-8")
    for lang in site.languages:
        if not plan.lang_pages(lang):
            continue
        ctx = PageContext(project.publisher, site, lang, plan.as_of)
        (site_dir / lang).mkdir(parents=True, exist_ok=True)
        (site_dir / feed_url(lang)).write_text(feed_xml(ctx, project, site), encoding="utf-8")
        (site_dir / banner_url(lang)).write_text(banner_html(ctx, project, site), encoding="utf-8")


def write_site_index(plan: SitePlan, site_dir: Path) -> None:
    """The Site folder's own page: its policies in each of its languages (plain HTML, no assets)."""
    (site_dir / "index.html").write_text(site_index_html(plan), encoding="utf-8")


def write_root_index(publisher: Publisher, as_of: dt.date, output: Path) -> None:
    """The output's own front page: its Sites."""
    (output / "index.html").write_text(root_index_html(publisher, as_of), encoding="utf-8")
