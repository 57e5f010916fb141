"""Speed tricks that rely on how mkdocs and mkdocs-material work inside, not on their public API,
all here and behind one switch: `SMOPS_POLICY_SPEEDUPS=0` in the environment turns every one off.

A trick changes how fast the output is made, never its bytes: tests/test_speedups.py builds the same
repository with the switch on and off and compares every file. Each trick has a drift test in
tests/test_upstream_drift.py that fails when an upgrade changes what it relies on. The tricks:

- `themes_listed_once()`: the installed themes listed once per process (mkdocs lists them, walking
  every installed distribution's entry points, for each config it validates), around a run
  (`applied()`) and around each load of mkdocs.yml (`check`, and a build's outer load, the mkdocs
  plugin's too).
- `applied()`, around a run: the themes as above; what exists before the first language build frozen
  for the garbage collector (`gc.freeze`), and each language build's reference cycles collected every
  few hundred pages (`collect_now`).
- `SharedTemplates`: every language build's Jinja environment reads, lists and compiles each template
  once per run; compiled templates are kept as code objects for the process (by Jinja's key for the
  template and its source's checksum, so an edited template is compiled again) and on disk between
  processes (`$XDG_CACHE_HOME/smops-policy/templates`, like Python's `__pycache__`; Jinja checks each
  entry against its source's checksum).
- `hold_back_from_search`: pages kept out of search hand material's search plugin an empty body,
  and get theirs back in our `on_page_context`, which runs after the search plugin read it.
- mkdocs.yml parsed once per run rather than once per language build (`build/language_config.py`).

Not a trick, so not behind the switch: the theme files a language build leaves out (the lunr files
of other languages, source maps; `theme_checks.theme_file_needed`) decide the output's files.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs import utils as mkdocs_utils

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from importlib.metadata import EntryPoint
    from types import CodeType

    from mkdocs.theme import Theme

__all__ = [
    "SWITCH",
    "SharedTemplates",
    "applied",
    "collect_now",
    "enabled",
    "hold_back_from_search",
    "themes_listed_once",
]

SWITCH = "SMOPS_POLICY_SPEEDUPS"


def enabled() -> bool:
    """Whether the speed tricks are on (the default); `SMOPS_POLICY_SPEEDUPS=0` turns them off."""
    return os.environ.get(SWITCH, "1").strip() not in {"0", "false", "no", "off"}


@contextlib.contextmanager
def applied() -> Iterator[None]:
    """The tricks that hold for a whole run (nothing with the switch off)."""
    if not enabled():
        yield
        return
    # What exists now (modules, the model, the plan) lives for the whole run: frozen, it is no longer
    # walked by the collections that follow each language build (and forked workers share it as is).
    gc.freeze()
    try:
        with themes_listed_once():
            yield
    finally:
        gc.unfreeze()  # `mkdocs serve` builds again and again in one process


_COLLECT_EVERY = 200  # pages


def collect_now(pages_since: int) -> bool:
    """Whether to collect garbage now, `pages_since` pages after the last collection: an mkdocs build
    leaves its pages, files and config in reference cycles; collected every few hundred pages, the
    memory of the builds before is reused by the next instead of piling up until Python's oldest
    generation is next collected (a full collection takes a few ms)."""
    return enabled() and pages_since >= _COLLECT_EVERY


def hold_back_from_search() -> bool:
    """Whether a page kept out of search hands mkdocs an empty body until our on_page_context (which
    runs last): material's search plugin would otherwise scan every archive page with a regex."""
    return enabled()


# mkdocs' own listing, as it was when this module was imported (a swap below may stand in for it).
_list_themes = mkdocs_utils.get_themes
# The installed themes, listed on first use: the installed packages do not change while a process
# runs (a theme installed meanwhile is for the next process, as a newly installed module is).
_installed_themes: dict[str, EntryPoint] | None = None


@contextlib.contextmanager
def themes_listed_once() -> Iterator[None]:
    """mkdocs lists the installed themes (walking every installed distribution's entry points) for each
    config it validates, and forgets the list whenever it loads a theme: within this block it gets the
    list made once per process (nothing with the switch off). mkdocs' own function is back after it."""
    global _installed_themes  # one listing per process is the point
    if not enabled():
        yield
        return
    if _installed_themes is None:
        _installed_themes = _list_themes()  # its warning about a theme two packages provide: said once
    themes = _installed_themes

    def listed() -> dict[str, EntryPoint]:
        return themes

    listed.cache_clear = lambda: None  # type: ignore[attr-defined]
    original = mkdocs_utils.get_themes
    mkdocs_utils.get_themes = listed  # type: ignore[assignment]
    try:
        yield
    finally:
        mkdocs_utils.get_themes = original


# --------------------------------------------------------------------------- shared templates


def _user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path("~/.cache").expanduser()) / "smops-policy" / "templates"


# Compiled templates of this process, per folder of compiled templates on disk (what is in memory is
# also on disk there): jinja's key (template name and file) → (its source's checksum, code). A template
# edited under `mkdocs serve` has another checksum, so it is compiled again (and replaces its entry);
# one entry per template file, so this grows only with the theme's templates.
_COMPILED: dict[Path, dict[str, tuple[str, CodeType]]] = {}


class _RunBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates by jinja's own key (template name and file): as code objects in memory for
    the process, as bytecode on disk between processes."""

    def __init__(self) -> None:
        self._folder = _user_cache_dir()  # where it is read when a run starts, as the switch is
        self._code = _COMPILED.setdefault(self._folder, {})

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        known = self._code.get(bucket.key)
        if known is not None and known[0] == bucket.checksum:
            bucket.code = known[1]  # code objects are immutable: every environment may run the same
            return
        with contextlib.suppress(OSError):
            data = (self._folder / f"{bucket.key}.jinja").read_bytes()
            try:
                bucket.bytecode_from_string(data)  # checks jinja's version and the source's checksum
            except (EOFError, ValueError, TypeError, pickle.UnpicklingError):  # damaged: compile it again
                bucket.reset()
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)
        data = bucket.bytecode_to_string()
        folder = self._folder
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            temporary = Path(name)
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                temporary.replace(folder / f"{bucket.key}.jinja")  # whole, or not at all
            except OSError:
                temporary.unlink()
                raise

    def clear(self) -> None:
        self._code.clear()


class _RunLoader(jinja2.BaseLoader):
    """The theme folders' templates, read once per run."""

    def __init__(self, searchpath: tuple[str, ...]) -> None:
        self._inner = jinja2.FileSystemLoader(list(searchpath))
        self._sources: dict[str, tuple[str, str | None]] = {}
        self._names: list[str] | None = None

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        found = self._sources.get(template)
        if found is None:
            source, filename, _ = self._inner.get_source(environment, template)
            found = self._sources[template] = (source, filename)
        return found[0], found[1], lambda: True

    def list_templates(self) -> list[str]:
        # Hidden folders (material's thousands of `.icons`) are included by name, never listed as
        # static files: they are not even walked (jinja's own listing walks them, then mkdocs tests
        # each name against its patterns in every build).
        if self._names is None:
            found: set[str] = set()
            for root in self._inner.searchpath:
                for folder, dirs, files in os.walk(root):
                    dirs[:] = [name for name in dirs if not name.startswith(".")]
                    prefix = os.path.relpath(folder, root).replace(os.sep, "/")
                    found.update(name if prefix == "." else f"{prefix}/{name}" for name in files)
            self._names = sorted(name for name in found if not name.startswith("."))
        return self._names


class _NoStaticFiles(jinja2.BaseLoader):
    """For a build that writes no theme files: templates load as usual, none is listed to copy."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self._inner = inner

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        source, filename, uptodate = self._inner.get_source(environment, template)
        return source, filename, uptodate or (lambda: True)

    def list_templates(self) -> list[str]:
        return []


class SharedTemplates:
    """The theme templates of one run (a `BuildRun` holds one): every language build's Jinja
    environment gets the same listing, sources and compiled code, in memory for the run and, compiled,
    on disk between runs."""

    def __init__(self) -> None:
        self._loaders: dict[tuple[str, ...], _RunLoader] = {}
        self._bytecode = _RunBytecodeCache()

    def share(self, theme: Theme, *, static_files: bool = True) -> None:
        """Make `theme`'s Jinja environments read and compile each template once per run
        (`static_files=False`: and list none of the theme's files, for a build that copies none).
        Nothing with the speedups switched off."""
        if not enabled():
            return
        original: Callable[[], jinja2.Environment] = theme.get_env
        loaders, bytecode = self._loaders, self._bytecode

        def get_env() -> jinja2.Environment:
            env = original()
            key = tuple(theme.dirs)
            loader: jinja2.BaseLoader = loaders.setdefault(key, _RunLoader(key))
            env.loader = loader if static_files else _NoStaticFiles(loader)
            env.bytecode_cache = bytecode
            return env

        theme_any: Any = theme
        theme_any.get_env = get_env
