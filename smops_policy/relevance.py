"""Which versions change a Site's text: a version that reads, on one Site, exactly as the version
before it is "unchanged for this Site" (its pages exist, but nothing announces it there)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .document import fill_placeholders, select_site_passages
from .timeline import read_as

if TYPE_CHECKING:
    from .model import Site, Version

__all__ = ["site_reading", "site_summary", "unchanged_for_site"]


def site_reading(version: Version, site: Site) -> tuple[str, str]:
    """The title and text as `site` reads them: its passages selected, its values in place of
    `{{ site.KEY }}`, whitespace folded by the same rule as the history's (`timeline.read_as`)."""
    body = select_site_passages(version.body, site.id, path=version.path, body_line=version.body_line)
    return read_as(fill_placeholders(version.title, site.variables), fill_placeholders(body, site.variables))


def unchanged_for_site(version: Version, previous: Version | None, site: Site) -> bool:
    """Whether `version` reads on `site` as `previous` does (a first version always changes)."""
    if previous is None:
        return False
    return site_reading(version, site) == site_reading(previous, site)


def site_summary(version: Version, site: Site) -> str:
    """The summary `site` shows: its own entry of a `summary:` mapping, else the default."""
    return next((text for site_id, text in version.site_summaries if site_id == site.id), version.summary)
