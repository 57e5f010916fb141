"""Languages, interface text and dates: the only module that imports babel.

Interface text goes through gettext catalogs in `smops_policy/locales/<lang>/LC_MESSAGES/messages.po`
(managed with `pybabel extract/update`); they are read straight from the .po files, so a fresh
install needs no compile step.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from .errors import PolicyError

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

__all__ = [
    "LOCALES_DIR",
    "SUPPORTED_LANGUAGES",
    "format_date",
    "format_number",
    "gettext",
    "is_known_language",
    "language_name",
    "missing_translations",
    "today",
]

LOCALES_DIR = Path(__file__).parent / "locales"
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
def language_name(code: str) -> str:
    """The language's own name for itself, capitalised: 'English', 'Nederlands'."""
    name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_")) or code
    return name[:1].upper() + name[1:]


def format_date(value: dt.date, lang: str) -> str:
    """'13 December 2016' / '13 december 2016'."""
    return str(_babel_format_date(value, format="long", locale=_DATE_LOCALE.get(lang, lang.replace("-", "_"))))


def format_number(value: int, lang: str) -> str:
    return str(format_decimal(value, locale=lang.replace("-", "_")))


def today(timezone: str) -> dt.date:
    """Today in the publisher's timezone: the one place that reads the clock."""
    return dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()


def local_date(moment: dt.datetime, timezone: str) -> dt.date:
    return moment.astimezone(zoneinfo.ZoneInfo(timezone)).date()


def catalog_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"


@functools.cache
def _catalog(lang: str) -> dict[str, str]:
    path = catalog_path(lang)
    if not path.exists():
        return {}
    catalog = _read_catalog(path)
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def _read_catalog(path: Path) -> Catalog:
    try:
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True)
    except Exception as exc:  # babel raises several kinds for a broken .po; all mean the same to an editor
        line = getattr(exc, "lineno", None)
        raise PolicyError.at(
            path,
            f"message catalog does not compile: {exc}",
            line=line,
            hint="fix the .po file (pybabel compile shows the same error)",
        ) from None


def gettext(lang: str, message: str, **values: object) -> str:
    """Translate an interface message into `lang` and fill in its `{named}` values."""
    text = _catalog(lang).get(message, message) if lang != "en" else message
    return text.format(**values) if values else text


def missing_translations(lang: str, messages: list[str]) -> list[str]:
    """Messages the `lang` catalog does not translate (reported by `check`)."""
    if lang == "en":
        return []
    catalog = _catalog(lang)
    return [m for m in messages if m not in catalog]
