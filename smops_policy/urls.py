"""The URL layout of a Site's output folder, in one place (see DECISIONS.md)."""

from __future__ import annotations

import posixpath

__all__ = [
    "RESERVED",
    "as_of_url",
    "banner_url",
    "changelog_url",
    "diff_url",
    "feed_url",
    "history_url",
    "lang_home_url",
    "policy_url",
    "relative",
    "revision_diff_url",
    "revision_url",
    "version_url",
]

# Names the layout uses inside a language folder: no policy may take them as its id.
RESERVED = frozenset({"changelog", "as-of", "assets", "search", "feed.atom", "banner.html"})


def lang_home_url(lang: str) -> str:
    return f"{lang}/"


def policy_url(lang: str, policy: str) -> str:
    """The policy as in force: the address a Site links to."""
    return f"{lang}/{policy}/"


def version_url(lang: str, policy: str, number: str) -> str:
    """A version's permalink: its text never changes once the version exists."""
    return f"{lang}/{policy}/{number}/"


def revision_url(lang: str, policy: str, number: str, revision: int) -> str:
    """One wording of a corrected translation: 0 as first published, n as its n-th correction left it."""
    return f"{lang}/{policy}/{number}/revisions/{revision}/"


def revision_diff_url(lang: str, policy: str, number: str, revision: int) -> str:
    """The redline of correction `revision`: wording revision-1 → revision."""
    return f"{lang}/{policy}/{number}/revisions/{revision}/changes/"


def history_url(lang: str, policy: str) -> str:
    return f"{lang}/{policy}/history/"


def diff_url(lang: str, policy: str, old: str, new: str) -> str:
    return f"{lang}/{policy}/changes/{old}...{new}/"


def changelog_url(lang: str) -> str:
    return f"{lang}/changelog/"


def as_of_url(lang: str) -> str:
    return f"{lang}/as-of/"


def feed_url(lang: str) -> str:
    return f"{lang}/feed.atom"


def banner_url(lang: str) -> str:
    return f"{lang}/banner.html"


# --------------------------------------------------------------------------- versions.json


def relative(from_url: str, to_url: str) -> str:
    """A link from one page's directory URL to another's, both relative to the Site folder."""
    base = from_url or "."
    target = to_url or "."
    fragment = ""
    if "#" in target:
        target, fragment = target.split("#", 1)
        fragment = "#" + fragment
    rel = posixpath.relpath(target or ".", base)  # never ends with "/"
    if target.endswith("/") or rel == ".":  # a folder keeps its slash, also before a fragment
        rel += "/"
    return rel + fragment
