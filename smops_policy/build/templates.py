"""Theme templates shared by the per-Site, per-language builds of one run.

Every inner mkdocs build makes a fresh Jinja environment over the same theme folders, and would list,
read and compile the same templates again (on a medium benchmark repository that was a third of the
build). Here each build still gets its own environment (its language's translations), but the listing,
the sources and the compiled bytecode are kept for the whole run.

Compiled templates are also kept on disk between runs, in the user's cache folder
(`$XDG_CACHE_HOME/smops-policy/templates`, like Python's own `__pycache__`): compiling mkdocs-material's
templates is about a third of a small repository's build. Jinja stores each entry with the checksum of
its source and ignores one that no longer matches, so an upgraded theme or an edited override is compiled
afresh; a folder that cannot be written leaves the cache in memory only.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import markupsafe

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import CodeType

    from mkdocs.theme import Theme

__all__ = ["share_templates", "theme_text"]


def theme_text(text: str) -> markupsafe.Markup:
    """Text from the content (a title, a Site's name, a summary) as the theme's templates must get it.

    mkdocs renders themes without autoescaping and mkdocs-material prints most of these values as they
    are (`<title>`, the header, the navigation, `<meta name="description">`), a few through `|e`. Escaped
    once and marked as markup, the text shows exactly as written in both: `|e` leaves markup as it is.
    """
    return markupsafe.escape(text)


def _user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path("~/.cache").expanduser()) / "smops-policy" / "templates"


class _RunBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates by jinja's own key (template name and file): as code objects in memory for
    the run, as bytecode on disk between runs."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}  # key → (source checksum, code)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        known = self._code.get(bucket.key)
        if known is not None and known[0] == bucket.checksum:
            bucket.code = known[1]  # code objects are immutable: every environment may run the same
            return
        with contextlib.suppress(OSError):
            data = (_user_cache_dir() / f"{bucket.key}.jinja").read_bytes()
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
        folder = _user_cache_dir()
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


_LOADERS: dict[tuple[str, ...], _RunLoader] = {}
_BYTECODE = _RunBytecodeCache()


class _NoStaticFiles(jinja2.BaseLoader):
    """For a build that writes no theme files: templates load as usual, none is listed to copy."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self._inner = inner

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        source, filename, uptodate = self._inner.get_source(environment, template)
        return source, filename, uptodate or (lambda: True)

    def list_templates(self) -> list[str]:
        return []


def share_templates(theme: Theme, *, static_files: bool = True) -> None:
    """Make `theme`'s Jinja environments read and compile each template once per run
    (`static_files=False`: and list none of the theme's files, for a build that copies none)."""
    original: Callable[[], jinja2.Environment] = theme.get_env

    def get_env() -> jinja2.Environment:
        env = original()
        key = tuple(theme.dirs)
        loader: jinja2.BaseLoader = _LOADERS.setdefault(key, _RunLoader(key))
        env.loader = loader if static_files else _NoStaticFiles(loader)
        env.bytecode_cache = _BYTECODE
        return env

    theme_any: Any = theme
    theme_any.get_env = get_env


def forget_templates() -> None:
    """Drop what this run kept (a later run, such as the next `mkdocs serve` rebuild, reads afresh)."""
    _LOADERS.clear()
    _BYTECODE.clear()
