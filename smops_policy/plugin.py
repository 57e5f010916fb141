"""The mkdocs plugin: hooks only. The work is in project (loading), site (page plan) and publish."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from smops_policy.build import pipeline
from smops_policy.build.cache import BuildCache
from smops_policy.build.folders import claim_cache
from smops_policy.build.mkdocs_yml import MkdocsYml, add_our_theme, read_mkdocs_yml, third_party_problems
from smops_policy.build.publish import (
    PLUGIN_NAME,
    Progress,
    Staging,
    build_sites,
    theme_file_needed,
    theme_language_problems,
)
from smops_policy.build.site_files import write_root_index, write_site_files
from smops_policy.build.templates import forget_templates, share_templates, theme_text
from smops_policy.errors import PolicyError, Problem
from smops_policy.urls import relative

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.utils.templates import TemplateContext

    from smops_policy.pages.planned import PlannedPage, SitePlan

__all__ = ["PolicyPlugin", "PolicyPluginConfig"]

log = logging.getLogger(f"mkdocs.plugins.{PLUGIN_NAME}")


class PolicyPluginConfig(Config):
    repo = c.Optional(c.Type(str))  # the policy repository; default: the folder of mkdocs.yml
    as_of = c.Optional(c.Type(str))  # YYYY-MM-DD; default: today in the timezone of sites.yml
    drafts = c.Type(bool, default=False)
    jobs = c.Type(int, default=0)  # processes building Site × language builds; 0: one per CPU
    cache = c.Type(str, default=".smops-cache")  # finished builds by content, beside mkdocs.yml; "" turns it off


class _PlannedView(Page):
    """A page whose HTML was rendered by smops-policy: mkdocs frames it and skips Python-Markdown."""

    def __init__(self, planned: PlannedPage, file: File, config: MkDocsConfig, base_url: str = "") -> None:
        super().__init__(theme_text(planned.title), file, config)
        self.planned = planned
        self.base_url = base_url
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
        html, toc = self.planned.content()
        # Pages kept out of search hand mkdocs an empty body until our on_page_context (which runs
        # last): material's search plugin would otherwise scan every archive page with a regex.
        self.held_back = "" if self.planned.searchable else html
        self.content = html if self.planned.searchable else ""
        self.toc = get_toc(
            [{"level": 2, "id": anchor, "name": theme_text(name), "children": []} for anchor, name in toc]
        )
        self.present_anchor_ids = set()


class PolicyPlugin(BasePlugin[PolicyPluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.target: tuple[SitePlan, str] | None = None  # set for one Site × language's inner build
        self.prepared: pipeline.Prepared | None = None  # set by the CLI, or loaded in on_config
        self.loaded_here = False  # the plan was read by on_config: read it again for the next build
        self.staging: Staging | None = None
        self.cache_dir: Path | None = None  # the build cache's folder, claimed in on_config
        self.mkdocs_yml: MkdocsYml | None = None  # the text the Sites are built with, read in on_config
        self.serving = False
        self.progress: Progress | None = None  # set with `target`: counts the pages written
        self.problems: list[Problem] = []  # what stopped the last build, for the CLI to report

    def not_reported(self, record: logging.LogRecord) -> bool:
        """A logging filter: False for mkdocs' log of the problems this plugin raised (the CLI reports them)."""
        return not (self.problems and record.getMessage() == str(PolicyError(self.problems)))

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"

    # Before the other plugins' on_config: material's search plugin renders the theme's language
    # templates there, and they should come from the shared, compiled-once templates.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        add_our_theme(config.theme)
        share_templates(config.theme, static_files=self.target is not None)
        if self.target is not None:
            plan, lang = self.target
            config.nav = [
                {title: relative(f"{lang}/", url).removeprefix("./") + "index.md"} for title, url in plan.nav[lang]
            ]
            config.not_in_nav = None
            return config
        self.problems = []
        if self.prepared is None or self.loaded_here:  # every build of `mkdocs serve` reads the edits anew
            self.prepared = self._prepare(config)
            self.loaded_here = True
            # the warnings `smops-policy build` prints (it reads the project itself, and says them so)
            for warning in self.prepared.project.warnings:
                log.warning(warning.replace(": warning: ", ": ", 1))  # logging says WARNING already
        unknown = theme_language_problems(config.theme.dirs, [plan.site for plan in self.prepared.plans])
        if unknown:  # said now, before any Site is built
            self.problems = unknown
            raise PluginError(str(PolicyError(unknown)))
        config.theme.static_templates.clear()  # no 404 page or sitemap at the root
        for name, plugin in config.plugins.items():
            if name.split("/")[-1] == "search" and "enabled" in plugin.config:
                plugin.config.enabled = False
        self.cache_dir = self._cache_dir(config)
        try:  # what the build will replace and clear must be its own: refused before anything is built
            self.mkdocs_yml = self._mkdocs_yml(config)
            if self.cache_dir is not None:
                claim_cache(self.cache_dir, self.prepared.project.root, output=Path(config.site_dir))
            if not self.serving:
                self.staging = Staging(
                    Path(config.site_dir), self.prepared.project.root, option="site_dir (mkdocs build -d)"
                )
                config.site_dir = str(self.staging.path)
        except PolicyError as exc:
            self.problems = exc.problems
            raise PluginError(str(exc)) from None
        return config

    def _mkdocs_yml(self, config: MkDocsConfig) -> MkdocsYml:
        """The mkdocs.yml the Sites are built with: the committed one unless drafts, refused when it
        would make a page contact another host (`check` says so too, but can be skipped)."""
        assert self.prepared is not None
        yml = read_mkdocs_yml(Path(config.config_file_path), drafts=self.prepared.project.drafts)
        problems = third_party_problems(yml)
        for problem in problems:
            if problem.warning:
                log.warning(str(replace(problem, warning=False)))  # logging says WARNING already
        if any(not problem.warning for problem in problems):
            raise PolicyError([problem for problem in problems if not problem.warning])
        if (warning := yml.uncommitted_warning()) is not None:
            log.warning(str(replace(warning, warning=False)))
        return yml

    def _cache_dir(self, config: MkDocsConfig) -> Path | None:
        assert self.prepared is not None
        cache_dir = self.prepared.settings.cache_dir
        if cache_dir is None and self.config.cache:
            cache_dir = Path(config.config_file_path).parent / self.config.cache
            if self.serving:  # previews (drafts) keep their own entries, and leave the published ones be
                cache_dir /= "serve"
        return cache_dir

    def _prepare(self, config: MkDocsConfig) -> pipeline.Prepared:
        repo = Path(self.config.repo) if self.config.repo else Path(config.config_file_path).parent
        try:
            as_of = dt.date.fromisoformat(self.config.as_of) if self.config.as_of else None
        except ValueError:
            raise PluginError(
                f"{config.config_file_path}: as_of {self.config.as_of!r} is not a date YYYY-MM-DD"
            ) from None
        try:
            return pipeline.prepare(
                repo,
                as_of=as_of,
                drafts=self.config.drafts or self.serving,
                config_file=Path(config.config_file_path),
            )
        except PolicyError as exc:
            raise PluginError(str(exc)) from None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.target is None:
            # The outer build writes only the output's root page (plain HTML, in on_post_build):
            # the Sites' folders carry their own theme files, search and sitemaps.
            return Files([])
        plan, lang = self.target
        kept = Files(
            [
                f
                for f in files
                if not f.is_documentation_page()
                and not f.src_uri.endswith((".yml", ".yaml"))
                and f.src_dir != config.docs_dir
                and theme_file_needed(f.src_uri, lang)
            ]
        )
        for planned in plan.lang_pages(lang):
            file = File.generated(config, planned.src_uri, content="")
            _PlannedView(planned, file, config, plan.site.base_url)
            kept.append(file)
        return kept

    @event_priority(-100)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if isinstance(page, _PlannedView) and page.held_back:
            page.content = page.held_back
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.progress is not None:
            self.progress.advance()
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.target is not None or self.prepared is None:
            return
        prepared = self.prepared
        output = Path(config.site_dir)
        settings = prepared.settings
        cache = BuildCache(self.cache_dir, restore_files=settings.restore_files)
        total = sum(len(plan.lang_pages(lang)) for plan in prepared.plans for lang in plan.site.languages)
        progress = Progress(total, enabled=not settings.quiet)
        started = time.perf_counter()
        try:
            jobs = settings.jobs or self.config.jobs or os.cpu_count() or 1
            assert self.mkdocs_yml is not None  # read in on_config
            build_sites(self.mkdocs_yml, prepared, output, cache, progress, 1 if self.serving else jobs)
            built = time.perf_counter()
            for plan in prepared.plans:
                write_site_files(prepared.project, plan, output / plan.site.id)
            write_root_index(prepared.project.publisher, prepared.as_of, output)
        except PolicyError as exc:
            self.problems = exc.problems
            raise PluginError(str(exc)) from None
        finally:
            progress.close()
        prepared.timings["render and write the pages (mkdocs)"] = built - started
        prepared.timings["write the Site files"] = time.perf_counter() - built
        reused = f"cache: {cache.hits} of {cache.hits + cache.misses} language builds reused"
        reused += f", {cache.dropped} unsound entries dropped" if cache.dropped else ""
        prepared.timings[reused] = 0.0  # the CLI prints it with --verbose
        if self.loaded_here:  # mkdocs build or serve
            log.info(reused)
        prepared.written.clear()
        prepared.written.update(cache.digests_below(output))
        if not settings.sites:  # a build of some Sites keeps the other Sites' entries for their next build
            cache.prune()
        forget_templates()
        if self.staging is not None:
            self.staging.commit(settings.sites)
            config.site_dir = str(self.staging.output)
            self.staging = None

    def on_build_error(self, *, error: Exception) -> None:
        if self.target is not None:  # a language build failed: the outer build reports it, then ends here
            return
        if self.staging is not None:
            self.staging.abort()
            self.staging = None
