"""`policies/sites.yml` → `Publisher`, validated; every problem names the file and line."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

import yaml

from . import i18n
from .errors import PolicyError, Problems
from .model import DEFAULT_TIMEZONE, Publisher, Site
from .urls import RESERVED

__all__ = ["SITE_ID", "read_publisher"]

SITE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
POLICY_ID = SITE_ID
REQUIRED_SITE_KEYS = ("name", "url", "languages", "policies")


def _line_of(node: yaml.Node | None, *keys: str) -> int | None:
    """The 1-based line of the value at `keys` in a composed YAML tree (or of the deepest key found)."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                line, node = k.start_mark.line + 1, v
                break
        else:
            break
    return line


def read_publisher(text: bytes, path: str) -> Publisher:
    """Parse and validate sites.yml; raises PolicyError listing every problem."""
    try:
        source = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError.at(
            path, "is not UTF-8 text", line=text[: exc.start].count(b"\n") + 1, hint="save it as UTF-8"
        ) from None
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise PolicyError.at(
            path, f"is not valid YAML: {problem}", line=mark.line + 1 if mark else None, hint="fix the YAML syntax"
        ) from None
    problems = Problems()
    if not isinstance(data, dict):
        raise PolicyError.at(path, "must be a mapping with timezone, source_language and sites", line=1)

    timezone = data.get("timezone", DEFAULT_TIMEZONE)
    try:
        zoneinfo.ZoneInfo(str(timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.add(
            path,
            f"unknown timezone {timezone!r}",
            line=_line_of(root, "timezone"),
            hint="use an IANA name such as Europe/Amsterdam",
        )
    source_language = str(data.get("source_language", "en"))
    prevailing = str(data.get("prevailing_language", source_language))
    for key, code in (("source_language", source_language), ("prevailing_language", prevailing)):
        if not i18n.is_known_language(code):
            problems.add(
                path, f"unknown language code {code!r}", line=_line_of(root, key), hint="use a code such as en or nl"
            )
    notice_days = data.get("notice_days", 0)
    if not isinstance(notice_days, int) or isinstance(notice_days, bool) or notice_days < 0:
        problems.add(path, "notice_days must be a whole number of days (0 or more)", line=_line_of(root, "notice_days"))
        notice_days = 0

    raw_sites = data.get("sites")
    sites: list[Site] = []
    if not isinstance(raw_sites, dict) or not raw_sites:
        problems.add(
            path,
            "has no sites",
            line=_line_of(root, "sites"),
            hint="add a 'sites:' mapping of Site ids to their name, url, languages and policies",
        )
        raw_sites = {}
    for site_id, entry in raw_sites.items():
        line = _line_of(root, "sites", str(site_id))
        if not isinstance(site_id, str) or not SITE_ID.match(site_id):
            problems.add(
                path,
                f"Site id {site_id!r} is not a plain name",
                line=line,
                hint="use lowercase letters, digits and '-' (it names the Site's output folder)",
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


def _site(site_id: str, entry: dict[str, Any], path: str, root: yaml.Node | None, problems: Problems) -> Site | None:
    def line(key: str) -> int | None:
        return _line_of(root, "sites", site_id, key)

    ok = True
    url = str(entry["url"])
    if not re.match(r"^https?://[^\s/]+", url):
        problems.add(path, f"Site {site_id!r}: url {url!r} is not an http(s) address", line=line("url"))
        ok = False
    languages = entry["languages"]
    if not isinstance(languages, list) or not languages:
        problems.add(path, f"Site {site_id!r}: languages must be a list such as [en, nl]", line=line("languages"))
        languages, ok = [], False
    for lang in languages:
        if not isinstance(lang, str) or not i18n.is_known_language(lang):
            problems.add(
                path,
                f"Site {site_id!r}: unknown language code {lang!r}",
                line=line("languages"),
                hint=f"use one of: {', '.join(i18n.SUPPORTED_LANGUAGES)}",
            )
            ok = False
    policies = entry["policies"]
    if not isinstance(policies, list) or not policies:
        problems.add(path, f"Site {site_id!r}: policies must be a list such as [privacy]", line=line("policies"))
        policies, ok = [], False
    for policy in policies:
        if isinstance(policy, str) and policy in RESERVED:
            problems.add(
                path,
                f"Site {site_id!r}: policy id {policy!r} is a name the output uses for its own pages",
                line=line("policies"),
                hint="rename the policy's folder and id",
            )
            ok = False
        elif not isinstance(policy, str) or not POLICY_ID.match(policy):
            problems.add(
                path,
                f"Site {site_id!r}: policy id {policy!r} is not a plain name",
                line=line("policies"),
                hint="use lowercase letters, digits and '-'",
            )
            ok = False
    for key in ("base_url",):
        if key in entry and not str(entry[key]).endswith("/"):
            problems.add(path, f"Site {site_id!r}: {key} must end with '/'", line=line(key))
            ok = False
    if not ok:
        return None
    variables = {"id": site_id}
    variables.update(
        {str(k): str(v) for k, v in entry.items() if isinstance(v, str | int | float) and not isinstance(v, bool)}
    )
    return Site(
        id=site_id,
        name=str(entry["name"]),
        url=url,
        languages=tuple(languages),
        policies=tuple(policies),
        variables=variables,
        languages_line=line("languages"),
        policies_line=line("policies"),
    )
