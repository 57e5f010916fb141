"""Model → page bodies (HTML fragments that mkdocs-material frames). No I/O.

Policy bodies are rendered once per version and Site-passage variant (`caches.BodyCache`) and
reused for every Site; a Site's values go in afterwards with `fill_html`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from smops_policy import i18n
from smops_policy.content import translations
from smops_policy.content.document import fill_html
from smops_policy.model import Status
from smops_policy.pages import revisions
from smops_policy.pages.context import PageContext, proof
from smops_policy.urls import diff_url, history_url, policy_url, relative, version_url

if TYPE_CHECKING:
    from smops_policy.model import PolicyHistory, Version
    from smops_policy.pages.caches import RenderedBody

__all__ = [
    "diff_facts",
    "history_page",
    "lang_home_page",
    "no_version_page",
    "version_page",
    "what_changed",
    "withdrawn_policy_page",
]


def _badge(ctx: PageContext, status: Status) -> str:
    return f'<span class="policy-status policy-status--{status.value}">{escape(ctx.status_label(status))}</span>'


def version_meta(ctx: PageContext, history: PolicyHistory, version: Version) -> str:
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
    parts = [f'<h1 class="policy-title">{escape(version.title)}</h1>', version_meta(ctx, history, version)]
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
