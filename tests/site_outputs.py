"""One fictional Site and three versions in memory, for the tests of what a Site offers besides its
pages (versions.json, feeds, banner, sitemap, changelog): pure functions, no git, no build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smops_policy.content.project import Project
from smops_policy.model import PolicyHistory, Publisher
from smops_policy.pages.context import PageContext

from .domain import site, version

AS_OF = dt.date(2026, 11, 27)
# Published at one address, linked from another: every URL machines read is under base_url.
ALPHA = site("alpha", url="https://alpha.example/", languages=("en", "nl"), base_url="https://policies.alpha.example/")
V1 = version("1.9", "2020-01-01", committed="2019-12-01T10:00:00+01:00")
V2 = version(
    "1.10",
    "2023-03-01",
    committed="2023-02-10T10:00:00+01:00",
    first="2023-02-01T23:30:00+00:00",  # 00:30 on 2 February in Amsterdam
    summary="Adds a retention clause.",
    body="1. We keep your records safe.\n2. We delete them after a year.\n",
)
V3 = version("2.0", "2031-01-01", committed="2026-11-01T10:00:00+01:00", title="Privacy <Notice> & More")


def project(*histories: PolicyHistory, publisher_sites: tuple = (ALPHA,)) -> Project:  # type: ignore[type-arg]
    publisher = Publisher("Europe/Amsterdam", "en", publisher_sites, "en")
    return Project(Path("/nowhere"), publisher, {(h.policy, h.lang): h for h in histories}, head="c0ffee" * 6 + "c0ff")


def ctx(lang: str = "en", as_of: dt.date = AS_OF, the_site=ALPHA) -> PageContext:  # type: ignore[no-untyped-def]
    return PageContext(Publisher("Europe/Amsterdam", "en", (the_site,), "en"), the_site, lang, as_of)


def NO_BODY() -> tuple[str, tuple[tuple[str, str], ...]]:
    """The sitemap reads a page's address and dates, never its body."""
    raise AssertionError("the sitemap rendered a page body")
