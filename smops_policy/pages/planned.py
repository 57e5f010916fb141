"""The page plan as plain data: which pages a Site has in each language, at which URL, with a
body made on demand. `plan.py` makes it; the build and the Site files read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from smops_policy.content.project import Project
    from smops_policy.model import Site

__all__ = ["PlannedPage", "SitePlan", "Toc"]


Toc = tuple[tuple[str, str], ...]  # (anchor, heading) for a page's table of contents


@dataclass(frozen=True, slots=True)
class PlannedPage:
    """A page to write. Its body is made only when needed (`content()`), so that a Site whose
    output comes from the cache costs no rendering."""

    url: str  # relative to the Site folder, e.g. "en/privacy/1.0/"
    title: str
    make: Callable[[], tuple[str, Toc]]  # renders (html, toc) on demand
    in_nav: bool = False
    searchable: bool = False
    description: str = ""
    alternates: dict[str, str] = field(default_factory=dict)  # lang → url of the same page
    updated: dt.date | None = None  # when its content last changed (sitemap lastmod)

    def content(self) -> tuple[str, Toc]:
        return self.make()

    @property
    def lang(self) -> str:
        return self.url.split("/", 1)[0]

    @property
    def src_uri(self) -> str:
        """The page's file inside its language's mkdocs build."""
        inner = self.url.split("/", 1)[1]
        return f"{inner}index.md"


@dataclass(frozen=True)
class SitePlan:
    site: Site
    as_of: dt.date
    pages: dict[str, list[PlannedPage]]  # lang → pages
    nav: dict[str, list[tuple[str, str]]]  # lang → (title, url)
    project: Project | None = None  # the project as this Site reads it (`site_project`)

    def lang_pages(self, lang: str) -> list[PlannedPage]:
        return self.pages.get(lang, [])
