"""Writing the output: one mkdocs-material build per Site and language, built aside and swapped in.

The outer build (`mkdocs build`, or `smops-policy build`) writes the output's root page; this module
then builds each Site's languages into `<output>/<site-id>/<lang>/` with that language's theme and
search settings, adds the Site folder's own files, and swaps the finished folder into place.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import io
import logging
import multiprocessing
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from mkdocs import utils as mkdocs_utils
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from smops_policy.build.cache import BuildCache
from smops_policy.build.folders import (
    claim_output,
    is_our_output,
    is_tool_leftover,
    make_marked_folder,
    mark_output,
    process_alive,
)
from smops_policy.build.mkdocs_yml import CONFIG_FILE, MkdocsYml, load_mkdocs_yml, read_mkdocs_yml
from smops_policy.build.site_files import write_site_index
from smops_policy.build.templates import theme_text
from smops_policy.errors import PolicyError, Problem
from smops_policy.pages.plan import language_names

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from importlib.metadata import EntryPoint

    from smops_policy.build.pipeline import Prepared
    from smops_policy.model import Site
    from smops_policy.pages.planned import SitePlan

__all__ = [
    "PLUGIN_NAME",
    "Progress",
    "Staging",
    "build_language",
    "build_output",
    "build_site_folder",
    "build_sites",
    "theme_file_needed",
    "theme_language_problems",
]

PLUGIN_NAME = "smops-policy"
log = logging.getLogger(f"mkdocs.plugins.{PLUGIN_NAME}")


_PARSED: dict[tuple[str, str], dict[str, Any]] = {}


def _parsed_config(config_file: str, text: str) -> dict[str, Any] | None:
    """mkdocs.yml as YAML, parsed once per process for its text (every language build starts from
    it); None for one that must be read the usual way each time: `INHERIT` (another file) and
    `!relative` (paths tied to the config object that loaded them)."""
    if "INHERIT" in text or "!relative" in text:
        return None
    key = (config_file, text)
    if key not in _PARSED:
        data = yaml_load(io.StringIO(text), get_yaml_loader())
        _PARSED.clear()  # one mkdocs.yml at a time (`mkdocs serve` reads each edit of it anew)
        _PARSED[key] = data if isinstance(data, dict) else {}
    return copy.deepcopy(_PARSED[key])


def _language_config(config_file: str, text: str, plan: SitePlan, lang: str, site_dir: Path) -> MkDocsConfig:
    """The outer mkdocs.yml, set to one Site in one language.

    This is mkdocs' load_config, less its warnings (the outer build gave them, once) and, for most
    mkdocs.yml files, less parsing the same YAML again for every language build."""
    config = MkDocsConfig(config_file_path=config_file)
    raw = _parsed_config(config_file, text)
    if raw is None:
        # as MkDocsConfig.load_file reads it, from the text the build uses (the committed one, unless drafts)
        raw = yaml_load(MkdocsYml(config_file, text).stream(), get_yaml_loader(config=config))
    theme = raw.get("theme") or {"name": "material"}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    theme["language"] = lang
    plugins: list[Any] = []
    for entry in raw.get("plugins") or ["search"]:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name == "search":
            options = {**(options or {}), "lang": [lang]}
        plugins.append({name: options or {}})
    names = language_names(plan.site.languages)
    extra = dict(raw.get("extra") or {})
    extra["alternate"] = [
        {"name": names[other], "link": f"../{other}/", "lang": other} for other in plan.site.languages
    ]
    config.load_dict(
        {
            **raw,
            "site_name": theme_text(plan.site.name),
            "site_url": f"{plan.site.base_url}{lang}/",
            "site_dir": str(site_dir),
            "theme": theme,
            "plugins": plugins,
            "extra": extra,
            "strict": False,
        }
    )
    errors, _warnings = config.validate()
    for name, error in errors:
        log.error(f"Config value '{name}': {error}")
    if errors:
        raise Abort("Aborted with a configuration error!")
    return config


def theme_language_problems(theme_dirs: list[str], sites: Iterable[Site]) -> list[Problem]:
    """A Site language the theme has no interface text for: mkdocs-material reads its labels (search,
    navigation, "skip to content") from `partials/languages/<lang>.html`, and fails without one."""

    def known(lang: str) -> bool:
        return any((Path(folder) / "partials" / "languages" / f"{lang}.html").is_file() for folder in theme_dirs)

    problems = []
    for site in sites:
        for lang in site.languages:
            if not known(lang):
                problems.append(
                    Problem(
                        "policies/sites.yml",
                        f"Site {site.id!r}: mkdocs-material has no interface text in {lang!r}",
                        line=site.languages_line,
                        hint=f"leave the language out, or give the theme a partials/languages/{lang}.html in "
                        "its custom_dir, translated from one of mkdocs-material's",
                    )
                )
    return problems


_LUNR = "assets/javascripts/lunr/"


def theme_file_needed(uri: str, lang: str) -> bool:
    """Whether a language build publishes one of the theme's own files.

    mkdocs-material ships search support for some thirty languages and source maps for its scripts and
    styles; a language build needs only its own language's search files (the list material's search
    worker loads for `lang`), and visitors never need the source maps. Every file left out is one
    file less to write, to cache and to host (36 to 38 of the 44 theme files a language build would copy).
    """
    if uri.endswith(".map"):
        return False
    if not uri.startswith(_LUNR):
        return True
    wanted = set()
    if lang != "en":
        wanted |= {f"min/lunr.{lang}.min.js", "min/lunr.stemmer.support.min.js"}
    if lang == "ja":
        wanted.add("tinyseg.js")
    if lang in {"hi", "th"}:
        wanted.add("wordcut.js")
    return uri.removeprefix(_LUNR) in wanted


@contextlib.contextmanager
def _quiet_unless_verbose(verbose: bool) -> Iterator[None]:
    """The inner builds' 'Building documentation…' lines are noise, one pair per Site and language;
    so is mkdocs' 'Error reading page' line: the error goes on up and is reported once, at the end."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    if not verbose:
        logger.setLevel(max(level, logging.WARNING))
    reader = logging.getLogger("mkdocs.commands.build")
    reader.addFilter(_drop_page_errors)
    try:
        yield
    finally:
        logger.setLevel(level)
        reader.removeFilter(_drop_page_errors)


def _drop_page_errors(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("Error reading page")


class Progress:
    """Pages done of total, per Site, on one terminal line; silent when not a terminal or --quiet."""

    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None, shared: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.total, self.done = total, 0
        self.label = ""
        self._shown = 0.0
        self._shared = shared  # a worker's count goes to the parent through this multiprocessing.Value

    def start(self, label: str) -> None:
        self.label = label
        self._show(force=True)

    def advance(self, pages: int = 1) -> None:
        self.done += pages
        if self._shared is not None:
            with self._shared.get_lock():
                self._shared.value += pages
                self.done = self._shared.value  # every process's pages, not only this one's
        self._show()

    def share(self, counter: Any) -> None:
        """Count from now on in `counter`, with the forked workers."""
        with counter.get_lock():
            counter.value = self.done
        self._shared = counter

    def _show(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.enabled and (force or now - self._shown > 0.1):
            self._shown = now
            self.stream.write(f"\r\x1b[K{self.label}: {self.done} of {self.total} pages")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def build_site_folder(
    yml: MkdocsYml, prepared: Prepared, plan: SitePlan, site_dir: Path, cache: BuildCache, progress: Progress
) -> None:
    """Build every language of one Site into `site_dir` (or take it from the cache), plus its index page."""
    for lang in plan.site.languages:
        build_language(yml, prepared, plan, lang, site_dir, cache, progress)
    write_site_index(plan, site_dir)


def build_language(
    yml: MkdocsYml,
    prepared: Prepared,
    plan: SitePlan,
    lang: str,
    site_dir: Path,
    cache: BuildCache,
    progress: Progress,
) -> None:
    """One Site in one language, into `site_dir/lang` (taken from the cache when it holds this build)."""
    pages = plan.lang_pages(lang)
    if not pages:
        return
    progress.start(f"{plan.site.id} {lang}")
    text = yml.text
    key = prepared.language_key(plan, lang, text)
    if cache.restore(key, site_dir / lang):
        progress.advance(len(pages))
        return
    config = _language_config(yml.path, text, plan, lang, site_dir / lang)
    # mkdocs keeps one instance of a plugin that has on_startup per process (in its config schema), so
    # this is the outer build's plugin: it plays the inner part while `target` is set, and only then.
    plugin = config.plugins[PLUGIN_NAME]
    plugin.target = (plan, lang)  # type: ignore[attr-defined]
    plugin.progress = progress  # type: ignore[attr-defined]
    try:
        with _quiet_unless_verbose(prepared.settings.verbose):
            mkdocs_build(config)
    finally:
        plugin.target = plugin.progress = None  # type: ignore[attr-defined]
    cache.store(key, site_dir / lang)
    # An mkdocs build leaves its pages, files and config in reference cycles; collected every few
    # hundred pages, the memory of the builds before is reused by the next instead of piling up
    # until Python's oldest generation is next collected (a full collection takes a few ms).
    global _UNCOLLECTED
    _UNCOLLECTED += len(pages)
    if _UNCOLLECTED >= _COLLECT_EVERY:
        gc.collect()
        _UNCOLLECTED = 0


_COLLECT_EVERY = 200  # pages
_UNCOLLECTED = 0  # pages built since the last collection


@dataclass
class _TaskResult:
    used: set[str]
    hits: int
    misses: int
    dropped: int
    written: dict[str, dict[str, str]]
    problems: list[Problem]


class _Queue:
    """The Site × language builds of one run, shared by the processes that take them.

    A process keeps to one language while that language has builds left: the versions, diffs and
    dates of a language are parsed and rendered once per process (`BodyCache`, `DiffCache`), so the
    second Site in the same language costs a fraction of the first. When its language is done it
    takes a language no other process is on, and only then helps with another's (the longest first).
    """

    def __init__(self, context: Any, tasks: list[tuple[int, str]], processes: int) -> None:
        self.tasks = tasks
        languages = sorted({lang for _index, lang in tasks})
        self._code = {lang: number + 1 for number, lang in enumerate(languages)}  # 0: no language yet
        self._lock = context.Lock()
        self._taken = context.RawArray("b", len(tasks))
        self._holding = context.RawArray("i", processes)  # the language each process is on

    def take(self, slot: int) -> int | None:
        """The number of the next task for process `slot`, or None when none is left."""
        with self._lock:
            mine = self._holding[slot]
            others = {code for other, code in enumerate(self._holding) if other != slot}
            best: tuple[int, int] | None = None
            for number, (_index, lang) in enumerate(self.tasks):  # the longest first
                if self._taken[number]:
                    continue
                code = self._code[lang]
                rank = 0 if code == mine else 1 if code not in others else 2
                if best is None or rank < best[0]:
                    best = (rank, number)
                    if rank == 0:
                        break
            if best is None:
                return None
            number = best[1]
            self._taken[number] = 1
            self._holding[slot] = self._code[self.tasks[number][1]]
            return number


# What a forked worker needs; set in the parent just before the fork, so nothing is pickled: the
# configuration, the plan, the output, the cache folder, the count of pages done and the tasks.
_WORK: tuple[MkdocsYml, Prepared, Path, Path | None, Any, _Queue] | None = None


def _take_tasks(slot: int, cache: BuildCache, progress: Progress) -> list[Problem]:
    """Build tasks until none is left."""
    assert _WORK is not None
    yml, prepared, output, _cache_dir, _counter, queue = _WORK
    problems: list[Problem] = []
    while (number := queue.take(slot)) is not None:
        index, lang = queue.tasks[number]
        plan = prepared.plans[index]
        try:
            build_language(yml, prepared, plan, lang, output / plan.site.id, cache, progress)
        except PolicyError as exc:  # reported with the others at the end, as a build one by one would
            problems += exc.problems
    return problems


def _die_with_parent(parent: int) -> None:
    """A worker whose parent is killed ends at once (on Linux), rather than write on into a folder that
    the next build clears as a dead build's leftover."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # killed before that took hold
        os._exit(1)


def _worker(slot: int) -> _TaskResult:
    """A forked worker's life. Problems come back as data, since an exception is not a good way to
    carry them across processes."""
    assert _WORK is not None
    cache = BuildCache(_WORK[3], restore_files=_WORK[1].settings.restore_files)
    problems = _take_tasks(slot, cache, Progress(0, enabled=False, shared=_WORK[4]))
    return _TaskResult(cache.used, cache.hits, cache.misses, cache.dropped, cache.written, problems)


def build_sites(
    yml: MkdocsYml, prepared: Prepared, output: Path, cache: BuildCache, progress: Progress, jobs: int
) -> None:
    """Every Site's folder; with jobs > 1, its Site × language builds run side by side in forked processes."""
    # What exists now (modules, the model, the plan) lives for the whole run: frozen, it is no longer
    # walked by the collections that follow each language build (and forked workers share it as is).
    gc.freeze()
    try:
        with _themes_listed_once():
            _build_all(yml, prepared, output, cache, progress, jobs)
    finally:
        gc.unfreeze()  # `mkdocs serve` builds again and again in one process


def _build_all(
    yml: MkdocsYml, prepared: Prepared, output: Path, cache: BuildCache, progress: Progress, jobs: int
) -> None:
    plans = prepared.plans
    # Site × language builds are the unit of work: even three Sites keep two workers busy to the end.
    tasks = sorted(
        ((index, lang) for index, plan in enumerate(plans) for lang in plan.site.languages if plan.lang_pages(lang)),
        key=lambda task: -len(plans[task[0]].lang_pages(task[1])),  # the longest first, the short ones fill in
    )
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for plan in plans:
            build_site_folder(yml, prepared, plan, output / plan.site.id, cache, progress)
        return
    # What every process needs, made once before the fork rather than in each: mkdocs.yml parsed,
    # and the Sites' language names (each loads a babel locale).
    _parsed_config(yml.path, yml.text)
    for plan in plans:
        language_names(plan.site.languages)
    _build_in_workers(yml, prepared, output, cache, progress, tasks, min(jobs, len(tasks)))
    for plan in plans:
        write_site_index(plan, output / plan.site.id)


@contextlib.contextmanager
def _themes_listed_once() -> Iterator[None]:
    """mkdocs lists the installed themes (parsing every theme package's metadata) for each config it
    loads, and forgets the list whenever it loads a theme; within one run the list cannot change."""
    themes = mkdocs_utils.get_themes()

    def listed() -> dict[str, EntryPoint]:
        return themes

    listed.cache_clear = lambda: None  # type: ignore[attr-defined]
    original = mkdocs_utils.get_themes
    mkdocs_utils.get_themes = listed  # type: ignore[assignment]
    try:
        yield
    finally:
        mkdocs_utils.get_themes = original


def _build_in_workers(
    yml: MkdocsYml,
    prepared: Prepared,
    output: Path,
    cache: BuildCache,
    progress: Progress,
    tasks: list[tuple[int, str]],
    jobs: int,
) -> None:
    """`jobs - 1` forked workers and this process take the tasks one at a time until none is left."""
    global _WORK
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    progress.share(counter)
    workers = max(jobs - 1, 1)
    _WORK = (yml, prepared, output, cache.root, counter, _Queue(context, tasks, workers + 1))
    try:
        with context.Pool(workers, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
            # slot 0 is this process; each worker gets a slot of its own (one task each, chunksize 1)
            pending = pool.map_async(_worker, range(1, workers + 1), chunksize=1)
            problems = _take_tasks(0, cache, progress)
            while not pending.ready():
                pending.wait(0.1 if progress.enabled else None)  # no progress to show: wake only at the end
                progress.advance(0)
            for result in pending.get():
                cache.used |= result.used
                cache.hits += result.hits
                cache.misses += result.misses
                cache.dropped += result.dropped
                cache.written |= result.written
                problems += result.problems
    finally:
        _WORK = None
    if problems:  # a policy shared by several Sites fails in each of their builds: report it once
        raise PolicyError(list(dict.fromkeys(problems)))


class Staging:
    """Build aside, swap at the end: a failed or killed build leaves the previous output as it was.

    The folder built aside carries the output marker from its first moment, so the output it becomes,
    and any leftover of a killed build, can be told from folders the tool did not make."""

    def __init__(self, output: Path, repo: Path, *, option: str = "--output") -> None:
        claim_output(output, repo, option=option)
        self.output = output.resolve()
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            _recover(self.output)
            self.path = make_marked_folder(self.output.parent, f".{self.output.name}.building-{os.getpid()}-")
        except OSError as exc:  # a folder the user may not write in, say: nothing was built yet
            raise PolicyError.at(
                self.output.parent,
                f"the output {self.output.name} cannot be made here ({exc.strerror or exc})",
                hint="choose another folder for --output, one you can write in",
            ) from None

    def commit(self, sites: tuple[str, ...] = ()) -> None:
        """Put the build in place: the whole output, or with `sites` (a build of some Sites) only those
        Sites' folders and the front page, into an output that already exists."""
        if sites and self.output.is_dir():
            self._commit_sites(sites)
            return
        old = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
        if self.output.exists():
            if not self.output.is_dir():
                raise PolicyError.at(self.output, "exists and is not a folder", hint="choose another --output")
            if not is_our_output(self.output):  # an earlier release's output (claim_output accepted it)
                mark_output(self.output)
            self.output.rename(old)
        self.path.rename(self.output)
        shutil.rmtree(old, ignore_errors=True)

    def _commit_sites(self, sites: tuple[str, ...]) -> None:
        """Each named Site's folder swapped in by renames (a reader sees the old folder or the new one,
        whole), then the front page; the other Sites' folders are not touched. The old folders go to a
        marked folder beside the output (`.<output>.sites-old-PID-…`, left there if the build is killed
        between the two renames of a Site, so that no old Site folder is lost) and are then removed."""
        if not is_our_output(self.output):  # an earlier release's output (claim_output accepted it)
            mark_output(self.output)
        old = make_marked_folder(self.output.parent, f".{self.output.name}.sites-old-{os.getpid()}-")
        for site_id in sites:
            current = self.output / site_id
            if current.is_symlink() or current.exists():
                current.rename(old / site_id)
            (self.path / site_id).rename(current)
        (self.path / "index.html").replace(self.output / "index.html")
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(self.path, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _recover(output: Path) -> None:
    """Clear what a killed build left beside the output; put back an output it had set aside. Only the
    tool's own leftovers: a user's `.site.old-backup` is no business of ours, even when it is a copy
    of the output (and so carries the marker): only the names the tool gives, with a process id, count."""
    for leftover in sorted(output.parent.glob(f".{output.name}.old-*")):
        if not leftover.name.removeprefix(f".{output.name}.old-").isdigit() or not is_our_output(leftover):
            continue
        if not output.exists():
            leftover.rename(output)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in output.parent.glob(f".{output.name}.building-*"):
        pid = leftover.name.removeprefix(f".{output.name}.building-").split("-", 1)[0]
        if is_tool_leftover(leftover) and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def build_output(repo: Path, output: Path, prepared: Prepared, *, use_cache: bool = True) -> None:
    """`smops-policy build`: the repository's mkdocs.yml, built with an already prepared plan."""
    yml = read_mkdocs_yml(repo / CONFIG_FILE, drafts=prepared.project.drafts)
    config = load_mkdocs_yml(yml, site_dir=str(output.resolve()))
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise PolicyError.at(
            CONFIG_FILE, f"does not list the '{PLUGIN_NAME}' plugin", hint=f"add '- {PLUGIN_NAME}' under plugins:"
        )
    plugin.prepared, plugin.loaded_here = prepared, False  # this plan, even for an instance mkdocs kept
    if not use_cache:
        plugin.config.cache = ""
    config.plugins.on_startup(command="build", dirty=False)
    # A problem with the policies is ours to report (once, as `path:line: message`); mkdocs would log
    # it too, and end with SystemExit.
    reader = logging.getLogger("mkdocs.commands.build")
    reader.addFilter(plugin.not_reported)
    try:
        mkdocs_build(config)
    except Abort as exc:
        if plugin.problems:
            raise PolicyError(plugin.problems) from None
        raise PolicyError.at(CONFIG_FILE, f"the mkdocs build stopped: {exc}", hint="see the messages above") from None
    finally:
        reader.removeFilter(plugin.not_reported)
        config.plugins.on_shutdown()
