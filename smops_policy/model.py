"""The domain: Sites publish Policies; a policy has Versions in each language. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

__all__ = [
    "DEFAULT_TIMEZONE",
    "Correction",
    "PolicyHistory",
    "Publisher",
    "Site",
    "Status",
    "Version",
    "Withdrawal",
    "version_key",
]

DEFAULT_TIMEZONE = "Europe/Amsterdam"  # the publisher's, when sites.yml names none


class Status(StrEnum):
    SUPERSEDED = "superseded"
    IN_FORCE = "in-force"
    UPCOMING = "upcoming"
    DRAFT = "draft"
    WITHDRAWN = "withdrawn"  # every version of a policy its Site no longer publishes


def version_key(number: str) -> tuple[int, ...]:
    """'1.10' sorts after '1.9'."""
    return tuple(int(part) for part in number.split("."))


@dataclass(frozen=True, slots=True)
class Site:
    id: str
    name: str
    url: str
    languages: tuple[str, ...]
    policies: tuple[str, ...]
    variables: Mapping[str, str] = field(default_factory=dict)  # every scalar key of its entry
    # where sites.yml lists its languages, for messages (not part of what the Site is)
    languages_line: int | None = field(default=None, compare=False, repr=False)
    policies_line: int | None = field(default=None, compare=False, repr=False)

    @property
    def base_url(self) -> str:
        """Where this Site's output folder is published (key `base_url`, default `url`)."""
        return self.variables.get("base_url") or self.url


@dataclass(frozen=True, slots=True)
class Publisher:
    """Everything `policies/sites.yml` says."""

    timezone: str
    source_language: str
    sites: tuple[Site, ...]
    prevailing_language: str
    notice_days: int = 0

    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)

    def languages_of(self, policy: str) -> list[str]:
        """Every language some Site publishes `policy` in, the source language first."""
        langs = {lang for s in self.sites if policy in s.policies for lang in s.languages}
        return sorted(langs, key=lambda lang: (lang != self.source_language, lang))

    @property
    def policies(self) -> list[str]:
        return sorted({p for s in self.sites for p in s.policies})


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a policy in one language, as committed (or, for a draft, as in the working tree)."""

    policy: str
    lang: str
    number: str
    effective: dt.date
    title: str
    summary: str
    material: bool
    path: str  # the file's path in the repository at `commit`
    source: str  # the whole file as committed
    body: str
    body_line: int
    sha256: str  # of the file's bytes as committed: `git show COMMIT:PATH | sha256sum`
    commit: str  # full sha; "" for a draft
    committed: dt.datetime | None  # when `commit` was made: the last commit carrying this version number
    first_committed: dt.datetime | None = None  # when it was published: the first commit carrying it
    draft: bool = False
    site_summaries: tuple[tuple[str, str], ...] = ()  # (Site id, summary) where `summary:` names Sites
    # False when, as one Site reads it, its text is the previous version's (set by `site_project`)
    changed_for_site: bool = True
    # a translation in force corrected openly: each correction, oldest first (its text is this version's)
    corrections: tuple[Correction, ...] = ()
    numbering: str = ""  # front matter `numbering:` (README, Numbering); "" when not set
    key_lines: tuple[tuple[str, int], ...] = ()  # (front-matter key, its line in the file), as parsed

    def line_of(self, key: str) -> int | None:
        """The line of the file that sets front-matter `key`, for messages; None when it is not set."""
        return dict(self.key_lines).get(key)

    def wordings(self) -> list[Version]:
        """Each wording this version was published with, oldest first: [] when it was never corrected,
        else the first wording and the one each correction published (revision 0, 1, ...)."""
        if not self.corrections:
            return []
        return [self.corrections[0].earlier, *(c.text for c in self.corrections)]

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.number)

    @property
    def short_commit(self) -> str:
        return self.commit[:12] if self.commit else "uncommitted"


@dataclass(frozen=True, slots=True)
class Correction:
    """A translation of a version in force corrected openly (front-matter key `corrected`): revision
    `number` (1 for the first) replaced the wording `earlier` with `text`, both Versions of the same number."""

    number: int
    summary: str  # what was corrected, as the commit's `corrected:` says
    earlier: Version  # the wording readers had before (commit, sha256 and text of that state)
    text: Version  # the wording this correction published

    @property
    def committed(self) -> dt.datetime | None:
        return self.text.committed


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """An upcoming version taken back before its effective date: a later commit on the first-parent
    chain went back to a lower version. `version` is its last text; it is not a version of the policy."""

    version: Version
    commit: str  # the commit that took it back
    withdrawn: dt.datetime


@dataclass(frozen=True, slots=True)
class PolicyHistory:
    """All versions of one policy in one language, oldest first (and the upcoming ones withdrawn)."""

    policy: str
    lang: str
    versions: tuple[Version, ...]
    withdrawn: tuple[Withdrawal, ...] = ()
    # set for a policy its Site has stopped publishing: the day it did (an archive from then on)
    withdrawn_on: dt.date | None = None

    def is_withdrawn(self, as_of: dt.date) -> bool:
        return self.withdrawn_on is not None and self.withdrawn_on <= as_of

    def in_force(self, as_of: dt.date) -> Version | None:
        if self.is_withdrawn(as_of):
            return None
        current = None
        for version in self.versions:
            if not version.draft and version.effective <= as_of:
                current = version
        return current

    def status(self, version: Version, as_of: dt.date) -> Status:
        if version.draft:
            return Status.DRAFT
        if self.is_withdrawn(as_of):
            return Status.WITHDRAWN
        if version.effective > as_of:
            return Status.UPCOMING
        return Status.IN_FORCE if version is self.in_force(as_of) else Status.SUPERSEDED

    def upcoming(self, as_of: dt.date) -> list[Version]:
        if self.is_withdrawn(as_of):
            return []
        return [v for v in self.versions if not v.draft and v.effective > as_of]

    def get(self, number: str) -> Version | None:
        return next((v for v in self.versions if v.number == number), None)

    def previous(self, version: Version) -> Version | None:
        index = self.versions.index(version)
        return self.versions[index - 1] if index > 0 else None
