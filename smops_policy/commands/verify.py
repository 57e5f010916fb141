"""`smops-policy verify`: does a built output still say what git says?

Two proofs. The output is built again from HEAD as of the date it records (reproducible builds: the
same bytes), and every file that differs, is missing or is extra is named with what differs (see
reproduce.py). And, independently of the renderer and the cache, every version's text is read again
from git and compared with the output's versions.json and with each version's page (its clauses,
sha256 and commit), so that a changed clause is named as such.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from dataclasses import dataclass
from html import unescape
from typing import TYPE_CHECKING, Any

from smops_policy.build.reproduce import compare_outputs, rebuilt
from smops_policy.content.document import fill_html
from smops_policy.errors import PolicyError, Problem
from smops_policy.pages.outputs import VERSIONS_FILE, version_record
from smops_policy.pages.plan import site_project
from smops_policy.urls import policy_url, revision_url, version_url

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from smops_policy.content.project import Project
    from smops_policy.model import PolicyHistory, Site, Version
    from smops_policy.pages.caches import BodyCache

__all__ = ["Rebuilt", "compare_with_build", "read_output", "verify_output"]

_TEXT_START = re.compile(r'<div class="policy-text" lang="[^"]*">\n')
_PROOF_START = '\n</div>\n<footer class="policy-proof">'
_CODES = re.compile(r"<code>([^<]*)</code>")
# In versions.json, what the version-by-version check already names (so it is said once)
_VERSION_KEYS = re.compile(r"^policies\.[^.]+\.[^.]+\.versions\b")


@dataclass(frozen=True)
class Rebuilt:
    """What an output is compared with: a build of the project's HEAD as of `as_of`, made aside."""

    project: Project
    sites: tuple[Site, ...]  # the Sites it built: every Site, or those of `--site`
    bodies: BodyCache  # their policy bodies, rendered
    files: dict[str, str]  # each file it consists of, by name relative to the output → sha256
    content: Callable[[str], bytes | None]  # one of those files by name (None: not at hand)
    as_of: dt.date


def verify_output(
    repo: Path,
    output: Path,
    *,
    as_of: dt.date | None = None,
    cache_dir: Path | None = None,
    sites: tuple[str, ...] = (),
) -> list[Problem]:
    """Every difference between the output folder and a build of the repository's HEAD as of the date
    the output records (or `as_of`), as problems. `cache_dir`: finished language builds to reuse.
    `sites`: only these Sites' folders (and the front page), rebuilt and compared."""
    date, indexes = read_output(output, as_of=as_of, sites=sites)
    with rebuilt(repo, output, date, cache_dir, sites) as (prepared, files, content):
        built = tuple(plan.site for plan in prepared.plans)
        return compare_with_build(
            output, indexes, Rebuilt(prepared.project, built, prepared.bodies, files, content, date), sites
        )


def read_output(
    output: Path, *, as_of: dt.date | None = None, sites: tuple[str, ...] = ()
) -> tuple[dt.date, dict[str, dict[str, Any]]]:
    """The date to build `output` again for (`as_of`, else the one its versions.json files record) and
    those files by Site id (only the Sites of `sites`, when given). A PolicyError for a folder that is
    no build output, Sites built for different dates, or an output built with --drafts."""
    indexes = _read_indexes(output)
    _refuse_drafts(indexes, output)
    if not sites:
        return as_of or _recorded_date(output, indexes), indexes
    chosen = {site_id: index for site_id, index in indexes.items() if site_id in sites}
    # a Site asked for that the output lacks (or sites.yml lacks) is said as such by the rebuild and
    # the comparison, as of the date the rest of the output records
    return as_of or _recorded_date(output, chosen or indexes), chosen


def compare_with_build(
    output: Path, indexes: dict[str, dict[str, Any]], build: Rebuilt, sites: tuple[str, ...] = ()
) -> list[Problem]:
    """Every difference between `output` (its versions.json files: `indexes`) and `build`, as problems:
    each Site's versions read again from git against its versions.json and pages, then every file that
    differs, is missing or is extra (`sites`: only those Sites' folders, and the files beside them)."""
    project = build.project
    said = f"the build of {project.head[:12]} as of {build.as_of.isoformat()}"
    problems: list[Problem] = []
    for site in build.sites:
        index_path = output / site.id / VERSIONS_FILE
        index = indexes.get(site.id)
        if index is None:
            problems.append(
                Problem(
                    str(index_path),
                    f"is missing: Site '{site.id}' is not in this output",
                    hint=f"build it (smops-policy build --site {site.id}), or verify only the Sites there with --site",
                )
            )
            continue
        built_from = index.get("built_from")
        if built_from is not None and built_from != project.head:
            problems.append(
                Problem(
                    str(index_path),
                    f"was built from commit {str(built_from)[:12]}, but HEAD is {project.head[:12]}",
                    hint="build the output again, or verify it in a checkout of the commit it was built from",
                )
            )
        # titles and summaries as the Site reads them, Site values filled in, as versions.json has them
        problems += _verify_site(site_project(project, site), site, output, index_path, index, build.bodies)
    named = {problem.path for problem in problems}
    for problem in compare_outputs(output, build.files, build.content, said, only=sites or None):
        if problem.path not in named:
            problems.append(problem)
        elif problem.path.endswith(VERSIONS_FILE):  # beyond the versions already named: in_force, say
            detail = problem.message.split(": ", 1)[-1]
            if not _VERSION_KEYS.match(detail) and "more difference" not in detail:
                problems.append(problem)
    return list(dict.fromkeys(problems))


def _recorded_date(output: Path, indexes: dict[str, dict[str, Any]]) -> dt.date:
    """The date the output was built for, as its versions.json files record it. Sites built for
    different dates (`build --site` with another --as-of) cannot all be one build's: said as such,
    rather than as every page of the other Sites differing."""
    dates: dict[str, dt.date] = {}
    for site_id, index in sorted(indexes.items()):
        with contextlib.suppress(ValueError):
            dates[site_id] = dt.date.fromisoformat(str(index.get("as_of")))
    if len(set(dates.values())) > 1:
        raise PolicyError(
            [
                Problem(
                    str(output / site_id / VERSIONS_FILE),
                    f"was built as of {date.isoformat()}, other Sites of this output as of another date",
                    hint="verify each Site on its own (--site ID), give --as-of DATE, or build the whole output again",
                )
                for site_id, date in dates.items()
            ]
        )
    if dates:
        return next(iter(dates.values()))
    raise PolicyError.at(
        output, "records no date it was built for (no as_of in any versions.json)", hint="give --as-of DATE"
    )


def _refuse_drafts(indexes: dict[str, dict[str, Any]], output: Path) -> None:
    """An output built with --drafts holds uncommitted text: a preview, which no build of git writes.
    Said once, plainly, rather than as every draft's page and record differing from git."""
    for site_id, index in sorted(indexes.items()):
        listed = index.get("policies")
        for policy, langs in sorted(listed.items() if isinstance(listed, dict) else []):
            for lang, entry in sorted((langs if isinstance(langs, dict) else {}).items()):
                drafts = [str(r.get("version")) for r in _records(entry) if r.get("status") == "draft"]
                if drafts:
                    raise PolicyError.at(
                        output / site_id / VERSIONS_FILE,
                        f"was built with --drafts ({policy} {drafts[0]} ({lang}) is an uncommitted draft): "
                        "a preview, which git cannot prove",
                        hint="commit the change and build without --drafts, then verify that output",
                    )


def _records(entry: Any) -> list[dict[str, Any]]:
    """The version records of a policy's entry in versions.json; what is not one is left out."""
    versions = entry.get("versions") if isinstance(entry, dict) else None
    return [record for record in versions if isinstance(record, dict)] if isinstance(versions, list) else []


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
    # a versions.json edited by hand may hold anything: what is not the build's shape lists nothing
    policies = index.get("policies")
    listed: dict[str, Any] = policies if isinstance(policies, dict) else {}
    for policy in sorted(site.policies):
        for lang in sorted(site.languages):
            history = project.history(policy, lang)
            if history is None or not history.versions:
                continue
            langs = listed.get(policy)
            entry = langs.get(lang) if isinstance(langs, dict) else None
            if not isinstance(entry, dict):
                problems.append(Problem(where, f"does not list policy '{policy}' in '{lang}'"))
                continue
            records = {str(r.get("version")): r for r in _records(entry)}
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
    for n, wording in enumerate(version.wordings()):  # a corrected translation: every wording, with its proof
        page = output / site.id / revision_url(history.lang, history.policy, version.number, n) / "index.html"
        said = f"{name}, wording {n}"
        if not page.is_file():
            problems.append(Problem(str(page), f"is missing: the page of {said}"))
            continue
        wording_text = fill_html(bodies.body(wording, site).html, site.variables)
        problems += _verify_page(str(page), page.read_text(encoding="utf-8"), wording, wording_text, said)
    return problems


def _verify_page(where: str, html: str, version: Version, text: str, name: str) -> list[Problem]:
    problems = []
    # Found with str.find, not one lazy regex: a regex scanning a long page for its end took seconds
    # over a large output.
    start = _TEXT_START.search(html)
    proof_at = html.find(_PROOF_START, start.end()) if start else -1
    if start is None or proof_at < 0:
        problems.append(Problem(where, f"does not hold the text of {name}"))
    elif html[start.end() : proof_at] != text:
        problems.append(
            Problem(
                where,
                f"the text of {name} differs from its text in git (commit {version.short_commit}): edited after the build?",
                hint="build the output again; never edit built pages",
            )
        )
    proof_end = html.find("</footer>", proof_at) if proof_at >= 0 else -1
    shown = [unescape(code) for code in _CODES.findall(html, proof_at, proof_end)] if proof_end >= 0 else []
    if version.sha256 not in shown:
        problems.append(Problem(where, f"does not show the sha256 of {name}, {version.sha256}"))
    if version.commit not in shown:
        problems.append(Problem(where, f"does not show the commit of {name}, {version.commit}"))
    return problems
