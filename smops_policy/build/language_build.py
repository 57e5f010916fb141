"""One Site in one language: an mkdocs-material build of its planned pages into `<site>/<lang>/`,
or that folder taken from the cache when it holds this build.

Each build gets a plugin instance of its own (`LanguagePlugin`), put into its configuration through
mkdocs' public API (`config.plugins[name] = instance`): it hands mkdocs the planned pages as
finished HTML, the navigation, and counts the pages written. Problems found while rendering come
back as data (`LanguagePlugin.problems`); mkdocs never sees them as exceptions.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from smops_policy.build import speedups
from smops_policy.build.language_config import language_config
from smops_policy.build.logs import PLUGIN_NAME, quiet_unless_verbose
from smops_policy.build.mkdocs_yml import add_our_theme
from smops_policy.build.site_files import write_site_index
from smops_policy.build.templates import theme_text
from smops_policy.build.theme_checks import theme_file_needed
from smops_policy.errors import PolicyError, Problem
from smops_policy.urls import relative

if TYPE_CHECKING:
    from pathlib import Path

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.utils.templates import TemplateContext

    from smops_policy.build.progress import Progress
    from smops_policy.build.run import BuildRun
    from smops_policy.build.speedups import SharedTemplates
    from smops_policy.pages.planned import PlannedPage, SitePlan

__all__ = ["LanguagePlugin", "build_language", "build_site_folder"]


class PlannedView(Page):
    """A page whose HTML was rendered by smops-policy: mkdocs frames it and skips Python-Markdown."""

    def __init__(
        self, planned: PlannedPage, file: File, config: MkDocsConfig, base_url: str, problems: list[Problem]
    ) -> None:
        super().__init__(theme_text(planned.title), file, config)
        self.planned = planned
        self.base_url = base_url
        self.problems = problems  # the language build's: a page that cannot be rendered says so there
        self.held_back = ""
        if planned.updated is not None:  # the content's own date, never the clock: reproducible sitemaps
            self.update_date = planned.updated.isoformat()

    def read_source(self, config: MkDocsConfig) -> None:
        planned = self.planned
        self.markdown = ""
        self.meta = {
            "title": theme_text(planned.title),
            "alternates": planned.alternates,
            "hreflang": {lang: self.base_url + url for lang, url in planned.alternates.items()},
        }
        if planned.description:
            self.meta["description"] = theme_text(planned.description)
        if not planned.searchable:
            self.meta["search"] = {"exclude": True}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        try:
            html, toc = self.planned.content()
        except PolicyError as exc:  # reported with the others when the build ends; its output is not kept
            self.problems.extend(exc.problems)
            html, toc = "", ()
        if not self.planned.searchable and speedups.hold_back_from_search():
            self.held_back, self.content = html, ""
        else:
            self.content = html
        self.toc = get_toc(
            [{"level": 2, "id": anchor, "name": theme_text(name), "children": []} for anchor, name in toc]
        )
        self.present_anchor_ids = set()


class _NoOptions(Config):
    """The language plugin has none: it is never loaded from mkdocs.yml."""


class LanguagePlugin(BasePlugin[_NoOptions]):
    """The smops-policy part of one Site × language build (no options: it is never loaded from mkdocs.yml)."""

    def __init__(self, plan: SitePlan, lang: str, progress: Progress, templates: SharedTemplates) -> None:
        self.plan, self.lang, self.progress, self.templates = plan, lang, progress, templates
        self.problems: list[Problem] = []

    # Before the other plugins' on_config: material's search plugin renders the theme's language
    # templates there, and they should come from the shared, compiled-once templates.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        add_our_theme(config.theme)
        self.templates.share(config.theme)
        config.nav = [
            {title: relative(f"{self.lang}/", url).removeprefix("./") + "index.md"}
            for title, url in self.plan.nav[self.lang]
        ]
        config.not_in_nav = None
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        kept = Files(
            [
                f
                for f in files
                if not f.is_documentation_page()
                and not f.src_uri.endswith((".yml", ".yaml"))
                and f.src_dir != config.docs_dir
                and theme_file_needed(f.src_uri, self.lang)
            ]
        )
        for planned in self.plan.lang_pages(self.lang):
            file = File.generated(config, planned.src_uri, content="")
            PlannedView(planned, file, config, self.plan.site.base_url, self.problems)
            kept.append(file)
        return kept

    @event_priority(-100)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if isinstance(page, PlannedView) and page.held_back:
            page.content = page.held_back
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self.progress.advance()
        return output


def build_site_folder(run: BuildRun, plan: SitePlan, site_dir: Path) -> None:
    """Build every language of one Site into `site_dir` (or take it from the cache), plus its index page."""
    for lang in plan.site.languages:
        build_language(run, plan, lang, site_dir)
    write_site_index(plan, site_dir)


def build_language(run: BuildRun, plan: SitePlan, lang: str, site_dir: Path) -> None:
    """One Site in one language, into `site_dir/lang` (taken from the cache when it holds this build).
    Raises PolicyError with what stopped it."""
    pages = plan.lang_pages(lang)
    if not pages:
        return
    run.progress.start(f"{plan.site.id} {lang}")
    key = run.prepared.language_key(plan, lang, run.yml.text)
    target = site_dir / lang
    if run.cache.restore(key, target):
        run.progress.advance(len(pages))
        return
    config = language_config(run.yml, run.parsed_yml, plan, lang, target)
    plugin = LanguagePlugin(plan, lang, run.progress, run.templates)
    config.plugins[PLUGIN_NAME] = plugin
    try:
        with quiet_unless_verbose(run.request.verbose):
            mkdocs_build(config)
    except Abort as exc:  # mkdocs logged what stopped it (a theme template's error, say)
        raise PolicyError.at(
            run.yml.name,
            f"the mkdocs build of Site {plan.site.id} in {lang!r} stopped: {exc}",
            hint="see the messages above",
        ) from None
    if plugin.problems:
        raise PolicyError(plugin.problems)
    run.cache.store(key, target)
    run.uncollected += len(pages)
    if speedups.collect_now(run.uncollected):
        gc.collect()
        run.uncollected = 0
