"""`policies/sites.yml` → `Publisher`, validated; every problem names the file and line."""

from __future__ import annotations

import re
import zoneinfo
from typing import TYPE_CHECKING, Any

from smops_policy import i18n
from smops_policy.content import yamlsafe
from smops_policy.errors import PolicyError, Problems
from smops_policy.model import DEFAULT_TIMEZONE, Publisher, Site
from smops_policy.urls import RESERVED

if TYPE_CHECKING:
    from collections.abc import Callable

    import yaml

__all__ = ["SITE_ID", "read_publisher"]

# Ids name folders and addresses: matched in full (a trailing newline is no id), and at most MAX_ID long.
SITE_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
POLICY_ID = SITE_ID
LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2}")
MAX_ID = 64
MAX_NOTICE_DAYS = 3650  # ten years; a date that many days away must still be a date
REQUIRED_SITE_KEYS = ("name", "url", "languages", "policies")


def read_publisher(text: bytes, path: str) -> Publisher:
    """Parse and validate sites.yml; raises PolicyError listing every problem."""
    yamlsafe.check_size(text, path)
    try:
        source = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError.at(
            path, "is not UTF-8 text", line=text[: exc.start].count(b"\n") + 1, hint="save it as UTF-8"
        ) from None
    loaded = yamlsafe.load(source, path)
    root, data = loaded.root, loaded.data
    problems = Problems()
    if not isinstance(data, dict):
        raise PolicyError.at(path, "must be a mapping with timezone, source_language and sites", line=1)

    timezone = data.get("timezone", DEFAULT_TIMEZONE)
    try:
        zoneinfo.ZoneInfo(timezone if isinstance(timezone, str) else "")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        problems.add(
            path,
            f"unknown timezone {_shown(timezone)}",
            line=yamlsafe.line_of(root, "timezone"),
            hint="use an IANA name such as Europe/Amsterdam",
        )
    source_language = str(data.get("source_language", "en"))
    prevailing = str(data.get("prevailing_language", source_language))
    for key, code in (("source_language", source_language), ("prevailing_language", prevailing)):
        if not _is_language(code):
            problems.add(
                path,
                f"unknown language code {_shown(code)}",
                line=yamlsafe.line_of(root, key),
                hint="use a code such as en or nl",
            )
    notice_days = data.get("notice_days", 0)
    if not isinstance(notice_days, int) or isinstance(notice_days, bool) or not 0 <= notice_days <= MAX_NOTICE_DAYS:
        problems.add(
            path,
            f"notice_days must be a whole number of days from 0 to {MAX_NOTICE_DAYS}",
            line=yamlsafe.line_of(root, "notice_days"),
        )
        notice_days = 0

    raw_sites = data.get("sites")
    sites: list[Site] = []
    if not isinstance(raw_sites, dict) or not raw_sites:
        problems.add(
            path,
            "has no sites",
            line=yamlsafe.line_of(root, "sites"),
            hint="add a 'sites:' mapping of Site ids to their name, url, languages and policies",
        )
        raw_sites = {}
    for site_id, entry in raw_sites.items():
        line = yamlsafe.line_of(root, "sites", str(site_id))
        if isinstance(site_id, str) and SITE_ID.fullmatch(site_id) and len(site_id) > MAX_ID:
            problems.add(
                path,
                f"Site id {site_id[:20]!r}… is {len(site_id)} characters long",
                line=line,
                hint=f"use at most {MAX_ID}: it names the Site's output folder",
            )
            continue
        if not isinstance(site_id, str) or not SITE_ID.fullmatch(site_id):
            problems.add(
                path,
                f"Site id {site_id!r} is not a plain name",
                line=line,
                hint="use lowercase letters, digits and '-': it names the Site's output folder",
            )
            continue
        if not isinstance(entry, dict):
            problems.add(path, f"Site {site_id!r} must be a mapping", line=line)
            continue
        missing = [k for k in REQUIRED_SITE_KEYS if k not in entry]
        if missing:
            problems.add(
                path, f"Site {site_id!r} lacks {', '.join(missing)}", line=line, hint="see the README's content format"
            )
            continue
        site = _site(site_id, entry, path, root, problems)
        if site is not None:
            sites.append(site)
    problems.raise_if_any()
    return Publisher(
        timezone=str(timezone),
        source_language=source_language,
        sites=tuple(sites),
        prevailing_language=prevailing,
        notice_days=notice_days,
    )


def _shown(value: object) -> str:
    """A value for a message: its repr, cut short if long."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}…{text[-1]}"


def _is_language(code: object) -> bool:
    """A language code such as en, nl or pt-BR that babel knows (matched in full: it names folders)."""
    return isinstance(code, str) and bool(LANGUAGE.fullmatch(code)) and i18n.is_known_language(code)


def _repeated(values: list[Any]) -> list[Any]:
    """The values of a list that appear in it more than once (each once, in order)."""
    seen: list[Any] = []
    repeated: list[Any] = []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.append(value)
    return repeated


def _site(site_id: str, entry: dict[str, Any], path: str, root: yaml.Node | None, problems: Problems) -> Site | None:
    def line(key: str) -> int | None:
        return yamlsafe.line_of(root, "sites", site_id, key)

    ok = _urls_valid(site_id, entry, path, line, problems)
    url = str(entry["url"])
    languages = entry["languages"]
    if not isinstance(languages, list) or not languages:
        problems.add(path, f"Site {site_id!r}: languages must be a list such as [en, nl]", line=line("languages"))
        languages, ok = [], False
    for lang in _repeated(languages):
        problems.add(path, f"Site {site_id!r} lists language {lang!r} twice", line=line("languages"), hint="keep one")
        ok = False
    for lang in languages:
        if not isinstance(lang, str) or not _is_language(lang):
            problems.add(
                path,
                f"Site {site_id!r}: unknown language code {_shown(lang)}",
                line=line("languages"),
                hint=f"use one of: {', '.join(i18n.SUPPORTED_LANGUAGES)}",
            )
            ok = False
    policies = entry["policies"]
    # [] is a Site that has withdrawn its last policy (README: "Withdrawing a policy"): an archive only.
    if not isinstance(policies, list):
        problems.add(path, f"Site {site_id!r}: policies must be a list such as [privacy]", line=line("policies"))
        policies, ok = [], False
    for policy in _repeated(policies):
        problems.add(path, f"Site {site_id!r} lists policy {policy!r} twice", line=line("policies"), hint="keep one")
        ok = False
    for policy in policies:
        if isinstance(policy, str) and POLICY_ID.fullmatch(policy) and len(policy) > MAX_ID:
            problems.add(
                path,
                f"Site {site_id!r}: policy id {policy[:20]!r}… is {len(policy)} characters long",
                line=line("policies"),
                hint=f"use at most {MAX_ID}: it names the policy's folder and address",
            )
            ok = False
        elif isinstance(policy, str) and policy in RESERVED:
            problems.add(
                path,
                f"Site {site_id!r}: policy id {policy!r} is a name the output uses for its own pages",
                line=line("policies"),
                hint="rename the policy's folder and id",
            )
            ok = False
        elif not isinstance(policy, str) or not POLICY_ID.fullmatch(policy):
            problems.add(
                path,
                f"Site {site_id!r}: policy id {policy!r} is not a plain name",
                line=line("policies"),
                hint="use lowercase letters, digits and '-'",
            )
            ok = False
    # Values as written: YAML reads `1.10` as 1.1 and `0201234567` as an octal number
    written = yamlsafe.scalar_texts(yamlsafe.node_at(root, "sites", site_id))
    name = written.get("name", "")
    if not name.strip():
        problems.add(
            path,
            f"Site {site_id!r}: name must be one line of text",
            line=line("name"),
            hint="write e.g. name: Example.com",
        )
        ok = False
    if not ok:
        return None
    variables = {"id": site_id}
    variables.update(written)
    return Site(
        id=site_id,
        name=name,
        url=url,
        languages=tuple(languages),
        policies=tuple(policies),
        variables=variables,
        languages_line=line("languages"),
        policies_line=line("policies"),
    )


# A Site's own address (`url`, `base_url`) is the start of every absolute address the output writes
# (canonical links, hreflang alternates, feeds, versions.json, sitemaps) and lands in templates that print
# it as it is: plain URL characters only, no query or fragment, and a closing '/'.
_SITE_ADDRESS = re.compile(
    r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?/(?:[A-Za-z0-9._~!$()*+,;=:@/-]|%[0-9A-Fa-f]{2})*$"
)
# Any other `*_url` (support_url, ...) may carry a query or a fragment: it is escaped where it lands.
_OTHER_ADDRESS = re.compile(r"^https?://[^\s/?#\"'<>\\^`{|}]+(?:[/?#][^\s\"<>\\^`{|}]*)?$")


def _urls_valid(
    site_id: str, entry: dict[str, Any], path: str, line: Callable[[str], int | None], problems: Problems
) -> bool:
    """`url`, `base_url` and every `*_url` key: absolute http(s) addresses (see the README)."""
    ok = True
    for key in [k for k in entry if isinstance(k, str) and (k in ("url", "base_url") or k.endswith("_url"))]:
        value = entry[key]
        text = str(value) if isinstance(value, str) else ""
        own = key in ("url", "base_url")
        if own and _OTHER_ADDRESS.fullmatch(text) and not text.endswith("/") and "?" not in text and "#" not in text:
            problems.add(
                path,
                f"Site {site_id!r}: {key} {text!r} must end with '/'",
                line=line(key),
                hint=f'write {key}: "{text}/" (every page address is made by adding to it)',
            )
        elif not (_SITE_ADDRESS if own else _OTHER_ADDRESS).fullmatch(text):
            shown = repr(text) if isinstance(value, str) else f"{value!r} (not text)"
            rule = "an https:// address ending in '/', without ? or #" if own else "an absolute https:// address"
            problems.add(
                path,
                f"Site {site_id!r}: {key} {shown} is not {rule}",
                line=line(key),
                hint=f"write e.g. {key}: https://example.com/{'' if own else 'support'} (percent-encode spaces, "
                "quotes and other characters URLs do not allow)",
            )
        else:
            continue
        ok = False
    return ok
