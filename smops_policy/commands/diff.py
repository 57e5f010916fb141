"""`smops-policy diff`: two versions of a policy, as one Site (or as written), compared."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from smops_policy import i18n
from smops_policy.compare.diff import DocumentDiff, diff_documents, to_json, to_text
from smops_policy.content.document import (
    fill_document,
    fill_placeholders,
    placeholder_keys,
    select_site_passages,
    structure,
)
from smops_policy.content.project import SITES_FILE, load_project, policy_path
from smops_policy.errors import PolicyError
from smops_policy.pages.redline import redline_html
from smops_policy.urls import diff_url

if TYPE_CHECKING:
    from pathlib import Path

    from smops_policy.content.document import Document
    from smops_policy.model import Site, Version

__all__ = ["Comparison", "compare", "compare_versions"]


@dataclass(frozen=True)
class Comparison:
    old: Version
    new: Version
    old_document: Document
    new_document: Document
    diff: DocumentDiff
    lang: str
    values: dict[str, str]

    def json(self) -> dict[str, Any]:
        return to_json(self.diff, self.old.number, self.new.number)

    def text(self, *, color: bool) -> str:
        return to_text(self.diff, color)

    def markdown(self) -> str:
        """GitHub-flavoured Markdown, e.g. for a pull request: a title line and the redline."""
        from smops_policy.compare.gfm import md_text, to_markdown

        title = md_text(f"{self.new.title}: version {self.old.number} → {self.new.number} ({self.lang})")
        return f"**{title}**\n\n{to_markdown(self.diff)}"

    def html(self) -> str:
        """A standalone HTML page (no external resources) with the redline."""
        here = diff_url(self.lang, self.old.policy, self.old.number, self.new.number)

        def t(message: str, **values: object) -> str:
            return i18n.gettext(self.lang, message, **values)

        body = redline_html(self.diff, self.old, self.new, self.new_document, here, self.lang, t, self.values)
        title = escape(
            t(
                "Changes to {title}: version {old} → {new}",
                title=fill_placeholders(self.new.title, self.values),
                old=self.old.number,
                new=self.new.number,
            )
        )
        style = (
            "body{font:1rem/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}"
            "ins{text-decoration:underline;background:#e6f4ea}del{text-decoration:line-through;background:#fdecea}"
            ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
        )
        return f'<!doctype html>\n<html lang="{self.lang}"><head><meta charset="utf-8"><title>{title}</title><style>{style}</style></head><body><h1>{title}</h1>{body}</body></html>'


def compare(
    repo: Path,
    policy: str,
    old: str,
    new: str,
    *,
    lang: str | None = None,
    site_id: str | None = None,
    drafts: bool = False,
) -> Comparison:
    """Diff two versions of `policy`; unknown policies, versions or Sites get an error listing what there is."""
    project = load_project(repo, drafts=drafts)
    lang = lang or project.publisher.source_language
    history = project.named_history(policy, lang)
    numbers = ", ".join(v.number for v in history.versions)
    versions = []
    for number in (old, new):
        version = history.get(number)
        if version is None:
            raise PolicyError.at(
                policy_path(policy, lang), f"has no version {number}", hint=f"versions there are: {numbers}"
            )
        versions.append(version)
    site = project.named_site(site_id) if site_id is not None else None
    # Without --site: the passages of the first Site publishing it, with placeholders as written.
    shown = site or next((s for s in project.publisher.sites if policy in s.policies and lang in s.languages), None)
    if shown is None:
        raise PolicyError.at(
            SITES_FILE, f"no Site publishes '{policy}' in '{lang}'", hint="add it to a Site's policies and languages"
        )
    return compare_versions(versions[0], versions[1], shown, lang, fill=site is not None)


def compare_versions(old: Version, new: Version, site: Site, lang: str, *, fill: bool = True) -> Comparison:
    """Two versions as `site` reads them: its passages, and (with `fill`) its values in the placeholders."""
    old_structure, new_structure = (
        structure(
            select_site_passages(v.body, site.id, path=v.path, body_line=v.body_line),
            path=v.path,
            body_line=v.body_line,
            title=v.title,
            numbering=v.numbering,
        )
        for v in (old, new)
    )
    if fill:
        values = dict(site.variables)
    else:
        keys = placeholder_keys(old_structure) | placeholder_keys(new_structure)
        values = {key: f"{{{{ site.{key} }}}}" for key in keys}
    old_doc, new_doc = fill_document(old_structure, values), fill_document(new_structure, values)
    return Comparison(old, new, old_doc, new_doc, diff_documents(old_doc, new_doc), lang, values)
