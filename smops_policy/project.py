"""Loading: git + files → the domain model, with every problem collected (the data mapper)."""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .config import read_publisher
from .document import PolicyText, passage_site_ids, placeholders, read_policy_text, select_site_passages
from .errors import PolicyError, Problems
from .history import GitHistory, Revision
from .model import PolicyHistory, Publisher, Version, version_key

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["SITES_FILE", "Project", "load_project", "policy_path"]

SITES_FILE = "policies/sites.yml"


def policy_path(policy: str, lang: str) -> str:
    return f"policies/{policy}/{lang}.md"


@dataclass(frozen=True)
class Project:
    """A policy repository as read: its publisher settings and every policy history."""

    root: Path
    publisher: Publisher
    histories: dict[tuple[str, str], PolicyHistory]
    head: str
    drafts: bool = False
    warnings: list[str] = field(default_factory=list)

    def history(self, policy: str, lang: str) -> PolicyHistory | None:
        return self.histories.get((policy, lang))


def load_project(root: Path, *, drafts: bool = False, problems: Problems | None = None) -> Project:
    """Read sites.yml and the history of every policy file; raises PolicyError on any error
    (or, given `problems`, collects them there and returns what could be read)."""
    own = problems is None
    problems = problems if problems is not None else Problems()
    with GitHistory(root) as git:
        publisher = _read_sites(git, drafts, problems)
        histories: dict[tuple[str, str], PolicyHistory] = {}
        for policy in publisher.policies:
            for lang in publisher.languages_of(policy):
                history = _read_policy(git, publisher, policy, lang, drafts, problems)
                if history is not None:
                    histories[(policy, lang)] = history
        _check_sites_use(publisher, histories, problems)
        project = Project(root, publisher, histories, git.head, drafts, [str(w) for w in problems.warnings])
    if own:
        problems.raise_if_any()
    return project


def _read_sites(git: GitHistory, drafts: bool, problems: Problems) -> Publisher:
    committed = git.committed_file(SITES_FILE)
    working = git.working_file(SITES_FILE)
    data = working if drafts else committed
    if data is None:
        if working is not None:
            raise PolicyError.at(
                SITES_FILE,
                "was never committed",
                hint=f"commit it (git add {SITES_FILE} && git commit), or preview with --drafts",
            )
        raise PolicyError.at(SITES_FILE, "does not exist", hint="create it: see the README's content format")
    if not drafts and working is not None and working != committed:
        problems.warn(
            SITES_FILE, "has uncommitted changes that are not published", hint="commit them, or preview with --drafts"
        )
    return read_publisher(data, SITES_FILE)


def _read_policy(
    git: GitHistory, publisher: Publisher, policy: str, lang: str, drafts: bool, problems: Problems
) -> PolicyHistory | None:
    path = policy_path(policy, lang)
    revisions = git.revisions(path)
    working = git.working_file(path)
    if not revisions and not (drafts and working is not None):
        if working is not None:
            problems.add(
                path,
                "was never committed, so it has no published version",
                hint=f"commit it (git add {path} && git commit), or preview with --drafts",
            )
        else:
            users = ", ".join(s.id for s in publisher.sites if policy in s.policies and lang in s.languages)
            problems.add(
                path,
                f"does not exist, but Sites {users} publish policy '{policy}' in '{lang}'",
                hint=f"add the file, or remove '{lang}' or '{policy}' from those Sites in {SITES_FILE}",
            )
        return None
    versions = versions_from_revisions(policy, lang, revisions, publisher.timezone, problems)
    if drafts and working is not None and (not revisions or working != revisions[-1].data):
        try:
            text = read_policy_text(working, path)
        except PolicyError as exc:
            problems.extend(exc)
        else:
            versions.append(_version(policy, lang, text, working, "", None, None, draft=True))
    return PolicyHistory(policy, lang, tuple(versions))


def _version(
    policy: str,
    lang: str,
    text: PolicyText,
    data: bytes,
    commit: str,
    committed: dt.datetime | None,
    first: dt.datetime | None,
    *,
    draft: bool = False,
) -> Version:
    meta = text.meta
    return Version(
        policy=policy,
        lang=lang,
        number=meta.version,
        effective=meta.effective,
        title=meta.title,
        summary=meta.summary,
        material=meta.material,
        path=text.path,
        source=data.decode("utf-8"),
        body=text.body,
        body_line=text.body_line,
        sha256=hashlib.sha256(data).hexdigest(),
        commit=commit,
        committed=committed,
        first_committed=first,
        draft=draft,
    )


def _as_read(text: PolicyText) -> str:
    """The text as a reader reads it: re-wrapped lines and changed indentation are no change."""
    return " ".join(text.meta.title.split()) + "\n" + " ".join(text.body.split())


def versions_from_revisions(
    policy: str, lang: str, revisions: list[Revision], timezone: str, problems: Problems
) -> list[Version]:
    """Group a file's revisions into versions and check that history only moves forward."""
    zone = zoneinfo.ZoneInfo(timezone)
    parsed: list[tuple[Revision, PolicyText]] = []
    for index, revision in enumerate(revisions):
        try:
            parsed.append((revision, read_policy_text(revision.data, revision.path)))
        except PolicyError as exc:
            if index == len(revisions) - 1:
                problems.extend(exc)
            else:
                problems.warn(
                    revision.path,
                    f"commit {revision.commit[:12]} holds an unreadable version of this file; it is skipped",
                    hint="a later commit fixed it; nothing to do",
                )
    versions: list[Version] = []
    first_seen: dict[str, Revision] = {}
    previous: tuple[Revision, PolicyText] | None = None
    for revision, text in parsed:
        number, path = text.meta.version, text.path
        version_line = _line_of_key(revision.data, "version")
        if previous is not None and previous[1].meta.version != number:
            before = previous[1].meta
            if number in first_seen:
                problems.add(
                    path,
                    f"version {number} comes back in commit {revision.commit[:12]} after version {before.version}",
                    line=version_line,
                    hint="give every new text a new, higher version number",
                )
            elif version_key(number) < version_key(before.version):
                problems.add(
                    path,
                    f"version {number} (commit {revision.commit[:12]}) is lower than the version before it, {before.version}",
                    line=version_line,
                    hint="versions must increase along the history",
                )
            elif text.meta.effective <= before.effective:
                problems.add(
                    path,
                    f"version {number} takes effect on {text.meta.effective}, not after version {before.version} ({before.effective})",
                    line=_line_of_key(revision.data, "effective"),
                    hint="effective dates must increase with the versions",
                )
        if previous is not None and previous[1].meta.version == number:
            took_effect = dt.datetime.combine(previous[1].meta.effective, dt.time(), zone)
            changed = _as_read(previous[1]) != _as_read(text) or previous[1].meta.effective != text.meta.effective
            if changed and revision.committed >= took_effect:
                when = revision.committed.astimezone(zone).date()
                problems.add(
                    path,
                    f"version {number} took effect on {previous[1].meta.effective} but its text was changed in commit {revision.commit[:12]} on {when}",
                    line=version_line,
                    hint=f"a published version must never change silently: revert that change, or give it a new version number (higher than {number}) with its own effective date",
                )
        first_seen.setdefault(number, revision)
        previous = (revision, text)
    # a version's text is the newest commit that carries its number
    newest: dict[str, tuple[Revision, PolicyText]] = {}
    for revision, text in parsed:
        newest[text.meta.version] = (revision, text)
    for number, (revision, text) in newest.items():
        versions.append(
            _version(
                policy, lang, text, revision.data, revision.commit, revision.committed, first_seen[number].committed
            )
        )
    versions.sort(key=lambda v: v.key)
    return versions


def _line_of_key(data: bytes, key: str) -> int | None:
    for number, line in enumerate(data.split(b"\n")[:60], start=1):
        if line.startswith(key.encode() + b":"):
            return number
    return None


def _check_sites_use(publisher: Publisher, histories: dict[tuple[str, str], PolicyHistory], problems: Problems) -> None:
    """Placeholders and site-only passages in the newest version of each file must fit every Site using it."""
    site_ids = {s.id for s in publisher.sites}
    for (policy, lang), history in histories.items():
        if not history.versions:
            continue
        version = history.versions[-1]
        for unknown in sorted(passage_site_ids(version.body) - site_ids):
            problems.add(
                version.path,
                f"a passage names the unknown Site '{unknown}'",
                hint=f"use one of: {', '.join(sorted(site_ids))}",
            )
        used = placeholders(version.body, version.body_line)
        # title and summary are filled per Site like the body
        used += placeholders("\n".join(version.source.split("\n")[: version.body_line - 1]), 1)
        for site in publisher.sites:
            if policy not in site.policies or lang not in site.languages:
                continue
            try:
                select_site_passages(version.body, site.id, path=version.path, body_line=version.body_line)
            except PolicyError as exc:
                problems.extend(exc)
                break
            for key, line in used:
                if key not in site.variables:
                    problems.add(
                        version.path,
                        f"unknown placeholder {{{{ site.{key} }}}} for Site '{site.id}'",
                        line=line,
                        hint=f"use a key of the Site's entry in {SITES_FILE}: {', '.join(sorted(site.variables))}",
                    )
