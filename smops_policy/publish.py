"""Writing the output: one mkdocs-material build per Site and language, built aside and swapped in.

The outer build (`mkdocs build`, or `smops-policy build`) writes the output's root page; this module
then builds each Site's languages into `<output>/<site-id>/<lang>/` with that language's theme and
search settings, adds the Site folder's own files, and swaps the finished folder into place.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
import time
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.utils.yaml import yaml_load

from . import i18n
from .errors import PolicyError
from .site import language_names
from .urls import lang_home_url, policy_url, relative

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mkdocs.config.defaults import MkDocsConfig

    from .cache import BuildCache
    from .pipeline import Prepared
    from .site import SitePlan

__all__ = ["PLUGIN_NAME", "Progress", "Staging", "build_output", "build_site_folder"]

PLUGIN_NAME = "smops-policy"
log = logging.getLogger(f"mkdocs.plugins.{PLUGIN_NAME}")


def _raw_config(config_file: str) -> dict[str, Any]:
    with Path(config_file).open(encoding="utf-8") as handle:
        data = yaml_load(handle) or {}
    return data if isinstance(data, dict) else {}


def _language_config(config_file: str, plan: SitePlan, lang: str, site_dir: Path) -> MkDocsConfig:
    """The outer mkdocs.yml, set to one Site in one language."""
    raw = _raw_config(config_file)
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
    return load_config(
        config_file=config_file,
        site_name=plan.site.name,
        site_url=f"{plan.site.base_url}{lang}/",
        site_dir=str(site_dir),
        theme=theme,
        plugins=plugins,
        extra=extra,
        nav=None,
        strict=False,
    )


@contextlib.contextmanager
def _quiet_unless_verbose(verbose: bool) -> Iterator[None]:
    """The inner builds' 'Building documentation…' lines are noise, one pair per Site and language."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    if not verbose:
        logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


class Progress:
    """Pages done of total, per Site, on one terminal line; silent when not a terminal or --quiet."""

    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.total, self.done = total, 0
        self.label = ""
        self._shown = 0.0

    def start(self, label: str) -> None:
        self.label = label
        self._show(force=True)

    def advance(self, pages: int = 1) -> None:
        self.done += pages
        self._show()

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
    config_file: str, prepared: Prepared, plan: SitePlan, site_dir: Path, cache: BuildCache, progress: Progress
) -> None:
    """Build every language of one Site into `site_dir` (or take it from the cache), plus its index page."""
    config_text = Path(config_file).read_text(encoding="utf-8")
    for lang in plan.site.languages:
        pages = plan.lang_pages(lang)
        if not pages:
            continue
        progress.start(f"{plan.site.id} {lang}")
        key = prepared.language_key(plan, lang, config_text)
        if cache.restore(key, site_dir / lang):
            progress.advance(len(pages))
            continue
        config = _language_config(config_file, plan, lang, site_dir / lang)
        plugin = config.plugins[PLUGIN_NAME]
        plugin.target = (plan, lang)  # type: ignore[attr-defined]
        plugin.progress = progress  # type: ignore[attr-defined]
        with _quiet_unless_verbose(prepared.settings.verbose):
            mkdocs_build(config)
        cache.store(key, site_dir / lang)
    write_site_index(plan, site_dir)


def write_site_index(plan: SitePlan, site_dir: Path) -> None:
    """The Site folder's own page: its policies in each of its languages (plain HTML, no assets)."""
    site = plan.site
    blocks = []
    for lang in site.languages:
        links = [
            f'<li><a href="{escape(relative("", page.url))}">{escape(page.title)}</a></li>'
            for page in plan.lang_pages(lang)
            if page.url.count("/") == 2 and page.url == policy_url(lang, page.url.split("/")[1])
        ]
        heading = i18n.gettext(lang, "Policies of {site}", site=site.name)
        home = relative("", lang_home_url(lang))
        blocks.append(
            f'<section lang="{lang}"><h2><a href="{home}" hreflang="{lang}">{escape(i18n.language_name(lang))}</a></h2>'
            f"<p>{escape(heading)}</p><ul>{''.join(links)}</ul></section>"
        )
    default = site.languages[0]
    page = (
        f'<!doctype html>\n<html lang="{default}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(site.name)}</title>"
        f'<link rel="canonical" href="{escape(site.base_url)}">'
        + "".join(
            f'<link rel="alternate" hreflang="{lang}" href="{escape(site.base_url)}{lang}/">' for lang in site.languages
        )
        + "<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
        "a{color:#0b57a4}</style></head>"
        f"<body><main><h1>{escape(site.name)}</h1>{''.join(blocks)}</main></body></html>\n"
    )
    (site_dir / "index.html").write_text(page, encoding="utf-8")


class Staging:
    """Build aside, swap at the end: a failed or killed build leaves the previous output as it was."""

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _recover(self.output)
        prefix = f".{self.output.name}.building-{os.getpid()}-"
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=self.output.parent))

    def commit(self) -> None:
        old = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
        if self.output.exists():
            if not self.output.is_dir():
                raise PolicyError.at(self.output, "exists and is not a folder", hint="choose another --output")
            self.output.rename(old)
        self.path.rename(self.output)
        shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _recover(output: Path) -> None:
    """Clear what a killed build left beside the output; put back an output it had set aside."""
    for leftover in sorted(output.parent.glob(f".{output.name}.old-*")):
        if not output.exists():
            leftover.rename(output)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in output.parent.glob(f".{output.name}.building-*"):
        pid = leftover.name.removeprefix(f".{output.name}.building-").split("-", 1)[0]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def build_output(repo: Path, output: Path, prepared: Prepared, *, use_cache: bool = True) -> None:
    """`smops-policy build`: the repository's mkdocs.yml, built with an already prepared plan."""
    config_file = repo / "mkdocs.yml"
    if not config_file.is_file():
        raise PolicyError.at(
            config_file,
            "does not exist",
            hint="the policy repository needs a mkdocs.yml that lists the smops-policy plugin (see the README)",
        )
    config = load_config(config_file=str(config_file), site_dir=str(output.resolve()))
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise PolicyError.at(
            config_file, f"does not list the '{PLUGIN_NAME}' plugin", hint=f"add '- {PLUGIN_NAME}' under plugins:"
        )
    plugin.prepared = prepared
    if not use_cache:
        plugin.config.cache = ""
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
