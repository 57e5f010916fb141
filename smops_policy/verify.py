"""`smops-policy verify`: does a built output still say what git says? Every version's text is read
again from git and compared with the output's versions.json and with each version's page."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from typing import TYPE_CHECKING, Any

from .document import fill_html
from .errors import PolicyError, Problem
from .outputs import VERSIONS_FILE, version_record
from .project import load_project
from .render import BodyCache
from .site import site_project
from .urls import policy_url, version_url

if TYPE_CHECKING:
    from pathlib import Path

    from .model import PolicyHistory, Site, Version
    from .project import Project

__all__ = ["verify_output"]

_POLICY_TEXT = re.compile(r'<div class="policy-text" lang="[^"]*">\n(.*?)\n</div>\n<footer class="policy-proof">', re.S)
_PROOF = re.compile(r'<footer class="policy-proof">.*?</footer>', re.S)
_CODES = re.compile(r"<code>([^<]*)</code>")


def verify_output(repo: Path, output: Path) -> list[Problem]:
    """Every mismatch between the output folder and the repository's history, as problems."""
    indexes = _read_indexes(output)
    project = load_project(repo)
    bodies = BodyCache()
    problems: list[Problem] = []
    for site in project.publisher.sites:
        index_path = output / site.id / VERSIONS_FILE
        index = indexes.get(site.id)
        if index is None:
            problems.append(Problem(str(index_path), f"is missing: Site '{site.id}' is not in this output"))
            continue
        # titles and summaries as the Site reads them, Site values filled in, as versions.json has them
        problems += _verify_site(site_project(project, site), site, output, index_path, index, bodies)
    return problems


def _read_indexes(output: Path) -> dict[str, dict[str, Any]]:
    hint = "point --output at a folder that `smops-policy build` wrote (default: site/)"
    if not output.is_dir():
        raise PolicyError.at(output, "is not a folder", hint=hint)
    indexes: dict[str, dict[str, Any]] = {}
    for path in sorted(output.glob(f"*/{VERSIONS_FILE}")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PolicyError.at(path, f"is not readable JSON ({exc})", hint="build the output again") from None
        if isinstance(data, dict) and "format" in data and isinstance(data.get("site"), dict):
            indexes[path.parent.name] = data
    if not indexes:
        raise PolicyError.at(output, f"is not a smops-policy build output (no <site>/{VERSIONS_FILE} in it)", hint=hint)
    return indexes


def _verify_site(
    project: Project, site: Site, output: Path, index_path: Path, index: dict[str, Any], bodies: BodyCache
) -> list[Problem]:
    problems: list[Problem] = []
    where = str(index_path)
    try:
        as_of = dt.date.fromisoformat(str(index.get("as_of")))
    except ValueError:
        return [Problem(where, f"has no valid as_of date ({index.get('as_of')!r})", hint="build the output again")]
    listed: dict[str, Any] = index.get("policies") or {}
    for policy in sorted(site.policies):
        for lang in sorted(site.languages):
            history = project.history(policy, lang)
            if history is None or not history.versions:
                continue
            entry = listed.get(policy, {}).get(lang)
            if not isinstance(entry, dict):
                problems.append(Problem(where, f"does not list policy '{policy}' in '{lang}'"))
                continue
            records = {str(r.get("version")): r for r in entry.get("versions", []) if isinstance(r, dict)}
            for number in sorted(set(records) - {v.number for v in history.versions}):
                problems.append(Problem(where, f"lists {policy} {number} ({lang}), a version git does not have"))
            for version in history.versions:
                problems += _verify_version(
                    site, history, version, as_of, output, where, records, bodies, project.publisher.timezone
                )
    return problems


def _verify_version(
    site: Site,
    history: PolicyHistory,
    version: Version,
    as_of: dt.date,
    output: Path,
    where: str,
    records: dict[str, Any],
    bodies: BodyCache,
    timezone: str,
) -> list[Problem]:
    name = f"{history.policy} {version.number} ({history.lang})"
    record = records.get(version.number)
    if record is None:
        return [Problem(where, f"does not list version {name}", hint="build the output again")]
    problems = [
        Problem(where, f"{name}: {key} is {record.get(key)!r}, git says {value!r}")
        for key, value in version_record(history, version, as_of, site.base_url, timezone).items()
        if record.get(key) != value
    ]
    text = fill_html(bodies.body(version, site).html, site.variables)
    pages = [version_url(history.lang, history.policy, version.number)]
    if history.in_force(as_of) is version:
        pages.append(policy_url(history.lang, history.policy))
    for url in pages:
        page = output / site.id / url / "index.html"
        if not page.is_file():
            problems.append(Problem(str(page), f"is missing: the page of {name}"))
            continue
        problems += _verify_page(str(page), page.read_text(encoding="utf-8"), version, text, name)
    return problems


def _verify_page(where: str, html: str, version: Version, text: str, name: str) -> list[Problem]:
    problems = []
    found = _POLICY_TEXT.search(html)
    if found is None:
        problems.append(Problem(where, f"does not hold the text of {name}"))
    elif found.group(1) != text:
        problems.append(
            Problem(
                where,
                f"the text of {name} differs from its text in git (commit {version.short_commit}): edited after the build?",
                hint="build the output again; never edit built pages",
            )
        )
    proof = _PROOF.search(html)
    shown = [unescape(code) for code in _CODES.findall(proof.group(0))] if proof else []
    if version.sha256 not in shown:
        problems.append(Problem(where, f"does not show the sha256 of {name}, {version.sha256}"))
    if version.commit not in shown:
        problems.append(Problem(where, f"does not show the commit of {name}, {version.commit}"))
    return problems
