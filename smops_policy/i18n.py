"""Languages, interface text and dates: the only module that imports babel.

Interface text goes through gettext catalogs in `smops_policy/locales/<lang>/LC_MESSAGES/messages.po`
(managed with `pybabel extract/update`, see babel.cfg and the README); they are read straight from the
.po files, so a fresh install needs no compile step.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import io
import re
import zoneinfo
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from smops_policy.errors import PolicyError

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator, Mapping

    from babel.messages.catalog import Catalog

    from smops_policy.errors import Problems

__all__ = [
    "KEYWORDS",
    "LOCALES_DIR",
    "SUPPORTED_LANGUAGES",
    "TEMPLATE",
    "catalog_path",
    "check_catalog",
    "code_messages",
    "extract_python",
    "format_date",
    "format_number",
    "gettext",
    "is_known_language",
    "language_name",
    "month_numbers",
    "shipped_messages",
    "today",
]

PACKAGE_DIR = Path(__file__).parent
LOCALES_DIR = PACKAGE_DIR / "locales"
# The functions whose literal argument is an interface message, as babel keyword specs: the same as
# `pybabel extract -k t -k N_ -k gettext:2` (gettext's message is its second argument, after the language).
KEYWORDS: dict[str, tuple[int, ...] | None] = {"t": None, "N_": None, "gettext": (2,)}
# babel.cfg says the same: `[smops_policy.i18n.extract_python: **.py]`
METHOD_MAP = [("**.py", "smops_policy.i18n.extract_python")]
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
SUPPORTED_LANGUAGES = ("en", "nl")
# Dates read the European way ("13 December 2016") for English too: the company is Dutch.
_DATE_LOCALE = {"en": "en_GB"}


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; translated later with `gettext`."""
    return message


@functools.cache
def is_known_language(code: str) -> bool:
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


@functools.cache
def language_name(code: str, in_lang: str | None = None) -> str:
    """A language's name, capitalised: in its own language ('English', 'Nederlands') or in `in_lang`
    ('Engels' for en in nl)."""
    locale = code.replace("-", "_")
    name = Locale.parse(locale).get_display_name((in_lang or code).replace("-", "_")) or code
    return name[:1].upper() + name[1:]


def format_date(value: dt.date, lang: str) -> str:
    """'13 December 2016' / '13 december 2016'."""
    return str(_babel_format_date(value, format="long", locale=_DATE_LOCALE.get(lang, lang.replace("-", "_"))))


def format_number(value: int, lang: str) -> str:
    return str(format_decimal(value, locale=lang.replace("-", "_")))


@functools.cache
def month_numbers(lang: str) -> dict[str, int]:
    """Month names as written in `lang` and in English, lowercased, each to its number: wide and
    abbreviated, in running text and standing alone ('mei', 'may', 'okt.' → 5, 5, 10), to read dates
    such as "25 mei 2018" in an imported text."""
    names: dict[str, int] = {}
    for code in dict.fromkeys(("en", lang.replace("-", "_"))):
        try:
            months = Locale.parse(code).months
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    names.setdefault(str(name).lower(), int(number))
                    names.setdefault(str(name).lower().rstrip("."), int(number))
    return names


def today(timezone: str) -> dt.date:
    """Today in the publisher's timezone: the one place that reads the clock."""
    return dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()


def local_date(moment: dt.datetime, timezone: str) -> dt.date:
    return moment.astimezone(zoneinfo.ZoneInfo(timezone)).date()


def catalog_path(lang: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / "messages.po"


@functools.cache
def _catalog(lang: str) -> dict[str, str]:
    # cached by language: gettext runs for every label of every page
    return _translations(catalog_path(lang))


@functools.cache
def _translations(path: Path) -> dict[str, str]:
    """msgid → msgstr of a catalog's finished translations (fuzzy and empty ones left out)."""
    if not path.exists():
        return {}
    catalog = _read_catalog(path)
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def _read_catalog(path: Path) -> Catalog:
    """The catalog at `path`, parsed (read-only: the same object may be handed out again)."""
    return _parsed_catalog(path, path.read_bytes())


# Parsed once per process for each text a catalog file has had: keyed by its bytes (which any edit
# changes), not its modification time. A check or build reads the file (a few kB) and parses it
# (some ms) only when it changed. A catalog that does not parse raises, and is not kept.
@functools.lru_cache(maxsize=16)
def _parsed_catalog(path: Path, data: bytes) -> Catalog:
    try:
        found = _po_syntax_error(data.decode("utf-8"))
        if found is not None:
            line, problem = found
            raise PolicyError.at(
                path,
                f"message catalog does not compile: {problem}",
                line=line,
                hint="fix the .po file (see the README, Translations)",
            )
        return read_po(io.BytesIO(data), abort_invalid=True)
    except PolicyError:
        raise
    except Exception as exc:  # babel raises several kinds for a broken .po; all mean the same to an editor
        lineno = getattr(exc, "lineno", None)
        if isinstance(exc, UnicodeDecodeError):
            lineno = data[: exc.start].count(b"\n") + 1
        raise PolicyError.at(
            path,
            f"message catalog does not compile: {exc}",
            line=lineno if isinstance(lineno, int) else None,
            hint="fix the .po file (see the README, Translations)",
        ) from None


_PO_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(rf"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+{_PO_STRING}\s*$|^{_PO_STRING}\s*$")


def _po_syntax_error(text: str) -> tuple[int, str] | None:
    """The first line that is not PO syntax: babel's reader quietly accepts some broken entries
    (an unclosed quote, a msgid without msgstr), which would then drop or garble a message."""
    expect_msgstr = None  # the line of a msgid still waiting for its msgstr
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _PO_LINE.match(line)
        if match is None:
            return number, f"not a quoted string or a msgid/msgstr line: {line[:60]}"
        keyword = match.group(1) or ""
        if keyword == "msgid":
            if expect_msgstr is not None:
                return expect_msgstr, "msgid without msgstr"
            expect_msgstr = number
        elif keyword.startswith("msgstr"):
            if expect_msgstr is None and keyword == "msgstr":
                return number, "msgstr without msgid"
            expect_msgstr = None
    if expect_msgstr is not None:
        return expect_msgstr, "msgid without msgstr"
    return None


def gettext(lang: str, message: str, **values: object) -> str:
    """Translate an interface message into `lang` and fill in its `{named}` values."""
    text = _catalog(lang).get(message, message) if lang != "en" else message
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation that garbled its {values}: `check` reports it
        return message.format(**values)


# --------------------------------------------------------------------------- catalogs and the code


def extract_python(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, tuple[str | None, ...], list[str]]]:
    """A babel extraction method that reads the syntax tree, so that calls inside f-strings count too
    (babel's own Python extractor sees into f-strings only from Python 3.12)."""
    source = fileobj.read().decode(str(options.get("encoding", "utf-8")))
    lines = source.splitlines()
    calls: list[tuple[int, int, str, tuple[str | None, ...]]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name and name in keywords:
            args = tuple(
                a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args
            )
            calls.append((node.lineno, node.col_offset, name, args))
    for lineno, _col, name, args in sorted(calls, key=lambda call: (call[0], call[1])):
        yield lineno, name, args, _translator_comments(lines, lineno, comment_tags)


def _translator_comments(lines: list[str], lineno: int, tags: Collection[str]) -> list[str]:
    """`# TRANSLATORS: ...` lines right above a call, for the .pot."""
    found: list[str] = []
    index = lineno - 2
    while index >= 0 and lines[index].strip().startswith("#"):
        found.insert(0, lines[index].strip().lstrip("#").strip())
        index -= 1
    return found if any(found and found[0].startswith(tag) for tag in tags) else []


@functools.cache
def code_messages(package_dir: Path = PACKAGE_DIR) -> dict[str, tuple[tuple[str, int], ...]]:
    """Every interface message the code uses, with where: what `pybabel extract -F babel.cfg` finds."""
    from babel.messages.extract import extract_from_dir  # for `check`: a build does without it

    found: dict[str, list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        package_dir, method_map=METHOD_MAP, keywords=KEYWORDS
    ):
        if isinstance(message, str):
            found.setdefault(message, []).append((filename, lineno))
    return {message: tuple(where) for message, where in found.items()}


TEMPLATE = LOCALES_DIR / "messages.pot"


def shipped_messages(template: Path = TEMPLATE) -> frozenset[str]:
    """Every interface message the code uses, as the catalog template the package ships lists them
    (`pybabel extract` writes it; tests/test_command_caches.py fails when it is out of date with the
    code): what `code_messages` finds, without parsing every module of the package on each `check`.
    Without a template that parses, what `code_messages` finds."""
    try:
        catalog = _read_catalog(template)
    except (OSError, PolicyError):
        return frozenset(code_messages())
    return frozenset(str(m.id) for m in catalog if m.id and isinstance(m.id, str))


def check_catalog(lang: str, messages: Collection[str], problems: Problems, *, locales_dir: Path = LOCALES_DIR) -> None:
    """Report to `problems` each message of `messages` the `lang` catalog lacks or leaves untranslated
    (empty or fuzzy), and each translation whose `{named}` values differ from its message's."""
    path = catalog_path(lang, locales_dir)
    if not path.exists():
        problems.add(
            path,
            f"there is no message catalog for '{lang}', so its pages would show English interface text",
            hint=f"pybabel init -i {locales_dir.name}/messages.pot -d {locales_dir.name} -l {lang}, then translate it",
        )
        return
    try:
        catalog = _read_catalog(path)
    except PolicyError as exc:
        problems.extend(exc)
        return
    entries = {str(m.id): m for m in catalog if m.id and isinstance(m.id, str)}
    for message in sorted(messages):
        entry = entries.get(message)
        if entry is None:
            problems.add(
                path,
                f"lacks the message {message!r}, which the code uses",
                hint="run pybabel extract and pybabel update as the README says, then translate it",
            )
        elif not entry.string or entry.fuzzy:
            problems.add(
                path,
                f"{'has only a fuzzy translation of' if entry.fuzzy else 'does not translate'} the message {message!r}",
                line=entry.lineno,
                hint="translate it and remove the fuzzy flag",
            )
        elif set(_PLACEHOLDER.findall(str(entry.string))) != set(_PLACEHOLDER.findall(message)):
            problems.add(
                path,
                f"the translation of {message!r} does not keep its {{named}} values",
                line=entry.lineno,
                hint="use exactly the {names} of the message, untranslated",
            )
