"""Loading: git + files → the domain model, with every problem collected (the data mapper)."""

from __future__ import annotations

import hashlib
import re
import zoneinfo
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from smops_policy.content.document import (
    PASSAGE_START,
    PolicyText,
    passage_site_ids,
    placeholders,
    read_policy_text,
    select_site_passages,
)
from smops_policy.content.history import GitHistory, Removal, Revision
from smops_policy.content.sites import read_publisher
from smops_policy.content.timeline import Entry, State, read_timeline
from smops_policy.errors import PolicyError, Problem, Problems
from smops_policy.model import Correction, PolicyHistory, Publisher, Site, Version, Withdrawal

if TYPE_CHECKING:
    import datetime as dt
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
    warnings: list[Problem] = field(default_factory=list)  # said, and the build goes on
    # site id → the policies it has withdrawn (removed from its list in sites.yml), kept as an archive
    archives: dict[str, tuple[PolicyHistory, ...]] = field(default_factory=dict)

    def history(self, policy: str, lang: str) -> PolicyHistory | None:
        return self.histories.get((policy, lang))

    def archive(self, site_id: str, lang: str) -> list[PolicyHistory]:
        return [h for h in self.archives.get(site_id, ()) if h.lang == lang]

    def named_history(self, policy: str, lang: str) -> PolicyHistory:
        """The history a command names (`policy` in `lang`); a PolicyError listing those there are."""
        history = self.history(policy, lang)
        if history is None:
            known = ", ".join(f"{p} ({code})" for p, code in sorted(self.histories)) or "none"
            raise PolicyError.at(
                policy_path(policy, lang), f"no policy '{policy}' in '{lang}'", hint=f"policies there are: {known}"
            )
        return history

    def named_site(self, site_id: str) -> Site:
        """The Site a command names (`--site`); a PolicyError listing those sites.yml has."""
        site = self.publisher.site(site_id)
        if site is None:
            known = ", ".join(s.id for s in self.publisher.sites)
            raise PolicyError.at(SITES_FILE, f"has no Site '{site_id}'", hint=f"Sites there are: {known}")
        return site

    def source_of(self, version: Version) -> Version | None:
        """The source-language version a translation translates (same number); None for a source text."""
        source_lang = self.publisher.source_language
        history = self.history(version.policy, source_lang) if version.lang != source_lang else None
        return history.get(version.number) if history is not None else None


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
        archives = _read_archives(git, publisher)
        warnings = list(problems.warnings)
        project = Project(root, publisher, histories, git.head, drafts, warnings, archives)
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
        elif (removal := git.removal(path)) is not None:
            whole = git.committed_file(policy_path(policy, publisher.source_language)) is None
            if not whole or lang == publisher.languages_of(policy)[0]:  # a whole policy: said once per Site
                _report_removal(publisher, policy, lang, removal, whole, problems)
        else:
            users = ", ".join(s.id for s in publisher.sites if policy in s.policies and lang in s.languages)
            problems.add(
                path,
                f"does not exist, but Sites {users} publish policy '{policy}' in '{lang}'",
                hint=f"add the file, or remove '{lang}' or '{policy}' from those Sites in {SITES_FILE}",
            )
        return None
    translation = lang != publisher.source_language
    versions, withdrawn = versions_from_revisions(
        policy, lang, revisions, publisher.timezone, problems, translation=translation
    )
    if drafts and working is not None and (not revisions or working != revisions[-1].data):
        try:
            text = read_policy_text(working, path)
        except PolicyError as exc:
            problems.extend(exc)
        else:
            versions.append(_version(policy, lang, text, working, "", None, None, draft=True))
    return PolicyHistory(policy, lang, tuple(versions), tuple(withdrawn))


def _read_archives(git: GitHistory, publisher: Publisher) -> dict[str, tuple[PolicyHistory, ...]]:
    """Each policy a Site of HEAD's sites.yml listed once and no longer lists, as it stood then: its
    versions in the Site's languages, withdrawn on the day of the commit that took it off the list."""
    removed: dict[tuple[str, str], Revision] = {}  # (site, policy) → the sites.yml state without it
    before: Publisher | None = None
    for revision in git.revisions(SITES_FILE):
        try:
            now = read_publisher(revision.data, SITES_FILE)
        except PolicyError:
            continue  # an old sites.yml that does not load lists nothing
        for site in before.sites if before is not None else ():
            later = now.site(site.id)
            for policy in site.policies:
                if later is None or policy not in later.policies:
                    removed[(site.id, policy)] = revision
        for site in now.sites:
            for policy in site.policies:
                removed.pop((site.id, policy), None)
        before = now
    zone = zoneinfo.ZoneInfo(publisher.timezone)
    archives: dict[str, list[PolicyHistory]] = {}
    for (site_id, policy), revision in sorted(removed.items()):
        listing = publisher.site(site_id)
        if listing is None or _renamed_into(git, policy, publisher) in listing.policies:
            continue  # a Site gone, or a policy given a new id: not withdrawn
        for lang in listing.languages:
            path = policy_path(policy, lang)
            revisions = git.revisions(path, before=revision.commit)
            removal = git.removal(path)
            if not revisions and removal is not None:  # the file went first, then the Site's listing
                revisions = git.revisions(path, before=removal.commit)
            if not revisions:
                continue
            # Old history: it was published as it is, whatever check says of it now.
            versions, _withdrawn = versions_from_revisions(
                policy, lang, revisions, publisher.timezone, Problems(), translation=lang != publisher.source_language
            )
            if versions:
                day = revision.committed.astimezone(zone).date()
                archives.setdefault(site_id, []).append(PolicyHistory(policy, lang, tuple(versions), withdrawn_on=day))
    return {site_id: tuple(found) for site_id, found in archives.items()}


def _renamed_into(git: GitHistory, policy: str, publisher: Publisher) -> str | None:
    """The id a policy's folder was renamed to, if its source text was renamed rather than removed:
    the last of several renames (conditions → rules → terms is terms, which a Site may list now)."""
    found: str | None = None
    seen = {policy}
    path = policy_path(policy, publisher.source_language)
    while (removal := git.removal(path)) is not None and removal.renamed_to is not None:
        parts = removal.renamed_to.split("/")
        if len(parts) != 3 or parts[0] != "policies" or parts[1] in seen:
            break  # renamed out of policies/, or back to an id it had (a cycle)
        found = parts[1]
        seen.add(found)
        path = removal.renamed_to
    return found


def _report_removal(
    publisher: Publisher, policy: str, lang: str, removal: Removal, whole: bool, problems: Problems
) -> None:
    """A policy file HEAD no longer has while sites.yml still publishes it: which commit removed it, and
    how to withdraw the policy (`whole`: its source text is gone too) or the translation, on each Site's line."""
    when = removal.committed.astimezone(zoneinfo.ZoneInfo(publisher.timezone)).date()
    commit = removal.commit[:12]
    path = f"policies/{policy}/" if whole else policy_path(policy, lang)
    gone = f"was renamed to {removal.renamed_to}" if removal.renamed_to and not whole else "was removed"
    restore = f"restore it with git revert --no-edit{' -m 1' if removal.merge else ''} {commit}"
    for site in publisher.sites:
        if policy not in site.policies or lang not in site.languages:
            continue
        if whole:
            problems.add(
                SITES_FILE,
                f"Site '{site.id}' lists policy '{policy}', but {path} {gone} in commit {commit} on {when}",
                line=site.policies_line,
                hint=f"remove it from the Site's policies to withdraw it, or {restore}",
            )
        else:
            problems.add(
                SITES_FILE,
                f"Site '{site.id}' publishes policy '{policy}' in '{lang}', but {path} {gone} in commit {commit} on {when}",
                line=site.languages_line,
                hint=f"remove '{lang}' from the Site's languages (or '{policy}' from its policies) to withdraw it, or {restore}",
            )


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
        site_summaries=meta.summaries,
        numbering=meta.numbering,
        key_lines=meta.lines,
    )


def versions_from_revisions(
    policy: str, lang: str, revisions: list[Revision], timezone: str, problems: Problems, *, translation: bool = False
) -> tuple[list[Version], list[Withdrawal]]:
    """The versions a file's states along the first-parent chain publish (timeline.py has the rules),
    and the upcoming versions withdrawn on the way. A `translation`'s versions carry their corrections."""
    states: list[State] = []
    for index, revision in enumerate(revisions):
        try:
            states.append(State(len(states), revision, read_policy_text(revision.data, revision.path)))
        except PolicyError as exc:
            if index == len(revisions) - 1:
                problems.extend(exc)
            else:
                problems.warn(
                    revision.path,
                    f"commit {revision.commit[:12]} holds an unreadable version of this file; it is skipped",
                    hint="a later commit fixed it; nothing to do",
                )
    timeline = read_timeline(states, timezone, problems, translation=translation)

    def wording(state: State, first: State) -> Version:
        return _version(
            policy, lang, state.text, state.revision.data, state.revision.commit, state.revision.committed,
            first.revision.committed,
        )  # fmt: skip

    def version(entry: Entry) -> Version:
        found = wording(entry.last, entry.first)
        if not entry.corrections:
            return found
        corrections = tuple(
            Correction(number, after.text.meta.corrected, wording(before, entry.first), wording(after, entry.first))
            for number, (before, after) in enumerate(entry.corrections, start=1)
        )
        return replace(found, corrections=corrections)

    withdrawn = [
        Withdrawal(version(entry), by.revision.commit, by.revision.committed) for entry, by in timeline.withdrawn
    ]
    return [version(entry) for entry in timeline.versions], withdrawn


def _passage_line(body: str, body_line: int, site_id: str) -> int | None:
    """The line of the first passage marker that names `site_id`."""
    for number, line in enumerate(body.split("\n"), start=body_line):
        if (found := PASSAGE_START.match(line)) and site_id in re.split(r"[,\s]+", found.group(2)):
            return number
    return None


def _check_old_placeholders(
    publisher: Publisher, policy: str, lang: str, history: PolicyHistory, problems: Problems
) -> None:
    """Every earlier version is still published, with the Site's values filled in as of HEAD's sites.yml:
    a key taken out of a Site's entry would silently empty its place in those texts."""
    sites = [s for s in publisher.sites if policy in s.policies and lang in s.languages]
    for version in history.versions[:-1]:
        if "{{" not in version.source:
            continue
        used = placeholders("\n".join(version.source.split("\n")[: version.body_line - 1]), 1)
        used += placeholders(version.body, version.body_line)
        for key in dict.fromkeys(key for key, _line in used):
            for site in sites:
                if key not in site.variables:
                    problems.add(
                        SITES_FILE,
                        f"Site '{site.id}' has no '{key}', which version {version.number} of {version.path} "
                        f"(commit {version.short_commit}) fills in as {{{{ site.{key} }}}}",
                        line=site.policies_line,
                        hint=f"add '{key}' (back) to the Site's entry: earlier versions are published with the Site's values, "
                        "and without it their text would change",
                    )


def _check_sites_use(publisher: Publisher, histories: dict[tuple[str, str], PolicyHistory], problems: Problems) -> None:
    """Placeholders and site-only passages in the newest version of each file must fit every Site using it."""
    site_ids = {s.id for s in publisher.sites}
    for (policy, lang), history in histories.items():
        if not history.versions:
            continue
        _check_old_placeholders(publisher, policy, lang, history, problems)
        version = history.versions[-1]
        for unknown in sorted({site for site, _text in version.site_summaries} - site_ids):
            problems.add(
                version.path,
                f"'summary' names the unknown Site '{unknown}'",
                line=version.line_of("summary"),
                hint=f"use one of: {', '.join(sorted(site_ids))} (or 'default')",
            )
        for unknown in sorted(passage_site_ids(version.body) - site_ids):
            problems.add(
                version.path,
                f"a passage names the unknown Site '{unknown}'",
                line=_passage_line(version.body, version.body_line, unknown),
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
