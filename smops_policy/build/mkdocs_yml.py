"""mkdocs.yml as a build uses it: the committed text (unless drafts), its mistakes as
`mkdocs.yml:LINE: message`, and every setting that would make a page contact another host.

The privacy promise (no third-party requests, no cookies, no foreign script) holds only if the theme
settings keep it too: mkdocs-material loads Google Fonts unless `font: false`, fetches a GitHub or
GitLab repository's stars from every visitor's browser when `repo_url` names one, and puts any
`extra_javascript` on every page. `check` reports them, and a build refuses them (check can be skipped).
"""

from __future__ import annotations

import functools
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from smops_policy.build import speedups
from smops_policy.content.gitcmd import git_output
from smops_policy.errors import PolicyError, Problem

if TYPE_CHECKING:
    from mkdocs.theme import Theme

__all__ = ["CONFIG_FILE", "MkdocsYml", "load_mkdocs_yml", "read_mkdocs_yml", "third_party_problems"]

CONFIG_FILE = "mkdocs.yml"
_DOCS = "see https://www.mkdocs.org/user-guide/configuration/"
log = logging.getLogger("mkdocs.config")


# libyaml's parser where PyYAML has it (its wheels do): mkdocs.yml is read several times per command,
# some ten times faster. A text it cannot read is read again with PyYAML's Python parser, which mkdocs
# itself uses, so that every message is the one `mkdocs build` gives; a text with a tab is left to that
# parser alone (libyaml takes some tabs it refuses).
_C_LOADER: Any = getattr(yaml, "CLoader", None)
_C_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", None)


_SURROGATE = re.compile("[\ud800-\udfff]")  # libyaml takes UTF-8: a lone surrogate cannot be encoded


def _fast(text: str) -> bool:
    return _C_LOADER is not None and "\t" not in text and not _SURROGATE.search(text)


@dataclass(frozen=True)
class MkdocsYml:
    """The mkdocs.yml a build reads: where it is (relative paths in it start from its folder) and its text.

    Its YAML tree and its settings as written are read once, when first asked for (`nodes`, `settings`)."""

    path: str
    text: str
    committed_instead: bool = False  # the working tree's edits are left out (a build without --drafts)

    def stream(self) -> io.StringIO:
        """The text as a file mkdocs can read (its name places `INHERIT` and relative paths)."""
        stream = io.StringIO(self.text)
        stream.name = self.path
        return stream

    @functools.cached_property
    def nodes(self) -> yaml.Node | None:
        """The YAML tree with its lines; a syntax error is a problem at its line."""
        return _compose(self)

    @functools.cached_property
    def settings(self) -> dict[str, Any]:
        """The settings as written (`!relative` paths left out), without loading anything: read-only."""
        return _raw_settings(self)

    @property
    def name(self) -> str:
        """How problems name it (a repository's mkdocs.yml is at its top)."""
        return Path(self.path).name

    def uncommitted_warning(self) -> Problem | None:
        if not self.committed_instead:
            return None
        return Problem(
            self.name,
            "has uncommitted changes that are not published: this build uses the committed mkdocs.yml",
            hint="commit them, or preview with --drafts",
            warning=True,
        )


def read_mkdocs_yml(config_file: Path, *, drafts: bool) -> MkdocsYml:
    """The repository's mkdocs.yml as a build must read it: its committed text unless `drafts` (an
    edit not yet committed is no more published than an uncommitted policy)."""
    path = config_file.resolve()
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError.at(
            name,
            "does not exist",
            hint=(
                "create it with site_name, docs_dir: policies, plugins: [smops-policy] and a material theme "
                'with font: false; the README section "mkdocs.yml and the privacy promise" lists what a build refuses'
            ),
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError.at(name, f"cannot be read ({exc})", hint="save it as UTF-8 text") from None
    if drafts:
        return MkdocsYml(str(path), text)
    status = git_output(path.parent, "status", "--porcelain", "--", name, errors="replace")
    if not status:  # unchanged, or not in git at all (then loading the history says so)
        return MkdocsYml(str(path), text)
    committed = git_output(path.parent, "show", f"HEAD:./{name}", errors="replace")
    if committed is None:
        raise PolicyError.at(
            name,
            "was never committed",
            hint=f"commit it (git add {name} && git commit), or preview with --drafts",
        )
    return MkdocsYml(str(path), committed, committed_instead=committed != text)


def _compose(yml: MkdocsYml) -> yaml.Node | None:
    if _fast(yml.text):
        try:
            return yaml.compose(yml.text, Loader=_C_SAFE_LOADER)
        except yaml.YAMLError:
            pass  # PyYAML's Python parser says what and where, below
    try:
        return yaml.compose(yml.text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        begun = exc.context_mark
        started = f" ({exc.context} on line {begun.line + 1})" if exc.context and begun and begun is not mark else ""
        raise PolicyError.at(
            yml.name,
            f"is not valid YAML: {exc.problem or exc.context}{started}",
            line=mark.line + 1 if mark else None,
            hint="fix the line (indentation, a ':' or quote out of place)",
        ) from None
    except yaml.YAMLError as exc:
        raise PolicyError.at(yml.name, f"is not valid YAML: {exc}", hint="fix it") from None


def _line(root: yaml.Node | None, *path: str | int) -> int | None:
    """The line of the deepest part of `path` (keys, list positions) that mkdocs.yml itself holds."""
    node, line = root, None
    for part in path:
        found = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            found = next(((k, v) for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            found = (node.value[part], node.value[part])
        if found is None:
            break
        line, node = found[0].start_mark.line + 1, found[1]
    if line is None and isinstance(root, yaml.MappingNode):  # from an INHERIT'ed file: name that line
        line = _line(root, "INHERIT") if path != ("INHERIT",) else None
    return line


def mkdocs_yaml_load(yml: MkdocsYml, config: MkDocsConfig | None = None) -> dict[str, Any]:
    """mkdocs.yml read as mkdocs reads it (its `!ENV` and, with `config`, `!relative` tags; `INHERIT`),
    with libyaml where it can: ConfigurationError as mkdocs words it."""
    if _fast(yml.text):
        try:
            return yaml_load(yml.stream(), get_yaml_loader(_C_LOADER, config))
        except ConfigurationError:
            pass  # read again below, for mkdocs' own message
    return yaml_load(yml.stream(), get_yaml_loader(config=config))


def load_mkdocs_yml(yml: MkdocsYml, **options: Any) -> MkDocsConfig:
    """mkdocs' load_config on this text, with its errors as `mkdocs.yml:LINE: message` (PolicyError)."""
    nodes = yml.nodes
    config = MkDocsConfig(config_file_path=yml.path)
    try:
        config.load_dict(mkdocs_yaml_load(yml, config))  # as MkDocsConfig.load_file does
    except ConfigurationError as exc:  # not a mapping, or an INHERIT'ed file missing
        raise PolicyError.at(yml.name, str(exc), line=_line(nodes, "INHERIT") or 1, hint=_DOCS) from None
    config.load_dict({key: value for key, value in options.items() if value is not None})
    with speedups.themes_listed_once():
        errors, warnings = config.validate()
    for name, warning in warnings:  # as mkdocs' load_config says them
        log.warning(f"Config value '{name}': {warning}")
    problems = [
        Problem(yml.name, f"{name}: {error}", _error_line(nodes, name, str(error)), _DOCS) for name, error in errors
    ]
    if config.strict and warnings and not problems:
        problems.append(
            Problem(
                yml.name,
                f"{len(warnings)} warnings in strict mode",
                _line(nodes, "strict"),
                "fix them, or set strict: false",
            )
        )
    if problems:
        raise PolicyError(problems)
    return config


def _error_line(nodes: yaml.Node | None, name: str, message: str) -> int | None:
    """The line of the key an error is about; for a plugin, the line that names it."""
    if name == "plugins" and isinstance(nodes, yaml.MappingNode):
        plugins = next((v for k, v in nodes.value if getattr(k, "value", None) == "plugins"), None)
        if isinstance(plugins, yaml.SequenceNode):
            for item in plugins.value:
                label = item.value if isinstance(item, yaml.ScalarNode) else getattr(item.value[0][0], "value", "")
                if isinstance(label, str) and (f'"{label}"' in message or f"'{label}'" in message):
                    return int(item.start_mark.line) + 1
    return _line(nodes, name) or 1


# --- settings that make a page contact another host -------------------------------------------------

_KNOWN_PLUGINS = {"search", "smops-policy", "offline", "tags", "privacy", "meta", "group", "info", "typeset"}
# Elements that load a file or point the page elsewhere (inline SVG's <image> loads one too; <base>
# moves every relative address to another host), and attributes that load one on any element.
_LOADING_HTML = re.compile(
    r"<\s*(?:script|img|iframe|frame|link|style|object|embed|video|audio|source|picture|track|input|svg|math"
    r"|image|use|base|meta|applet)\b|\s(?:src|srcset|background|poster|data|action|formaction|ping)\s*="
    r"|url\(|@import",
    re.I,
)


def _external(value: object) -> bool:
    """An address on another host: `https://…`, `http://…` or protocol-relative `//…`."""
    if not isinstance(value, str):
        return False
    try:
        return bool(urlsplit(value.strip()).netloc)
    except ValueError:
        return True


def _raw_settings(yml: MkdocsYml) -> dict[str, Any]:
    data: Any = None
    for base in (_C_LOADER, yaml.Loader) if _fast(yml.text) else (yaml.Loader,):
        loader = get_yaml_loader(base)
        loader.add_constructor("!relative", lambda _loader, _node: "")  # a local path: never another host
        try:
            data = yaml_load(yml.stream(), loader)
            break
        except ConfigurationError as exc:
            if base is yaml.Loader:  # mkdocs' own parser, for its own message
                raise PolicyError.at(yml.name, str(exc), hint=_DOCS) from None
    return data if isinstance(data, dict) else {}


def third_party_problems(yml: MkdocsYml) -> list[Problem]:
    """Every setting in mkdocs.yml (INHERIT'ed files included) that makes a page load something from
    another host, or set cookies: errors with their line. A plugin smops-policy does not know is a
    warning (it may add anything to a page)."""
    nodes = yml.nodes
    raw = yml.settings
    problems: list[Problem] = []

    def error(path: tuple[str | int, ...], message: str, hint: str) -> None:
        where = ".".join(str(part) for part in path)
        problems.append(Problem(yml.name, f"{where}: {message}", _line(nodes, *path), hint))

    theme = raw.get("theme")
    theme = {"name": theme} if isinstance(theme, str) else theme if isinstance(theme, dict) else {"name": "material"}
    name = theme.get("name")
    if name == "material" and theme.get("font", True) is not False:
        font: dict[str, Any] = theme["font"] if isinstance(theme.get("font"), dict) else {}
        family = f"{font.get('text') or 'Roboto'} and {font.get('code') or 'Roboto Mono'}"
        error(
            ("theme", "font"),
            f"mkdocs-material loads {family} from fonts.googleapis.com on every page, telling Google who reads it",
            "set font: false under theme:, and pages use the reader's own fonts",
        )
    if name in {"mkdocs", "readthedocs"} and theme.get("highlightjs", True) is not False:
        error(
            ("theme", "highlightjs"),
            f"the {name} theme loads highlight.js from cdnjs.cloudflare.com",
            "use name: material",
        )
    for key in ("logo", "favicon"):
        if _external(theme.get(key)):
            error(
                ("theme", key),
                f"{theme[key]} is on another host",
                f"put the file in the theme's custom_dir and give its path as {key}",
            )
    for key in ("extra_javascript", "extra_css"):
        for index, entry in enumerate(raw.get(key) or []):
            address = entry.get("path") if isinstance(entry, dict) else entry
            if _external(address):
                error(
                    (key, index),
                    f"{address} is loaded from another host on every page",
                    "remove it, or copy the file into the repository and give its path",
                )
    extra: dict[str, Any] = raw["extra"] if isinstance(raw.get("extra"), dict) else {}
    for index, address in enumerate(extra.get("polyfills") or []):
        if _external(address):
            error(("extra", "polyfills", index), f"{address} is loaded from another host on every page", "remove it")
    if extra.get("analytics"):
        error(
            ("extra", "analytics"),
            "sends every visit to an analytics provider",
            "remove extra.analytics: the pages keep no statistics",
        )
    if extra.get("consent"):
        error(
            ("extra", "consent"),
            "asks for cookie consent and stores the answer in the browser",
            "remove extra.consent: the pages set no cookies and need no consent",
        )
    if raw.get("google_analytics"):
        error(("google_analytics",), "sends every visit to Google Analytics", "remove google_analytics")
    repo_url = raw.get("repo_url")
    if isinstance(repo_url, str) and re.search(r"github\.com|gitlab", urlsplit(repo_url).netloc, re.I):
        error(
            ("repo_url",),
            f"{repo_url}: mkdocs-material asks that host's API for the repository's stars and forks from every "
            "visitor's browser",
            "leave repo_url out; link to the repository from the Site instead",
        )
    if isinstance(raw.get("copyright"), str) and _LOADING_HTML.search(raw["copyright"]):
        error(
            ("copyright",),
            "holds HTML that loads a file or moves the page elsewhere (an image, svg, script, frame, style, base or meta)",
            "keep the copyright notice to text and links",
        )
    for index, entry in enumerate(raw.get("plugins") or []):
        plugin = entry if isinstance(entry, str) else next(iter(entry), "") if isinstance(entry, dict) else ""
        short = str(plugin).removeprefix("material/")
        if short == "social":
            error(
                ("plugins", index),
                "the social plugin downloads fonts from Google Fonts for its cards at build time",
                "remove it",
            )
        elif short not in _KNOWN_PLUGINS:
            problems.append(
                Problem(
                    yml.name,
                    f"plugins.{index}: smops-policy does not know the plugin {plugin!r}",
                    _line(nodes, "plugins", index),
                    "make sure it adds nothing to the pages that loads from another host or sets a cookie",
                    warning=True,
                )
            )
    for index, hook in enumerate(raw.get("hooks") or []):  # Python run on every page, as a plugin is
        problems.append(
            Problem(
                yml.name,
                f"hooks.{index}: the hook {hook!r} runs on every page, like a plugin smops-policy does not know",
                _line(nodes, "hooks", index),
                "make sure it adds nothing to the pages that loads from another host or sets a cookie",
                warning=True,
            )
        )
    return problems


THEME_DIR = Path(__file__).parent.parent / "overrides"  # in the wheel
SOURCE_THEME_DIR = Path(__file__).parent.parent.parent / "overrides"  # in a checkout


def add_our_theme(theme: Theme) -> None:
    """Our templates (overrides/) go after the repository's own custom_dir and before mkdocs-material's."""
    theme_dir = str(THEME_DIR if THEME_DIR.is_dir() else SOURCE_THEME_DIR)
    if theme_dir not in theme.dirs:
        theme.dirs.insert(1 if theme.custom_dir else 0, theme_dir)
