"""Plain domain objects for the fast pure tests (no git, no builds): a Version with only what a test
names, the rest fictional and fixed."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from smops_policy.model import PolicyHistory, Site, Version

UTC = dt.UTC


def version(
    number: str,
    effective: str,
    *,
    policy: str = "privacy",
    lang: str = "en",
    title: str = "Sample Policy",
    body: str = "1. We keep your records safe.\n",
    committed: str | None = "2020-01-01T10:00:00+01:00",
    first: str | None = None,
    **changes: Any,
) -> Version:
    """Version `number` of a fictional policy, effective on `effective` (ISO dates and times)."""
    source = f"---\ntitle: {title}\nversion: {number}\neffective: {effective}\n---\n{body}"
    when = dt.datetime.fromisoformat(committed) if committed else None
    fields: dict[str, Any] = {
        "policy": policy,
        "lang": lang,
        "number": number,
        "effective": dt.date.fromisoformat(effective),
        "title": title,
        "summary": f"Version {number}.",
        "material": True,
        "path": f"policies/{policy}/{lang}.md",
        "source": source,
        "body": body,
        "body_line": 6,
        "sha256": hashlib.sha256(source.encode()).hexdigest(),
        "commit": hashlib.sha1(source.encode()).hexdigest() if committed else "",
        "committed": when,
        "first_committed": dt.datetime.fromisoformat(first) if first else when,
        "key_lines": (("title", 2), ("version", 3), ("effective", 4)),  # as `source` sets them
        "draft": committed is None,
    }
    fields.update(changes)
    return Version(**fields)


def history(*versions: Version, withdrawn_on: str | None = None) -> PolicyHistory:
    first = versions[0]
    return PolicyHistory(
        first.policy,
        first.lang,
        versions,
        withdrawn_on=dt.date.fromisoformat(withdrawn_on) if withdrawn_on else None,
    )


def site(
    site_id: str = "alpha",
    *,
    url: str = "https://alpha.example/",
    languages: tuple[str, ...] = ("en",),
    policies: tuple[str, ...] = ("privacy",),
    **variables: str,
) -> Site:
    return Site(site_id, site_id.title() + " Example", url, languages, policies, {"name": site_id, **variables})
