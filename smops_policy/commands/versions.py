"""`smops-policy versions`: a policy's versions, as versions.json records them (one Site's or as written)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smops_policy import i18n
from smops_policy.content.project import load_project
from smops_policy.pages.outputs import version_record
from smops_policy.pages.plan import site_project

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

__all__ = ["version_rows"]


def version_rows(
    repo: Path,
    policy: str,
    *,
    lang: str | None = None,
    site_id: str | None = None,
    as_of: dt.date | None = None,
    drafts: bool = False,
) -> list[dict[str, Any]]:
    """Each version of `policy` in `lang` (default: the source language): the record versions.json
    has for it (URLs relative to a Site's folder unless `site_id` says which), with its language and
    file. An unknown policy or Site is a PolicyError naming what there is."""
    project = load_project(repo, drafts=drafts)
    lang = lang or project.publisher.source_language
    history = project.named_history(policy, lang)
    as_of = as_of or i18n.today(project.publisher.timezone)
    base_url = ""
    if site_id is not None:
        site = project.named_site(site_id)
        base_url = site.base_url
        history = site_project(project, site).history(policy, lang) or history  # as that Site reads it
    timezone = project.publisher.timezone
    return [
        {**version_record(history, v, as_of, base_url, timezone), "lang": lang, "path": v.path}
        for v in history.versions
    ]
