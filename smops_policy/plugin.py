"""The mkdocs plugin: hooks only. `mkdocs build` and `mkdocs serve` make a build request and call
`build_output`, the same function `smops-policy build` calls; this front only says the report the
mkdocs way (its warnings and problems as log lines, a problem ending the build)."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NoReturn

from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from smops_policy.build import speedups
from smops_policy.build.logs import log
from smops_policy.build.output import build_output
from smops_policy.build.plugin_options import PolicyPluginConfig
from smops_policy.build.request import BuildRequest
from smops_policy.errors import Problem

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mkdocs.config.defaults import MkDocsConfig

__all__ = ["PolicyPlugin", "PolicyPluginConfig"]


class PolicyPlugin(BasePlugin[PolicyPluginConfig]):
    """Builds the policy Sites in place of mkdocs' own pages: mkdocs' build of mkdocs.yml itself
    writes nothing (into a scratch folder, so that mkdocs' clean-up never touches the output)."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False  # `mkdocs serve`: previews with drafts, built in place
        self.request: BuildRequest | None = None  # made in on_config, built in on_post_build
        self.scratch: Path | None = None  # where mkdocs' own (empty) build goes

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        config_file = Path(config.config_file_path)
        self.request = BuildRequest(
            repo=Path(self.config.repo) if self.config.repo else config_file.parent,
            output=Path(config.site_dir),
            as_of=self._as_of(config_file),
            drafts=self.config.drafts or self.serving,
            config_file=config_file,
            cache_dir=self._cache_dir(config_file),
            jobs=self.config.jobs,
            preview=self.serving,
            output_option="site_dir (mkdocs build -d)",
        )
        speedups.SharedTemplates().share(config.theme, static_files=False)  # mkdocs' own build copies no theme file
        config.theme.static_templates.clear()  # no 404 page or sitemap of its own
        for name, plugin in config.plugins.items():
            if name.split("/")[-1] == "search" and "enabled" in plugin.config:
                plugin.config.enabled = False
        if not self.serving:  # mkdocs serve's folder is its own; `mkdocs build` would clean the output first
            self.scratch = Path(tempfile.mkdtemp(prefix="smops-policy-mkdocs-"))
            config.site_dir = str(self.scratch)
        return config

    def _as_of(self, config_file: Path) -> dt.date | None:
        if not self.config.as_of:
            return None
        try:
            return dt.date.fromisoformat(self.config.as_of)
        except ValueError:
            _stop(
                [
                    Problem(
                        config_file.name,
                        f"as_of {self.config.as_of!r} is not a date YYYY-MM-DD",
                        hint="fix it in plugins:",
                    )
                ]
            )
            raise  # not reached

    def _cache_dir(self, config_file: Path) -> Path | None:
        if not self.config.cache:
            return None
        cache_dir = config_file.parent / self.config.cache
        # previews (drafts) keep their own entries, and leave the published ones be
        return cache_dir / "serve" if self.serving else cache_dir

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        return Files([])  # the Sites' folders carry their own pages, theme files, search and sitemaps

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.request is not None  # made in on_config
        try:
            report = build_output(self.request)
        finally:
            self._clear_scratch(config)
        for warning in report.warnings:
            log.warning(str(replace(warning, warning=False)))  # logging says WARNING already
        if report.problems:
            _stop(report.problems)
        log.info(report.cache.summary())

    def on_build_error(self, *, error: Exception) -> None:
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def _clear_scratch(self, config: MkDocsConfig) -> None:
        if self.scratch is not None and self.request is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            config.site_dir = str(self.request.output)
            self.scratch = None


def _stop(problems: Sequence[Problem]) -> NoReturn:
    """End mkdocs' build with these problems, each said once as `path:line: message`."""
    for problem in problems:
        log.error(str(problem))
    raise Abort(f"Aborted: smops-policy found {len(problems)} problem{'s' if len(problems) != 1 else ''} (above)")
