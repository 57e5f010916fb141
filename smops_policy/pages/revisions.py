"""Corrected translations as readers see them: the notice on a version's page, a page per wording
and a redline per correction, their changelog and feed entries and their versions.json records.

A correction (`Correction` in model.py) replaces the wording of a translation in force without a new
version: the source text binds, so the translation may be improved, but openly (README, Translations).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import replace
from html import escape
from typing import TYPE_CHECKING, Any

from smops_policy.content.document import fill_html, fill_placeholders
from smops_policy.content.relevance import unchanged_for_site
from smops_policy.pages.context import proof
from smops_policy.pages.planned import PlannedPage
from smops_policy.pages.redline import redline_html
from smops_policy.urls import relative, revision_diff_url, revision_url, version_url

if TYPE_CHECKING:
    from smops_policy.model import Correction, PolicyHistory, Version
    from smops_policy.pages.caches import BodyCache, DiffCache
    from smops_policy.pages.context import PageContext

__all__ = [
    "changelog_items",
    "correction_day",
    "correction_notice",
    "history_note",
    "revision_pages",
    "revision_records",
]


def correction_day(correction: Correction, timezone: str) -> dt.date:
    """The day a correction was published (its commit), in the publisher's timezone."""
    when = correction.committed
    return when.astimezone(zoneinfo.ZoneInfo(timezone)).date() if when else dt.date.min


def _corrected_on(ctx: PageContext, correction: Correction) -> str:
    day = correction_day(correction, ctx.publisher.timezone)
    return ctx.t("Translation corrected on {date}", date=ctx.date(day))


def correction_notice(ctx: PageContext, history: PolicyHistory, version: Version, here: str) -> str:
    """On the page of a corrected translation: each correction, newest first, with what it corrected,
    a link to the wording before it and to the redline between the two."""
    if not version.corrections:
        return ""
    t, lang, policy = ctx.t, history.lang, history.policy
    items = []
    for correction in reversed(version.corrections):
        if unchanged_for_site(correction.text, correction.earlier, ctx.site):
            continue  # another Site's passage: its wording pages stay, but readers here are not told
        n = correction.number
        day = correction_day(correction, ctx.publisher.timezone)
        earlier = relative(here, revision_url(lang, policy, version.number, n - 1))
        redline = relative(here, revision_diff_url(lang, policy, version.number, n))
        items.append(
            f'<li><time datetime="{day.isoformat()}">{escape(_corrected_on(ctx, correction))}</time>: '
            f"{escape(correction.summary)} "
            f'<a href="{earlier}">{escape(t("Earlier wording"))}</a> · <a href="{redline}">{escape(t("See what was corrected"))}</a></li>'
        )
    if not items:
        return ""
    label = t("Corrections of this translation")
    return (
        f'<aside class="policy-notice policy-notice--corrected" role="note" aria-label="{escape(label)}">'
        f"<p><strong>{escape(label)}</strong></p><ul>{''.join(items)}</ul></aside>"
    )


def history_note(ctx: PageContext, history: PolicyHistory, version: Version, here: str) -> str:
    """In the version history's "What changed" cell: each correction of the translation, dated and linked."""
    notes = []
    for correction in version.corrections:
        if unchanged_for_site(correction.text, correction.earlier, ctx.site):
            continue
        day = correction_day(correction, ctx.publisher.timezone)
        link = relative(here, revision_diff_url(history.lang, history.policy, version.number, correction.number))
        notes.append(
            f'<br><a href="{link}"><time datetime="{day.isoformat()}">{escape(_corrected_on(ctx, correction))}</time></a>'
        )
    return "".join(notes)


def _wording_page(ctx: PageContext, history: PolicyHistory, version: Version, n: int, html: str, here: str) -> str:
    """One wording of a corrected translation, with the same proof (sha256, commit) as a version page."""
    t, lang, policy = ctx.t, history.lang, history.policy
    wordings = version.wordings()
    wording = wordings[n]
    wording = replace(wording, title=fill_placeholders(wording.title, ctx.site.variables))  # as on the version's page
    current = relative(here, version_url(lang, policy, version.number))
    if n == 0:
        said = t("This is the wording of this translation as first published.")
    else:
        correction = version.corrections[n - 1]
        said = f"{_corrected_on(ctx, correction)}: {correction.summary}"
    links = [f'<a href="{current}">{escape(t("Read the current wording"))}</a>']
    if n > 0:
        redline = relative(here, revision_diff_url(lang, policy, version.number, n))
        links.append(f'<a href="{redline}">{escape(t("See what was corrected"))}</a>')
    later = ""
    if n < len(wordings) - 1:
        later = f"<p>{escape(t('A later correction replaced this wording.'))}</p>"
    return "\n".join(
        [
            f'<h1 class="policy-title">{escape(wording.title)}</h1>',
            f'<p class="policy-site">{escape(ctx.site.name)}</p>',
            f'<aside class="policy-notice policy-notice--corrected" role="note"><p><strong>'
            f"{escape(t('Wording {n} of the translation of version {version}', n=n, version=version.number))}</strong></p>"
            f"<p>{escape(said)}</p>{later}<p>{' · '.join(links)}</p></aside>",
            f'<div class="policy-text" lang="{escape(wording.lang)}">\n{fill_html(html, ctx.site.variables)}\n</div>',
            proof(ctx, wording),
        ]
    )


def revision_pages(
    ctx: PageContext, history: PolicyHistory, version: Version, bodies: BodyCache, diffs: DiffCache
) -> list[PlannedPage]:
    """A permalink per wording of a corrected translation and a redline per correction."""
    lang, policy, t = history.lang, history.policy, ctx.t
    out: list[PlannedPage] = []
    wordings = version.wordings()
    for n, wording in enumerate(wordings):
        here = revision_url(lang, policy, version.number, n)

        def page(n: int = n, wording: Version = wording, here: str = here) -> tuple[str, tuple[tuple[str, str], ...]]:
            body = bodies.body(wording, ctx.site)
            return _wording_page(ctx, history, version, n, body.html, here), ()

        day = wording.committed.date() if wording.committed else None
        title = fill_placeholders(wording.title, ctx.site.variables)  # as the version's own page has it
        out.append(PlannedPage(here, f"{title} {version.number} ({n})", make=page, updated=day))
    for correction in version.corrections:
        n = correction.number
        here = revision_diff_url(lang, policy, version.number, n)
        heading = t("Correction {n} of the translation of version {version}", n=n, version=version.number)

        def changes(
            correction: Correction = correction, here: str = here, heading: str = heading
        ) -> tuple[str, tuple[tuple[str, str], ...]]:
            old, new = correction.earlier, correction.text
            old_body, new_body = bodies.body(old, ctx.site), bodies.body(new, ctx.site)
            diff = diffs.diff(old_body, new_body, ctx.site)
            texts = (
                revision_url(lang, policy, version.number, correction.number - 1),
                revision_url(lang, policy, version.number, correction.number),
            )
            earlier, later = relative(here, texts[0]), relative(here, texts[1])
            facts = (
                f'<p class="policy-site">{escape(ctx.site.name)}</p>'
                f"<p>{escape(_corrected_on(ctx, correction))}: {escape(correction.summary)}</p>"
                f'<p><a href="{earlier}">{escape(t("Earlier wording"))}</a> · '
                f'<a href="{later}">{escape(t("Corrected wording"))}</a></p>'
            )
            redline = redline_html(diff, old, new, new_body.document, here, lang, t, None, texts=texts)
            return f"<h1>{escape(heading)}</h1>{facts}{fill_html(redline, ctx.site.variables)}", ()

        day = correction.committed.date() if correction.committed else None
        out.append(PlannedPage(here, heading, description=correction.summary, make=changes, updated=day))
    return out


def revision_records(history: PolicyHistory, version: Version, base_url: str, timezone: str) -> list[dict[str, Any]]:
    """versions.json's `revisions` of a corrected translation: each wording, with its proof."""
    records = []
    for n, wording in enumerate(version.wordings()):
        when = wording.committed.astimezone(zoneinfo.ZoneInfo(timezone)).isoformat() if wording.committed else None
        records.append(
            {
                "revision": n,
                "date": when,
                "commit": wording.commit,
                "sha256": wording.sha256,
                "summary": version.corrections[n - 1].summary if n > 0 else "",
                "url": base_url + revision_url(history.lang, history.policy, version.number, n),
            }
        )
    return records


def changelog_items(
    ctx: PageContext, history: PolicyHistory, here: str
) -> list[tuple[tuple[dt.date, str, tuple[int, ...]], str]]:
    """A changelog entry per correction published by the build's date: a correction, not a new version."""
    t, lang, policy = ctx.t, history.lang, history.policy
    items = []
    for version in history.versions:
        for correction in version.corrections:
            day = correction_day(correction, ctx.publisher.timezone)
            if day > ctx.as_of or unchanged_for_site(correction.text, correction.earlier, ctx.site):
                continue  # not yet, or it corrected another Site's passage: no news here
            read = relative(here, version_url(lang, policy, version.number))
            redline = relative(here, revision_diff_url(lang, policy, version.number, correction.number))
            heading = t("{title} {version}: translation corrected", title=version.title, version=version.number)
            items.append(
                (
                    (day, policy, version.key),
                    '<li class="policy-change policy-change--corrected">'
                    f"<h2>{escape(heading)}</h2>"
                    f'<p><time datetime="{day.isoformat()}">{escape(_corrected_on(ctx, correction))}</time></p>'
                    f"<p>{escape(correction.summary)}</p>"
                    f'<p><a href="{read}">{escape(t("Read version {version}", version=version.number))}</a> · '
                    f'<a href="{redline}">{escape(t("See what was corrected"))}</a></p></li>',
                )
            )
    return items
