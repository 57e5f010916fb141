"""Translations in step with their source.

A translation's `version` is the number of the source version it translates (the source language is
`source_language` in sites.yml). These are pure functions over the model: whether a translation lags
its source, and whether it keeps the numbering and sections of the text it claims to translate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from smops_policy.content.document import analyse, select_site_passages
from smops_policy.errors import PolicyError, Problems
from smops_policy.model import Status

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

    from smops_policy.model import PolicyHistory, Publisher, Version

__all__ = ["Lag", "check_translations", "lag", "newer_source_versions", "structure"]


@dataclass(frozen=True, slots=True)
class Lag:
    """A translation behind its source: `source` is newer than the version `translation` translates."""

    translation: Version
    source: Version
    in_force: bool  # the newer source version is in force (else it is upcoming)


def lag(source: PolicyHistory | None, translation: Version, as_of: dt.date) -> Lag | None:
    """The source version a reader of `translation` should know about: the one in force if it is newer,
    else the first upcoming one that is newer; None when the translation is in step."""
    if source is None or translation.lang == source.lang:
        return None
    current = source.in_force(as_of)
    if current is not None and current.key > translation.key:
        return Lag(translation, current, in_force=True)
    upcoming = [v for v in source.upcoming(as_of) if v.key > translation.key]
    return Lag(translation, upcoming[0], in_force=False) if upcoming else None


def newer_source_versions(source: PolicyHistory, translation: PolicyHistory, as_of: dt.date) -> list[Version]:
    """The source's versions in force, upcoming or drafted that are newer than the newest translation."""
    if not translation.versions:
        return []
    newest = translation.versions[-1]
    return [v for v in source.versions if v.key > newest.key and source.status(v, as_of) is not Status.SUPERSEDED]


def structure(version: Version, site_id: str) -> tuple[int, int, tuple[int, ...]] | None:
    """(numbered clauses, unnumbered passages, levels of its headings) of a version as one Site shows it;
    None if it does not parse."""
    try:
        text = select_site_passages(version.body, site_id, path=version.path, body_line=version.body_line)
        document, _html = analyse(
            text,
            path=version.path,
            body_line=version.body_line,
            problems=Problems(),
            title=version.title,
            numbering=version.numbering,
        )
    except PolicyError:
        return None
    clauses = len(document.numbered())
    return clauses, sum(1 for _ in document.clauses()) - clauses, document.outline()


def check_translations(
    publisher: Publisher,
    histories: Mapping[tuple[str, str], PolicyHistory],
    as_of: dt.date,
    problems: Problems,
    *,
    missing_sources: Mapping[str, str] | None = None,
) -> None:
    """Report translations that lag their source (warnings), claim a version the source never had,
    or differ from it in clause numbering or sections (errors). `missing_sources` maps a policy whose
    source file does not exist to that file's path."""
    source_lang = publisher.source_language
    for (policy, lang), translation in sorted(histories.items()):
        if lang == source_lang or not translation.versions:
            continue
        source = histories.get((policy, source_lang))
        if source is None:
            missing = (missing_sources or {}).get(policy)
            if missing is not None:
                problems.add(
                    translation.versions[-1].path,
                    f"is a translation of {missing}, which does not exist",
                    hint=f"add the {source_lang} text it translates, or remove this file",
                )
            continue
        if not source.versions:
            continue
        source_path = source.versions[-1].path
        newer = newer_source_versions(source, translation, as_of)
        if newer:
            described = " and ".join(_describe(source, v, as_of) for v in newer)
            problems.warn(
                translation.versions[-1].path,
                f"translates version {translation.versions[-1].number}, but {source_path} has {described}",
                line=translation.versions[-1].line_of("version"),
                hint="translate the newer version and give the translation its version number",
            )
        sites = [s.id for s in publisher.sites if policy in s.policies and {lang, source_lang} <= set(s.languages)]
        sites = sites or [s.id for s in publisher.sites if policy in s.policies]
        for version in translation.versions:
            where = "" if version.draft else f" (commit {version.short_commit})"
            original = source.get(version.number)
            if original is None:
                numbers = ", ".join(v.number for v in source.versions)
                problems.add(
                    version.path,
                    f"version {version.number}{where} claims to translate version {version.number} of {source_path}, which it never had (its versions: {numbers})",
                    line=version.line_of("version"),
                    hint="set version to the number of the source version this text translates",
                )
                continue
            for site_id in sites:
                mine, theirs = structure(version, site_id), structure(original, site_id)
                if mine is None or theirs is None or mine == theirs:
                    continue
                problems.add(
                    version.path,
                    f"version {version.number}{where} has {_count(mine, theirs)}, but version {original.number} of {source_path} has {_count(theirs, mine)} (as Site '{site_id}' shows them)",
                    line=version.line_of("version"),
                    hint="a translation keeps the numbered clauses, the unnumbered passages and the headings (and their levels) of the text it translates",
                )
                break


def _describe(source: PolicyHistory, version: Version, as_of: dt.date) -> str:
    status = source.status(version, as_of)
    if status is Status.IN_FORCE:
        return f"version {version.number} in force since {version.effective.isoformat()}"
    if status is Status.UPCOMING:
        return f"version {version.number} taking effect on {version.effective.isoformat()}"
    return f"a draft of version {version.number}"


def _count(counts: tuple[int, int, tuple[int, ...]], other: tuple[int, int, tuple[int, ...]]) -> str:
    """'4 clauses and 1 section', naming passages and heading levels only where the two texts differ in them."""
    clauses, passages, outline = counts
    parts = [f"{clauses} clause{'s' if clauses != 1 else ''}"]
    if passages != other[1]:
        parts.append(f"{passages} unnumbered passage{'s' if passages != 1 else ''}")
    sections = f"{len(outline)} section{'s' if len(outline) != 1 else ''}"
    if len(outline) == len(other[2]) and outline != other[2]:
        sections += " at heading levels " + " ".join(str(level) for level in outline)
    items = [*parts, sections]
    return ", ".join(items[:-1]) + " and " + items[-1]
