"""`build_output(request) -> BuildReport`: the one way to build, for the CLI and the mkdocs plugin.

The steps: claim the output and the cache (refused before anything is read or written), read the
repository and plan the pages, read mkdocs.yml as the build must (committed, checked), check the
theme, then build every Site × language aside (in workers when there are several), write each Site's
own files and the front page, and swap the finished output into place. Every warning and problem
is in the report, as data; the caller says them its own way.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from typing import TYPE_CHECKING, Any

from smops_policy.build import speedups
from smops_policy.build.cache import BuildCache
from smops_policy.build.folders import claim_cache, claim_output
from smops_policy.build.language_build import build_site_folder
from smops_policy.build.language_config import parse_once
from smops_policy.build.logs import PLUGIN_NAME
from smops_policy.build.mkdocs_yml import (
    CONFIG_FILE,
    MkdocsYml,
    add_our_theme,
    load_mkdocs_yml,
    read_mkdocs_yml,
    third_party_problems,
)
from smops_policy.build.pipeline import Prepared, prepare
from smops_policy.build.plugin_options import PolicyPluginConfig
from smops_policy.build.progress import Progress
from smops_policy.build.request import BuildReport, BuildRequest, CacheStats
from smops_policy.build.run import BuildRun
from smops_policy.build.site_files import write_root_index, write_site_files, write_site_index
from smops_policy.build.staging import Staging
from smops_policy.build.theme_checks import theme_language_problems
from smops_policy.build.workers import build_in_workers
from smops_policy.errors import PolicyError, Problem
from smops_policy.pages.plan import language_names

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

__all__ = ["build_output"]


def build_output(request: BuildRequest) -> BuildReport:
    """Build the repository's Sites into `request.output`; never raises for a problem of the input."""
    found = _Findings(request)
    try:
        return _build(request, found)
    except PolicyError as exc:
        return found.report(problems=exc.problems)


class _Findings:
    """What the build has found so far, to report however it ends."""

    def __init__(self, request: BuildRequest) -> None:
        self.request = request
        self.warnings: list[Problem] = []
        self.prepared: Prepared | None = None
        self.timings: list[tuple[str, float]] = []

    def report(self, *, problems: Iterable[Problem] = (), **done: Any) -> BuildReport:
        return BuildReport(
            self.request,
            self.prepared,
            warnings=tuple(dict.fromkeys(self.warnings)),
            # a policy shared by several Sites fails in each of their builds: said once
            problems=tuple(dict.fromkeys(problems)),
            timings=tuple(self.timings),
            **done,
        )


def _build(request: BuildRequest, found: _Findings) -> BuildReport:
    repo, output = request.repo, request.output
    config_file = request.config_file or repo / CONFIG_FILE
    if not request.preview:  # a preview builds into mkdocs serve's own temporary folder
        claim_output(output, repo, option=request.output_option)
    if request.cache_dir is not None:
        claim_cache(request.cache_dir, repo, output=output)
    prepared = found.prepared = prepare(
        repo, as_of=request.as_of, drafts=request.drafts, site_ids=request.sites or None, config_file=config_file
    )
    found.timings += prepared.timings
    found.warnings += prepared.project.warnings
    yml = read_mkdocs_yml(config_file, drafts=prepared.project.drafts)
    jobs, theme_dirs = _outer_settings(yml, output)
    _check_mkdocs_yml(yml, found)
    unknown = theme_language_problems(theme_dirs, [plan.site for plan in prepared.plans])
    if unknown:  # said now, before any Site is built
        raise PolicyError(unknown)
    staging = None if request.preview else Staging(output, repo, option=request.output_option)
    total = sum(len(plan.lang_pages(lang)) for plan in prepared.plans for lang in plan.site.languages)
    run = BuildRun(
        request,
        prepared,
        staging.path if staging is not None else output,
        yml,
        BuildCache(request.cache_dir, restore_files=request.restore_files),
        Progress(total, enabled=not request.quiet),
    )
    started = time.perf_counter()
    try:
        with speedups.applied():
            run.parsed_yml = parse_once(yml)
            _build_sites(run, 1 if request.preview else (request.jobs or jobs or os.cpu_count() or 1))
        built = time.perf_counter()
        if run.problems:
            raise PolicyError(run.problems)
        for plan in prepared.plans:
            write_site_files(prepared.project, plan, run.target / plan.site.id)
        write_root_index(prepared.project.publisher, prepared.as_of, run.target)
        written = run.cache.digests_below(run.target)
        if not request.sites:  # a build of some Sites keeps the other Sites' entries for their next build
            run.cache.prune()
        if staging is not None:
            staging.commit(request.sites)
    except BaseException:
        if staging is not None:
            staging.abort()
        raise
    finally:
        run.progress.close()
    found.timings += [
        ("render and write the pages (mkdocs)", built - started),
        ("write the Site files", time.perf_counter() - built),
    ]
    cache = CacheStats(run.cache.hits, run.cache.misses, run.cache.dropped)
    return found.report(pages=total, written=written, cache=cache)


def _check_mkdocs_yml(yml: MkdocsYml, found: _Findings) -> None:
    """The mkdocs.yml the Sites are built with (the committed one unless drafts) is refused when it
    would make a page contact another host (`check` says so too, but can be skipped)."""
    problems = third_party_problems(yml)
    found.warnings += [problem for problem in problems if problem.warning]
    if any(not problem.warning for problem in problems):
        raise PolicyError([problem for problem in problems if not problem.warning])
    if (warning := yml.uncommitted_warning()) is not None:
        found.warnings.append(warning)


def _outer_settings(yml: MkdocsYml, output: Path) -> tuple[int, list[str]]:
    """From mkdocs.yml as mkdocs loads it (its errors as `mkdocs.yml:LINE: message`): the plugin's
    `jobs` option and the theme's folders, ours included."""
    try:
        entries: list[tuple[str, dict[str, Any]]] | None = _plugin_entries(yml)
    except PolicyError:  # not YAML: loading it says where
        entries = None
    # loaded without this plugin: it is not ours to run here (each language build has its own instance)
    others = None if entries is None else [{name: options} for name, options in entries if name != PLUGIN_NAME]
    config = load_mkdocs_yml(yml, site_dir=str(output.resolve()), plugins=others)
    add_our_theme(config.theme)
    ours = [options for name, options in entries or [] if name == PLUGIN_NAME]
    if not ours:
        raise PolicyError.at(
            yml.name, f"does not list the '{PLUGIN_NAME}' plugin", hint=f"add '- {PLUGIN_NAME}' under plugins:"
        )
    options = PolicyPluginConfig(config_file_path=yml.path)
    options.load_dict(ours[0])
    errors, _warnings = options.validate()
    if errors:
        raise PolicyError(
            [Problem(yml.name, f"plugins: {PLUGIN_NAME}: {name}: {error}", hint=_OPTIONS) for name, error in errors]
        )
    return options.jobs, list(config.theme.dirs)


_OPTIONS = "its options are repo, as_of, drafts, jobs and cache (README, mkdocs.yml)"


def _plugin_entries(yml: MkdocsYml) -> list[tuple[str, dict[str, Any]]]:
    """mkdocs.yml's `plugins:` as (name, options)."""
    listed = yml.settings.get("plugins") or []
    if isinstance(listed, dict):
        listed = [{name: options} for name, options in listed.items()]
    entries = []
    for entry in listed if isinstance(listed, list) else []:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(dict(entry).items()), ("", {}))
        entries.append((str(name), dict(options or {})))
    return entries


def _build_sites(run: BuildRun, jobs: int) -> None:
    """Every Site's folder; with jobs > 1, its Site × language builds run side by side in forked processes."""
    plans = run.prepared.plans
    tasks = run.tasks()
    # Site × language builds are the unit of work: even three Sites keep two workers busy to the end.
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for plan in plans:
            try:
                build_site_folder(run, plan, run.target / plan.site.id)
            except PolicyError as exc:  # the other Sites are built too, and every problem said at the end
                run.problems += exc.problems
        return
    for plan in plans:  # made once before the fork rather than in each worker (each loads a babel locale)
        language_names(plan.site.languages)
    build_in_workers(run, tasks, min(jobs, len(tasks)))
    for plan in plans:
        write_site_index(plan, run.target / plan.site.id)
