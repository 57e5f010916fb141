"""The page plan: which pages each Site gets in each language, at which URL, with what body."""

from __future__ import annotations

from dataclasses import replace
from html import escape
from typing import TYPE_CHECKING, Any

from smops_policy import i18n
from smops_policy.content.document import fill_html, fill_placeholders, heading_text
from smops_policy.content.relevance import site_summary, unchanged_for_site
from smops_policy.model import PolicyHistory
from smops_policy.pages import revisions
from smops_policy.pages.bodies import (
    diff_facts,
    history_page,
    lang_home_page,
    no_version_page,
    version_page,
    what_changed,
    withdrawn_policy_page,
)
from smops_policy.pages.compare_list import compare_list
from smops_policy.pages.context import PageContext
from smops_policy.pages.outputs import as_of_page, changelog_page
from smops_policy.pages.planned import PlannedPage, SitePlan, Toc
from smops_policy.pages.redline import redline_html
from smops_policy.urls import (
    as_of_url,
    changelog_url,
    diff_url,
    history_url,
    lang_home_url,
    policy_url,
    version_url,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable

    from smops_policy.content.project import Project
    from smops_policy.model import Site, Version
    from smops_policy.pages.caches import BodyCache, DiffCache, RenderedBody

__all__ = ["language_names", "plan_site", "site_project"]


def _title(history: PolicyHistory, as_of: dt.date) -> str:
    current = history.in_force(as_of) or history.versions[-1]
    return current.title


def site_project(project: Project, site: Site) -> Project:
    """The project as one Site reads it: the Site's values in place of `{{ site.KEY }}` in the titles
    and summaries of its versions (the bodies get theirs when rendered, with `fill_html`), the Site's
    own summary where `summary:` names it, and which versions leave its text unchanged."""
    values = site.variables

    def filled(version: Version, previous: Version | None) -> Version:
        summary = site_summary(version, site)
        changed = not unchanged_for_site(version, previous, site)
        if "{{" not in version.title and "{{" not in summary and summary == version.summary and changed:
            return version  # the usual case: nothing to fill, nothing copied
        return replace(
            version,
            title=fill_placeholders(version.title, values),
            summary=fill_placeholders(summary, values),
            changed_for_site=changed,
        )

    def below(h: PolicyHistory, gone: Version) -> Version | None:
        return next((v for v in reversed(h.versions) if v.key < gone.key), None)

    def as_read(h: PolicyHistory) -> PolicyHistory:
        versions = tuple(filled(v, p) for v, p in zip(h.versions, (None, *h.versions), strict=False))
        # A withdrawn upcoming version is announced too (changelog, feed): the Site's summary, filled,
        # and not at all where it would have left this Site's text as it was.
        withdrawn = tuple(replace(w, version=filled(w.version, below(h, w.version))) for w in h.withdrawn)
        if all(a is b for a, b in zip(versions, h.versions, strict=True)) and withdrawn == h.withdrawn:
            return h
        return PolicyHistory(h.policy, h.lang, versions, withdrawn, h.withdrawn_on)

    histories = {key: as_read(h) for key, h in project.histories.items()}
    # the policies this Site withdrew keep their pages, read as this Site reads them too
    archives = tuple(as_read(h) for h in project.archives.get(site.id, ()))
    if all(histories[key] is h for key, h in project.histories.items()) and archives == project.archives.get(
        site.id, ()
    ):
        return project
    return replace(project, histories=histories, archives={**project.archives, site.id: archives})


def plan_site(project: Project, site: Site, as_of: dt.date, bodies: BodyCache, diffs: DiffCache) -> SitePlan:
    """Every page of one Site, in each of its languages."""
    project = site_project(project, site)
    pages: dict[str, list[PlannedPage]] = {}
    nav: dict[str, list[tuple[str, str]]] = {}
    for lang in site.languages:
        ctx = PageContext(project.publisher, site, lang, as_of)
        lang_pages: list[PlannedPage] = []
        home_entries: list[tuple[PolicyHistory, Version | None, str]] = []
        lang_nav: list[tuple[str, str]] = [(ctx.t("Policies"), lang_home_url(lang))]
        for policy in site.policies:
            history = project.history(policy, lang)
            if history is None or not history.versions:
                continue
            title = _title(history, as_of)
            current = history.in_force(as_of)
            home_entries.append((history, current, title))
            lang_pages.extend(_policy_pages(ctx, history, title, bodies, project))
            lang_pages.extend(_diff_pages(ctx, history, title, bodies, diffs))
            for version in history.versions:  # a corrected translation: its wordings and redlines
                lang_pages.extend(revisions.revision_pages(ctx, history, version, bodies, diffs))
            lang_nav.append((title, policy_url(lang, policy)))
            lang_nav.append((f"{title}: {ctx.t('Version history')}", history_url(lang, policy)))
        for history in project.archive(site.id, lang):  # withdrawn: its addresses stay, as an archive
            title = history.versions[-1].title
            lang_pages.extend(_policy_pages(ctx, history, title, bodies, project))
            lang_pages.extend(_diff_pages(ctx, history, title, bodies, diffs))
        here = lang_home_url(lang)
        lang_pages.insert(
            0,
            PlannedPage(
                here,
                ctx.t("Policies of {site}", site=site.name),
                make=_without_toc(lang_home_page, ctx, home_entries, here),
                in_nav=True,
                updated=_newest(e[0] for e in home_entries),
            ),
        )
        lang_pages.extend(site_pages(ctx, project, lang_nav))  # changelog, as-of page
        pages[lang] = lang_pages
        nav[lang] = lang_nav
    return SitePlan(site, as_of, _with_alternates(pages, site), nav, project)


def _policy_pages(
    ctx: PageContext, history: PolicyHistory, title: str, bodies: BodyCache, project: Project
) -> list[PlannedPage]:
    lang, policy = ctx.lang, history.policy
    source = project.history(policy, project.publisher.source_language)
    prevailing = project.history(policy, project.publisher.prevailing_language)
    out: list[PlannedPage] = []
    current = history.in_force(ctx.as_of)
    drafts = [v for v in history.versions if v.draft]
    shown = current or (drafts[-1] if drafts else None)

    def body_of(version: Version, here: str, permalink: bool) -> Callable[[], tuple[str, Toc]]:
        def make() -> tuple[str, Toc]:
            body = bodies.body(version, ctx.site)
            page = version_page(
                ctx, history, version, body, here, permalink=permalink, source=source, prevailing=prevailing
            )
            return page, _toc(body, ctx.site)

        return make

    here = policy_url(lang, policy)
    if history.is_withdrawn(ctx.as_of):
        out.append(
            PlannedPage(
                here,
                title,
                make=_without_toc(withdrawn_policy_page, ctx, history, title, here),
                updated=history.withdrawn_on,
            )
        )
    elif shown is not None:
        out.append(
            PlannedPage(
                here,
                title,
                in_nav=True,
                searchable=True,
                description=what_changed(ctx, shown),
                make=body_of(shown, here, False),
                updated=_newest([history]),
            )
        )
    else:
        out.append(
            PlannedPage(
                here,
                title,
                in_nav=True,
                make=_without_toc(no_version_page, ctx, history, title, here),
                updated=_newest([history]),
            )
        )
    here = history_url(lang, policy)
    out.append(
        PlannedPage(
            here,
            f"{ctx.t('Version history')}: {title}",
            in_nav=True,
            make=_history_with_comparisons(ctx, history, here, title),
            updated=_newest([history]),
        )
    )
    for version in history.versions:
        here = version_url(lang, policy, version.number)
        out.append(
            PlannedPage(
                here,
                f"{version.title} {version.number}",
                description=what_changed(ctx, version),
                make=body_of(version, here, True),
                updated=_date(version),
            )
        )
    return out


def diff_pairs(history: PolicyHistory, as_of: dt.date) -> list[tuple[Version, Version]]:
    """The comparisons a reader needs: each version against the one before it, every older version
    against the one in force, and the one in force against each upcoming one."""
    published = [v for v in history.versions if not v.draft]
    pairs = list(zip(history.versions, history.versions[1:], strict=False))
    current = history.in_force(as_of)
    if current is not None:
        pairs += [(old, current) for old in published if old.key < current.key]
        pairs += [(current, new) for new in history.upcoming(as_of)]
    seen: set[tuple[str, str]] = set()
    unique = []
    for old, new in pairs:
        if (old.number, new.number) not in seen:
            seen.add((old.number, new.number))
            unique.append((old, new))
    return unique


def _diff_pages(
    ctx: PageContext, history: PolicyHistory, title: str, bodies: BodyCache, diffs: DiffCache
) -> list[PlannedPage]:
    out = []
    for old, new in diff_pairs(history, ctx.as_of):
        here = diff_url(ctx.lang, history.policy, old.number, new.number)
        heading = ctx.t("Changes to {title}: version {old} → {new}", title=title, old=old.number, new=new.number)

        def make(old: Version = old, new: Version = new, here: str = here, heading: str = heading) -> tuple[str, Toc]:
            old_body, new_body = bodies.body(old, ctx.site), bodies.body(new, ctx.site)
            diff = diffs.diff(old_body, new_body, ctx.site)
            facts = diff_facts(ctx, history, old, new, here)
            redline = diffs.redline(
                old_body,
                new_body,
                diff,
                ctx.lang,
                here,
                lambda: redline_html(diff, old, new, new_body.document, here, ctx.lang, ctx.t, None),
            )
            return f"<h1>{escape(heading)}</h1>{facts}{fill_html(redline, ctx.site.variables)}", ()

        out.append(PlannedPage(here, heading, description=what_changed(ctx, new), make=make, updated=_date(new)))
    return out


def _history_with_comparisons(
    ctx: PageContext, history: PolicyHistory, here: str, title: str
) -> Callable[[], tuple[str, Toc]]:
    """The history page, then the list of the comparisons this Site publishes (`compare.py`)."""

    def make() -> tuple[str, Toc]:
        page = history_page(ctx, history, here, title)
        return page + compare_list(ctx, history, here, diff_pairs(history, ctx.as_of)), ()

    return make


def _without_toc(page: Callable[..., str], *args: Any) -> Callable[[], tuple[str, Toc]]:
    return lambda: (page(*args), ())


def _date(version: Version) -> dt.date | None:
    return version.committed.date() if version.committed else None


def _newest(histories: Iterable[PolicyHistory]) -> dt.date | None:
    dates = [d for h in histories for v in h.versions if (d := _date(v)) is not None]
    return max(dates) if dates else None


def _toc(body: RenderedBody, site: Site) -> tuple[tuple[str, str], ...]:
    """(anchor, heading as plain text) of each section: the table of contents shows what the reader
    sees in the heading, not its Markdown."""
    return tuple((s.anchor, heading_text(s.heading, site.variables)) for s in body.document.sections if s.heading)


def _with_alternates(pages: dict[str, list[PlannedPage]], site: Site) -> dict[str, list[PlannedPage]]:
    """Each page, naming the same page in the Site's other languages (or the nearest one there)."""
    urls = {lang: {p.url for p in lang_pages} for lang, lang_pages in pages.items()}

    def alternates(page: PlannedPage) -> dict[str, str]:
        inner = page.url.split("/", 1)[1]
        found = {}
        for other in site.languages:
            candidates = [f"{other}/{inner}"]
            parts = inner.split("/")
            if len(parts) > 2:
                candidates.append(f"{other}/{parts[0]}/")
            candidates.append(lang_home_url(other))
            found[other] = next(c for c in candidates if c in urls.get(other, set()) or c == lang_home_url(other))
        return found

    return {
        lang: [replace(page, alternates=alternates(page)) for page in lang_pages] for lang, lang_pages in pages.items()
    }


def site_pages(ctx: PageContext, project: Project, nav: list[tuple[str, str]]) -> list[PlannedPage]:
    """The changelog and "as of a date" pages of one Site in one language (and their nav entries)."""
    lang, site = ctx.lang, ctx.site
    histories = [h for p in site.policies if (h := project.history(p, lang)) is not None and h.versions]
    if not histories:
        return []
    dates = [v.committed.date() for h in histories for v in h.versions if v.committed is not None]
    updated = max(dates) if dates else None
    log_title, as_of_title = ctx.t("Changelog"), ctx.t("Which version applied on a date")
    nav += [(log_title, changelog_url(lang)), (as_of_title, as_of_url(lang))]
    return [
        PlannedPage(changelog_url(lang), log_title, make=lambda: (changelog_page(ctx, histories), ()), updated=updated),
        PlannedPage(as_of_url(lang), as_of_title, make=lambda: (as_of_page(ctx, histories), ()), updated=updated),
    ]


def language_names(languages: tuple[str, ...]) -> dict[str, str]:
    return {lang: i18n.language_name(lang) for lang in languages}
