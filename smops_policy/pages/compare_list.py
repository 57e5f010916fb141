"""The history page's "Compare two versions": a plain list of links to exactly the redlines a Site
publishes (each version with the one before it, and each with the one in force). No script: a pair
that has no static page is never offered."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from smops_policy.urls import diff_url, relative

if TYPE_CHECKING:
    from smops_policy.model import PolicyHistory, Version
    from smops_policy.pages.context import PageContext

__all__ = ["compare_list"]


def compare_list(ctx: PageContext, history: PolicyHistory, here: str, pairs: list[tuple[Version, Version]]) -> str:
    """Every published comparison of the policy, newest first, grouped by the newer version."""
    if not pairs:
        return ""
    t = ctx.t
    by_new: dict[str, list[Version]] = {}
    for old, new in pairs:
        by_new.setdefault(new.number, []).append(old)
    items = []
    for new in reversed(history.versions):
        olds = sorted(by_new.get(new.number, []), key=lambda v: v.key, reverse=True)
        links = [
            f'<a href="{relative(here, diff_url(ctx.lang, history.policy, old.number, new.number))}">'
            f"{escape(t('Version {old} → {new}', old=old.number, new=new.number))}</a>"
            for old in olds
        ]
        if links:
            items.append(f"<li>{' · '.join(links)}</li>")
    return (
        f'<section class="policy-compare"><h2 id="compare">{escape(t("Compare two versions"))}</h2>'
        f"<p>{escape(t('Each version can be compared with the version before it and with the version in force:'))}</p>"
        f"<ul>{''.join(items)}</ul></section>"
    )
