"""Real policies kept in git by other companies (tests/fixtures/real/, licences beside them), given our
front matter, for the tests of the document model on real legal text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .conftest import PolicyRepo

REAL = Path(__file__).parent / "fixtures" / "real"

# name → (title, [(fixture file, version, effective date, commit date)], oldest first
DOCUMENTS = {
    "basecamp-privacy": (
        "Privacy policy",
        [
            ("ee2024a", "1.0", "2023-01-06", "2023-01-06T10:00:00+00:00"),
            ("b7991cb", "1.1", "2023-04-20", "2023-04-19T10:00:00+00:00"),
        ],
    ),
    "automattic-privacy": (
        "Privacy Policy",
        [
            ("4076be5", "1.0", "2024-04-22", "2024-04-22T10:00:00+00:00"),
            ("8e483c4", "1.1", "2025-12-11", "2025-12-11T10:00:00+00:00"),
        ],
    ),
    "github-terms": (
        "GitHub Terms of Service",
        [
            ("65318a5", "1.0", "2025-03-24", "2025-03-24T10:00:00+00:00"),
            ("a4234fc", "1.1", "2025-09-29", "2025-09-29T10:00:00+00:00"),
        ],
    ),
}

SITES_YML = """\
timezone: UTC
source_language: en
sites:
  acme:
    name: Acme Example
    url: https://acme.example/
    languages: [en]
    policies: [privacy]
"""

_JEKYLL = re.compile(r"\A--- *\n.*?\n--- *\n", re.S)


def body(name: str, fixture: str) -> str:
    """The document as its company wrote it, without its own (Jekyll) front matter."""
    return _JEKYLL.sub("", (REAL / name / f"{fixture}.md").read_text(encoding="utf-8"), count=1)


def policy_file(name: str, fixture: str, version: str, effective: str, *, extra: str = "") -> str:
    title = DOCUMENTS[name][0]
    front = f'---\ntitle: {title}\nversion: "{version}"\neffective: {effective}\nsummary: Version {version} as published by its company.\n{extra}---\n'
    return front + body(name, fixture)


def commit_history(repo: PolicyRepo, name: str) -> None:
    """Each fixture version of `name` committed as policies/privacy/en.md, at its date."""
    repo.write("policies/sites.yml", SITES_YML)
    for fixture, version, effective, when in DOCUMENTS[name][1]:
        repo.write("policies/privacy/en.md", policy_file(name, fixture, version, effective))
        repo.commit(f"{name} {version}", when)
