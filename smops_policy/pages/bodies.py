"""Model → page bodies (HTML fragments that mkdocs-material frames). No I/O.

Policy bodies are rendered once per version and Site-passage variant (`BodyCache`) and reused
for every Site; a Site's values go in afterwards with `fill_html`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from html import escape
from typing import TYPE_CHECKING

from smops_policy import i18n
from smops_policy.compare.diff import DocumentDiff, Summary, WordChange, diff_documents, diff_words
from smops_policy.content import translations
from smops_policy.content.document import Document, analyse, fill_html, fill_text, has_markers, select_site_passages
from smops_policy.i18n import N_
from smops_policy.model import PolicyHistory, Publisher, Site, Status, Version
from smops_policy.pages import revisions
from smops_policy.urls import diff_url, history_url, policy_url, relative, version_url

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Mapping

__all__ = ["BodyCache", "PageContext", "RenderedBody"]


STATUS_LABELS = {
    Status.SUPERSEDED: N_("Superseded"),
    Status.IN_FORCE: N_("In force"),
    Status.UPCOMING: N_("Upcoming"),
    Status.DRAFT: N_("Draft"),
    Status.WITHDRAWN: N_("Withdrawn"),
}


@dataclass(frozen=True, slots=True)
class RenderedBody:
    document: Document
    html: str


class BodyCache:
    """Each distinct body is parsed and rendered once, whatever the number of Sites showing it."""

    def __init__(self) -> None:
        self._bodies: dict[str, RenderedBody] = {}
        self._sources: Callable[[Version], Version | None] = lambda version: None
        self.hits = 0
        self.misses = 0

    def use_sources(self, source_of: Callable[[Version], Version | None]) -> None:
        """`source_of(translation)`: the source-language version it translates, whose units' anchors the
        translation's units take (README, Anchors: one anchor for a clause in every language)."""
        self._sources = source_of

    def body(self, version: Version, site: Site) -> RenderedBody:
        text = select_site_passages(version.body, site.id, path=version.path, body_line=version.body_line)
        source = self._sources(version)
        anchors = tuple(c.anchor for c in self.body(source, site).document.clauses()) if source else None
        key = hashlib.sha1("\0".join([text, version.title, version.numbering, *(anchors or ())]).encode("utf-8"))
        found = self._bodies.get(key.hexdigest())
        if found is None:
            self.misses += 1
            document, html = analyse(
                text,
                path=version.path,
                body_line=version.body_line,
                title=version.title,
                numbering=version.numbering,
                unit_anchors=anchors,
            )
            found = self._bodies[key.hexdigest()] = RenderedBody(document, html)
        else:
            self.hits += 1
        return found


class DiffCache:
    """Each pair of distinct bodies is compared once for all Sites.

    Clauses are aligned on the text as written; a Site's values go in afterwards, and only the word
    changes of clauses that touch a Site value are recomputed with that Site's text, so each Site's
    redline reads as its own text without a full comparison per Site.
    """

    def __init__(self) -> None:
        self._diffs: dict[tuple[int, int], tuple[DocumentDiff, bool]] = {}  # → (diff, touches Site values)
        self._redlines: dict[tuple[int, str, str], str] = {}
        self._shared: set[int] = set()  # ids of the diffs in _diffs, which live as long as this cache

    def diff(self, old: RenderedBody, new: RenderedBody, site: Site) -> DocumentDiff:
        key = (id(old), id(new))
        found = self._diffs.get(key)
        if found is None:
            base = diff_documents(old.document, new.document)
            found = self._diffs[key] = (base, _touches_values(base))
            self._shared.add(id(base))
        base, touches = found
        # A Site's own version serves one page only: made when asked, never kept (memory stays flat
        # however many Sites there are).
        return fill_diff(base, site.variables) if touches else base

    def redline(self, diff: DocumentDiff, lang: str, here: str, make: Callable[[], str]) -> str:
        """A redline body with Site values still as markers: kept for a comparison all Sites share."""
        key = (id(diff), lang, here)
        found = self._redlines.get(key)
        if found is None:
            found = make()
            if id(diff) in self._shared:
                self._redlines[key] = found
        return found


def _touches_values(diff: DocumentDiff) -> bool:
    return any(has_markers(c.text) for op in diff.ops for c in op.changes) or any(
        has_markers(c.text) for op in diff.sections for c in op.changes
    )


def fill_diff(diff: DocumentDiff, values: Mapping[str, str]) -> DocumentDiff:
    """`diff` as one Site reads it: word changes that touch a Site value are compared again, filled in."""

    def words(changes: tuple[WordChange, ...]) -> tuple[WordChange, ...]:
        if not any(has_markers(c.text) for c in changes):
            return changes
        old = " ".join(fill_text(c.text, values) for c in changes if c.op != "insert")
        new = " ".join(fill_text(c.text, values) for c in changes if c.op != "delete")
        return diff_words(old, new)

    ops = []
    for op in diff.ops:
        if op.op in ("changed", "moved") and op.blocks:
            blocks = tuple(replace(b, changes=words(b.changes)) for b in op.blocks)
            blocks = tuple(
                replace(b, op="equal") if b.op == "changed" and all(c.op == "equal" for c in b.changes) else b
                for b in blocks
            )
            if op.op == "changed" and all(b.op == "equal" for b in blocks):
                op = replace(op, op="equal", blocks=())
            else:
                op = replace(op, blocks=blocks)
        ops.append(op)
    sections = tuple(replace(s, changes=words(s.changes)) if s.op == "changed" else s for s in diff.sections)
    sections = tuple(
        replace(s, op="equal", changes=()) if s.op == "changed" and all(c.op == "equal" for c in s.changes) else s
        for s in sections
    )
    counts = Counter(op.op for op in ops)
    summary = Summary(counts["changed"], counts["inserted"], counts["deleted"], counts["moved"])
    return replace(diff, ops=tuple(ops), sections=sections, summary=summary)


@dataclass(frozen=True)
class PageContext:
    """What every page of one Site in one language needs."""

    publisher: Publisher
    site: Site
    lang: str
    as_of: dt.date

    def t(self, message: str, **values: object) -> str:
        return i18n.gettext(self.lang, message, **values)

    def date(self, value: dt.date) -> str:
        return i18n.format_date(value, self.lang)

    def status(self, history: PolicyHistory, version: Version) -> Status:
        return history.status(version, self.as_of)

    def status_label(self, status: Status) -> str:
        return self.t(STATUS_LABELS[status])


def _badge(ctx: PageContext, status: Status) -> str:
    return f'<span class="policy-status policy-status--{status.value}">{escape(ctx.status_label(status))}</span>'


def version_meta(ctx: PageContext, history: PolicyHistory, version: Version, here: str) -> str:
    """The lines above a policy text: Site, version, effective date, status, other versions."""
    t = ctx.t
    status = ctx.status(history, version)
    parts = [
        f'<p class="policy-site">{escape(ctx.site.name)}</p>',
        '<dl class="policy-facts">',
        f"<div><dt>{escape(t('Version'))}</dt><dd>{escape(version.number)}</dd></div>",
        f'<div><dt>{escape(t("Effective date"))}</dt><dd><time datetime="{version.effective.isoformat()}">{escape(ctx.date(version.effective))}</time></dd></div>',
        f"<div><dt>{escape(t('Status'))}</dt><dd>{_badge(ctx, status)}</dd></div>",
        "</dl>",
    ]
    return "\n".join(parts)


def version_selector(ctx: PageContext, history: PolicyHistory, current: Version | None, here: str) -> str:
    """A keyboard-usable list of every version (no script): a <details> disclosure of links."""
    t = ctx.t
    items = []
    for version in reversed(history.versions):
        label = f"{version.number} · {ctx.date(version.effective)} · {ctx.status_label(ctx.status(history, version))}"
        target = relative(here, version_url(ctx.lang, history.policy, version.number))
        attrs = ' aria-current="page"' if version is current else ""
        items.append(f'<li><a href="{target}"{attrs}>{escape(label)}</a></li>')
    history_link = relative(here, history_url(ctx.lang, history.policy))
    return (
        f'<details class="policy-versions"><summary>{escape(t("Other versions"))}</summary>'
        f"<ul>{''.join(items)}</ul>"
        f'<p><a href="{history_link}">{escape(t("Version history"))}</a></p></details>'
    )


def upcoming_notice(ctx: PageContext, history: PolicyHistory, here: str, compare_to: Version | None) -> str:
    t = ctx.t
    notices = []
    for version in history.upcoming(ctx.as_of):
        if not version.changed_for_site:
            continue  # the Site's text stays as it is: nothing to announce there
        link = relative(here, version_url(ctx.lang, history.policy, version.number))
        text = t(
            "A new version {version} of this policy takes effect on {date}.",
            version=version.number,
            date=ctx.date(version.effective),
        )
        links = [f'<a href="{link}">{escape(t("Read version {version}", version=version.number))}</a>']
        if compare_to is not None:
            changes = relative(here, diff_url(ctx.lang, history.policy, compare_to.number, version.number))
            links.append(f'<a href="{changes}">{escape(t("See what changes"))}</a>')
        summary = f"<p>{escape(version.summary)}</p>" if version.summary else ""
        notices.append(
            f'<aside class="policy-notice policy-notice--upcoming" role="note" aria-label="{escape(t("Upcoming change"))}">'
            f"<p><strong>{escape(text)}</strong></p>{summary}<p>{' · '.join(links)}</p></aside>"
        )
    return "".join(notices)


def proof(ctx: PageContext, version: Version) -> str:
    t = ctx.t
    commit = version.commit or t("not committed (draft)")
    return (
        f'<footer class="policy-proof"><p>{escape(t("This text is {title}, version {version}, as committed.", version=version.number, title=version.title))}</p>'
        f"<dl><div><dt>{escape(t('SHA-256 of the text'))}</dt><dd><code>{version.sha256}</code></dd></div>"
        f"<div><dt>{escape(t('Git commit'))}</dt><dd><code>{escape(commit)}</code></dd></div></dl></footer>"
    )


def translation_notices(
    ctx: PageContext,
    version: Version,
    status: Status,
    here: str,
    source: PolicyHistory | None,
    prevailing: PolicyHistory | None,
) -> str:
    """On a translation: whether it lags its source (with a link to the current source text), and which
    language's text prevails (with a link to it). Links only to languages this Site publishes."""
    t = ctx.t
    parts = []
    current = status not in (Status.SUPERSEDED, Status.WITHDRAWN)
    found = translations.lag(source, version, ctx.as_of) if current else None
    if found is not None and source is not None:
        language = i18n.language_name(source.lang, ctx.lang)
        if found.in_force:
            text = t(
                "This translation is out of date. It translates version {version} of the {language} text; version {current} of that text applies since {date}.",
                version=version.number,
                language=language,
                current=found.source.number,
                date=ctx.date(found.source.effective),
            )
            target, label = (
                policy_url(source.lang, source.policy),
                t("Read the current {language} text", language=language),
            )
        else:
            text = t(
                "This translation translates version {version} of the {language} text. Version {upcoming} of that text takes effect on {date} and is not yet translated.",
                version=version.number,
                language=language,
                upcoming=found.source.number,
                date=ctx.date(found.source.effective),
            )
            target = version_url(source.lang, source.policy, found.source.number)
            label = t("Read version {version} of the {language} text", version=found.source.number, language=language)
        link = ""
        if source.lang in ctx.site.languages:
            link = f'<p><a href="{relative(here, target)}" hreflang="{source.lang}">{escape(label)}</a></p>'
        parts.append(
            f'<aside class="policy-notice policy-notice--outdated" role="note" aria-label="{escape(t("Translation out of date"))}">'
            f"<p><strong>{escape(text)}</strong></p>{link}</aside>"
        )
    prevails = ctx.publisher.prevailing_language
    if prevails != ctx.lang:
        language = i18n.language_name(prevails, ctx.lang)
        text = t("Where this text differs from the {language} text, the {language} text prevails.", language=language)
        link = ""
        if prevailing is not None and prevails in ctx.site.languages:
            same = prevailing.get(version.number)
            target = (
                version_url(prevails, prevailing.policy, same.number)
                if same is not None
                else policy_url(prevails, prevailing.policy)
            )
            link = f' <a href="{relative(here, target)}" hreflang="{prevails}">{escape(t("Read the {language} text", language=language))}</a>'
        parts.append(f'<p class="policy-prevailing">{escape(text)}{link}</p>')
    return "".join(parts)


def version_page(
    ctx: PageContext,
    history: PolicyHistory,
    version: Version,
    body: RenderedBody,
    here: str,
    *,
    permalink: bool,
    source: PolicyHistory | None = None,
    prevailing: PolicyHistory | None = None,
) -> str:
    """The policy text of one version, framed by its facts (current page or permalink); `source` and
    `prevailing` are the policy's histories in the source and prevailing languages, for translations."""
    t = ctx.t
    status = ctx.status(history, version)
    in_force = history.in_force(ctx.as_of)
    parts = [f'<h1 class="policy-title">{escape(version.title)}</h1>', version_meta(ctx, history, version, here)]
    parts.append(translation_notices(ctx, version, status, here, source, prevailing))
    parts.append(revisions.correction_notice(ctx, history, version, here))
    if version.draft:
        parts.append(
            f'<aside class="policy-notice policy-notice--draft" role="note"><p><strong>{escape(t("Draft: this text is not committed and not published."))}</strong></p></aside>'
        )
    if permalink and status is Status.SUPERSEDED and in_force is not None:
        current = relative(here, policy_url(ctx.lang, history.policy))
        changes = relative(here, diff_url(ctx.lang, history.policy, version.number, in_force.number))
        parts.append(
            f'<aside class="policy-notice policy-notice--superseded" role="note"><p>{escape(t("This version is no longer in force. Version {version} applies since {date}.", version=in_force.number, date=ctx.date(in_force.effective)))}</p>'
            f'<p><a href="{current}">{escape(t("Read the version in force"))}</a> · <a href="{changes}">{escape(t("See what changed since this version"))}</a></p></aside>'
        )
    if status is Status.WITHDRAWN:
        parts.append(withdrawn_notice(ctx, history))
    if status is Status.UPCOMING:
        parts.append(
            f'<aside class="policy-notice policy-notice--upcoming" role="note"><p><strong>{escape(t("This version takes effect on {date}.", date=ctx.date(version.effective)))}</strong></p></aside>'
        )
    if not permalink or status is Status.IN_FORCE:
        parts.append(upcoming_notice(ctx, history, here, in_force))
    parts.append(version_selector(ctx, history, version, here))
    if version.summary and version.changed_for_site:
        parts.append(
            f'<p class="policy-summary"><span class="policy-summary__label">{escape(t("What changed"))}:</span> {escape(version.summary)}</p>'
        )
    parts.append(
        f'<div class="policy-text" lang="{escape(version.lang)}">\n{fill_html(body.html, ctx.site.variables)}\n</div>'
    )
    parts.append(proof(ctx, version))
    return "\n".join(p for p in parts if p)


def diff_facts(ctx: PageContext, history: PolicyHistory, old: Version, new: Version, here: str) -> str:
    """Which two versions a redline compares, with their dates, statuses and links."""
    t = ctx.t
    rows = []
    for label, version in ((t("Old version"), old), (t("New version"), new)):
        link = relative(here, version_url(ctx.lang, history.policy, version.number))
        rows.append(
            f'<div><dt>{escape(label)}</dt><dd><a href="{link}">{escape(version.number)}</a>, '
            f"{escape(t('effective {date}', date=ctx.date(version.effective)))} {_badge(ctx, ctx.status(history, version))}</dd></div>"
        )
    return f'<p class="policy-site">{escape(ctx.site.name)}</p><dl class="policy-facts">{"".join(rows)}</dl>'


def no_version_page(ctx: PageContext, history: PolicyHistory, title: str, here: str) -> str:
    """The current page of a policy none of whose versions is in force yet."""
    t = ctx.t
    return "\n".join(
        [
            f'<h1 class="policy-title">{escape(title)}</h1>',
            f'<p class="policy-site">{escape(ctx.site.name)}</p>',
            f"<p>{escape(t('No version of this policy is in force yet.'))}</p>",
            upcoming_notice(ctx, history, here, None),
        ]
    )


def withdrawn_notice(ctx: PageContext, history: PolicyHistory) -> str:
    """On every page of a policy its Site has withdrawn: since when it no longer applies."""
    assert history.withdrawn_on is not None
    text = ctx.t("This policy was withdrawn on {date}. It no longer applies.", date=ctx.date(history.withdrawn_on))
    return f'<aside class="policy-notice policy-notice--withdrawn" role="note"><p><strong>{escape(text)}</strong></p></aside>'


def withdrawn_policy_page(ctx: PageContext, history: PolicyHistory, title: str, here: str) -> str:
    """The address that showed the policy in force, once its Site has withdrawn it: an archive's front."""
    return "\n".join(
        [
            f'<h1 class="policy-title">{escape(title)}</h1>',
            f'<p class="policy-site">{escape(ctx.site.name)}</p>',
            withdrawn_notice(ctx, history),
            version_selector(ctx, history, None, here),
        ]
    )


def what_changed(ctx: PageContext, version: Version) -> str:
    """A version's summary as a Site lists it: said plainly when the Site's text did not change."""
    return version.summary if version.changed_for_site else ctx.t("No change to this Site's text")


def history_page(ctx: PageContext, history: PolicyHistory, here: str, title: str) -> str:
    t = ctx.t
    rows = []
    for version in reversed(history.versions):
        status = ctx.status(history, version)
        link = relative(here, version_url(ctx.lang, history.policy, version.number))
        previous = history.previous(version)
        changes = ""
        if previous is not None:
            diff_link = relative(here, diff_url(ctx.lang, history.policy, previous.number, version.number))
            changes = f'<a href="{diff_link}">{escape(t("Changes from {version}", version=previous.number))}</a>'
        rows.append(
            "<tr>"
            f'<th scope="row"><a href="{link}">{escape(version.number)}</a></th>'
            f'<td><time datetime="{version.effective.isoformat()}">{escape(ctx.date(version.effective))}</time></td>'
            f"<td>{_badge(ctx, status)}</td>"
            f"<td>{escape(what_changed(ctx, version))}{revisions.history_note(ctx, history, version, here)}</td>"
            f"<td>{changes}</td>"
            "</tr>"
        )
    return "\n".join(
        [
            f"<h1>{escape(t('Version history'))}: {escape(title)}</h1>",
            f'<p class="policy-site">{escape(ctx.site.name)}</p>',
            '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="policy-history">',
            f"<caption>{escape(t('{title}: all versions, newest first', title=title))}</caption>",
            f'<thead><tr><th scope="col">{escape(t("Version"))}</th><th scope="col">{escape(t("Effective date"))}</th>'
            f'<th scope="col">{escape(t("Status"))}</th><th scope="col">{escape(t("What changed"))}</th><th scope="col">{escape(t("Changes"))}</th></tr></thead>',
            f"<tbody>{''.join(rows)}</tbody></table></div></div>",
        ]
    )


def lang_home_page(ctx: PageContext, policies: list[tuple[PolicyHistory, Version | None, str]], here: str) -> str:
    """The language's front page: each policy with its version in force."""
    t = ctx.t
    items = []
    for history, current, title in policies:
        link = relative(here, policy_url(ctx.lang, history.policy))
        facts = (
            escape(t("Version {version}, effective {date}", version=current.number, date=ctx.date(current.effective)))
            if current is not None
            else escape(t("Not yet in force"))
        )
        hist = relative(here, history_url(ctx.lang, history.policy))
        items.append(
            f'<li><a href="{link}">{escape(title)}</a> — {facts} · <a href="{hist}">{escape(t("Version history"))}</a></li>'
        )
    return "\n".join(
        [
            f"<h1>{escape(t('Policies of {site}', site=ctx.site.name))}</h1>",
            f'<ul class="policy-list">{"".join(items)}</ul>',
        ]
    )
