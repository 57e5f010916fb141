"""What a Site offers besides its pages: versions.json, Atom feeds, a banner fragment, a sitemap,
and the bodies of the changelog and "as of a date" pages. Pure string functions of the model and
the plan (no clock, no I/O: `build/site_files.py` writes them): two builds of the same commit as of
the same date write the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from smops_policy.content.relevance import unchanged_for_site
from smops_policy.pages import revisions
from smops_policy.pages.bodies import what_changed
from smops_policy.urls import (
    as_of_url,
    changelog_url,
    diff_url,
    feed_url,
    policy_url,
    relative,
    revision_diff_url,
    revision_url,
    version_url,
)

if TYPE_CHECKING:
    from smops_policy.content.project import Project
    from smops_policy.model import Correction, PolicyHistory, Site, Version, Withdrawal
    from smops_policy.pages.context import PageContext
    from smops_policy.pages.planned import SitePlan

__all__ = [
    "SITEMAP_FILE",
    "VERSIONS_FILE",
    "VERSIONS_FORMAT",
    "as_of_page",
    "banner_html",
    "changelog_page",
    "dump_json",
    "feed_xml",
    "sitemap_xml",
    "version_record",
    "versions_index",
]

VERSIONS_FORMAT = 1  # raised only when a key of versions.json changes meaning or goes away
VERSIONS_FILE = "versions.json"
SITEMAP_FILE = "sitemap.xml"


def version_record(
    history: PolicyHistory, version: Version, as_of: dt.date, base_url: str, timezone: str
) -> dict[str, Any]:
    """One version as versions.json lists it (the same values as `smops-policy versions --json`);
    `published` is its first commit, in the publisher's timezone."""
    first = version.first_committed
    return {
        "version": version.number,
        "effective": version.effective.isoformat(),
        "status": history.status(version, as_of).value,
        "url": base_url + version_url(history.lang, history.policy, version.number),
        "sha256": version.sha256,
        "commit": version.commit,
        "summary": version.summary,
        "title": version.title,
        "material": version.material,
        "published": first.astimezone(zoneinfo.ZoneInfo(timezone)).isoformat() if first else None,
        # false: the Site's text reads as the version before (`relevance.py`); its pages exist all the same
        "changed_for_site": version.changed_for_site,
        # a corrected translation only (so the records of other versions stay as they were): each wording
        **(
            {"revisions": revisions.revision_records(history, version, base_url, timezone)}
            if version.corrections
            else {}
        ),
    }


def versions_index(project: Project, site: Site, as_of: dt.date) -> dict[str, Any]:
    """Every policy, language and version a Site publishes, as of a date: the stable interface."""
    timezone = project.publisher.timezone
    policies: dict[str, Any] = {}
    for policy in sorted(site.policies):
        languages: dict[str, Any] = {}
        for lang in sorted(site.languages):
            history = project.history(policy, lang)
            if history is None or not history.versions:
                continue
            current = history.in_force(as_of)
            languages[lang] = {
                "url": site.base_url + policy_url(lang, policy),
                "in_force": current.number if current is not None else None,
                "versions": [version_record(history, v, as_of, site.base_url, timezone) for v in history.versions],
            }
        if languages:
            policies[policy] = languages
    return {
        "format": VERSIONS_FORMAT,
        "site": {"id": site.id, "name": site.name, "url": site.base_url},
        "as_of": as_of.isoformat(),
        "built_from": project.head,  # the commit: with as_of, what `smops-policy verify` rebuilds
        "policies": policies,
    }


def dump_json(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=False, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- Atom feeds


ChangeKind = Literal["published", "in-force", "withdrawn", "corrected"]  # corrected: a translation's wording


@dataclass(frozen=True, slots=True)
class Change:
    """A moment in a policy's life that a reader may want to hear about."""

    history: PolicyHistory
    version: Version
    kind: ChangeKind
    when: dt.datetime
    correction: Correction | None = None  # for "corrected"

    @property
    def previous(self) -> Version | None:
        return self.history.previous(self.version) if self.version in self.history.versions else None


def changes(project: Project, site: Site, lang: str, as_of: dt.date) -> list[Change]:
    """Each version's publication (first commit) and, once its date has come, its taking effect;
    newest first. Only what had happened by the end of `as_of`."""
    zone = zoneinfo.ZoneInfo(project.publisher.timezone)
    found: list[Change] = []
    for policy in site.policies:
        history = project.history(policy, lang)
        if history is None:
            continue
        for version in history.versions:
            if version.draft or not version.changed_for_site:
                continue  # a version that leaves this Site's text as it was is no news there
            if version.first_committed is not None:
                published = version.first_committed.astimezone(zone)
                if published.date() <= as_of:
                    found.append(Change(history, version, "published", published))
            if version.effective <= as_of:
                found.append(
                    Change(history, version, "in-force", dt.datetime.combine(version.effective, dt.time(), zone))
                )
            for correction in version.corrections:
                if unchanged_for_site(correction.text, correction.earlier, site):
                    continue  # it corrected another Site's passage: no news here
                if correction.committed is not None and correction.committed.astimezone(zone).date() <= as_of:
                    found.append(
                        Change(history, version, "corrected", correction.committed.astimezone(zone), correction)
                    )
        for gone in history.withdrawn:  # announced, then taken back before it took effect
            if _announced(gone, zone, as_of) and gone.version.first_committed is not None:
                found.append(Change(history, gone.version, "published", gone.version.first_committed.astimezone(zone)))
                found.append(Change(history, gone.version, "withdrawn", gone.withdrawn.astimezone(zone)))
    found.sort(key=lambda c: (c.when, c.history.policy, c.version.key, c.kind), reverse=True)
    return found


def _tag(site: Site, day: dt.date, specific: str) -> str:
    host = urlsplit(site.base_url).hostname or site.id
    return f"tag:{host},{day.isoformat()}:{specific}"


def _entry_ids(site: Site, lang: str, found: list[Change]) -> list[str]:
    """Each change's Atom id (newest first, as `found`). A version number withdrawn and published again
    on the same day would repeat an id; the later one gets `/2` (then `/3`): counted oldest first, so an
    id once in the feed never changes."""
    seen: set[str] = set()
    ids = []
    for change in reversed(found):
        specific = f"{site.id}/{lang}/{change.history.policy}/{change.version.number}/{change.kind}"
        if change.correction is not None:
            specific += f"/{change.correction.number}"
        entry_id = plain = _tag(site, change.when.date(), specific)
        count = 1
        while entry_id in seen:
            count += 1
            entry_id = f"{plain}/{count}"
        seen.add(entry_id)
        ids.append(entry_id)
    return ids[::-1]


def _change_title(ctx: PageContext, change: Change) -> str:
    version = change.version
    if change.kind == "withdrawn":
        return withdrawn_title(ctx, version, change.when.date())
    if change.kind == "corrected":
        return ctx.t("{title} {version}: translation corrected", title=version.title, version=version.number)
    if change.kind == "published":
        return ctx.t(
            "{title} {version} published: it takes effect on {date}",
            title=version.title,
            version=version.number,
            date=ctx.date(version.effective),
        )
    return ctx.t("{title} {version} takes effect", title=version.title, version=version.number)


def feed_xml(ctx: PageContext, project: Project, site: Site) -> str:
    """An Atom feed (RFC 4287) of the policy changes of one Site in one language."""
    lang, base = ctx.lang, site.base_url
    found = changes(project, site, lang, ctx.as_of)
    zone = zoneinfo.ZoneInfo(project.publisher.timezone)
    updated = found[0].when if found else dt.datetime.combine(ctx.as_of, dt.time(), zone)
    title = ctx.t("Policy changes of {site}", site=site.name)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"  <id>{escape(base + feed_url(lang))}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <updated>{updated.isoformat()}</updated>",
        f"  <author><name>{escape(site.name)}</name><uri>{escape(site.url)}</uri></author>",
        f'  <link rel="self" type="application/atom+xml" href="{escape(base + feed_url(lang))}"/>',
        f'  <link rel="alternate" type="text/html" href="{escape(base + changelog_url(lang))}"/>',
    ]
    for change, entry_id in zip(found, _entry_ids(site, lang, found), strict=True):
        version, policy = change.version, change.history.policy
        withdrawn = version not in change.history.versions  # no page of its own: the changelog says why
        link = base + (changelog_url(lang) if withdrawn else version_url(lang, policy, version.number))
        if change.correction is not None:
            link = base + revision_url(lang, policy, version.number, change.correction.number)
        lines += [
            "  <entry>",
            f"    <id>{escape(entry_id)}</id>",
            f"    <title>{escape(_change_title(ctx, change))}</title>",
            f"    <updated>{change.when.isoformat()}</updated>",
            f"    <published>{change.when.isoformat()}</published>",
            f'    <link rel="alternate" type="text/html" href="{escape(link)}"/>',
        ]
        if change.correction is not None:
            changed = base + revision_diff_url(lang, policy, version.number, change.correction.number)
            label = ctx.t("See what was corrected")
            lines.append(f'    <link rel="related" type="text/html" title="{escape(label)}" href="{escape(changed)}"/>')
        elif change.previous is not None:
            changed = base + diff_url(lang, policy, change.previous.number, version.number)
            label = ctx.t("Changes from {version}", version=change.previous.number)
            lines.append(f'    <link rel="related" type="text/html" title="{escape(label)}" href="{escape(changed)}"/>')
        said = change.correction.summary if change.correction is not None else version.summary or version.title
        lines += [f"    <summary>{escape(said)}</summary>", "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- banner fragment


def banner_html(ctx: PageContext, project: Project, site: Site) -> str:
    """A static fragment (no script) announcing upcoming versions; empty when there is none."""
    notes = []
    for policy in site.policies:
        history = project.history(policy, ctx.lang)
        if history is None:
            continue
        for version in history.upcoming(ctx.as_of):
            if not version.changed_for_site:
                continue
            text = ctx.t(
                "{title}: new version {version} takes effect on {date}.",
                version=version.number,
                title=version.title,
                date=ctx.date(version.effective),
            )
            link = site.base_url + version_url(ctx.lang, policy, version.number)
            label = ctx.t("Read version {version}", version=version.number)
            notes.append(
                f'<p><time datetime="{version.effective.isoformat()}">{escape(text)}</time> '
                f'<a href="{escape(link)}" hreflang="{ctx.lang}">{escape(label)}</a></p>'
            )
    if not notes:
        return ""
    return f'<aside class="smops-policy-banner" lang="{ctx.lang}" role="note">{"".join(notes)}</aside>\n'


# --------------------------------------------------------------------------- sitemap


def sitemap_xml(plan: SitePlan) -> str:
    """Every page of a Site, each with its other languages as hreflang alternates."""
    base = plan.site.base_url
    pages = sorted((p for lang in plan.site.languages for p in plan.lang_pages(lang)), key=lambda p: p.url)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
        f"  <url><loc>{escape(base)}</loc></url>",
    ]
    for page in pages:
        lines.append(f"  <url><loc>{escape(base + page.url)}</loc>")
        if page.updated is not None:
            lines.append(f"    <lastmod>{page.updated.isoformat()}</lastmod>")
        for lang, url in sorted(page.alternates.items()):
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{lang}" href="{escape(base + url)}"/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- pages


def changelog_page(ctx: PageContext, histories: list[PolicyHistory]) -> str:
    """Every version of the Site's policies in one language, newest first, with links to read and compare."""
    t, here = ctx.t, changelog_url(ctx.lang)
    entries = sorted(
        ((h, v) for h in histories for v in h.versions if not v.draft),
        key=lambda hv: (hv[1].effective, hv[0].policy, hv[1].key),
        reverse=True,
    )
    items: list[tuple[tuple[dt.date, str, tuple[int, ...]], str]] = [
        ((gone.version.effective, h.policy, gone.version.key), _withdrawn_item(ctx, gone))
        for h in histories
        for gone in h.withdrawn
        if _announced(gone, zoneinfo.ZoneInfo(ctx.publisher.timezone), ctx.as_of)
    ]  # each at the date it was to take effect
    for history in histories:  # a corrected translation: each correction, at its date
        items += revisions.changelog_items(ctx, history, here)
    for history, version in entries:
        status = history.status(version, ctx.as_of)
        link = relative(here, version_url(ctx.lang, history.policy, version.number))
        links = [f'<a href="{link}">{escape(t("Read version {version}", version=version.number))}</a>']
        previous = history.previous(version)
        if previous is not None:
            changed = relative(here, diff_url(ctx.lang, history.policy, previous.number, version.number))
            links.append(f'<a href="{changed}">{escape(t("Changes from {version}", version=previous.number))}</a>')
        items.append(
            (
                (version.effective, history.policy, version.key),
                f'<li class="policy-change policy-change--{status.value}">'
                f"<h2>{escape(version.title)} {escape(version.number)}</h2>"
                f'<p><time datetime="{version.effective.isoformat()}">{escape(t("effective {date}", date=ctx.date(version.effective)))}</time>'
                f' <span class="policy-status policy-status--{status.value}">{escape(ctx.status_label(status))}</span></p>'
                f"<p>{escape(what_changed(ctx, version))}</p><p>{' · '.join(links)}</p></li>",
            )
        )
    items.sort(key=lambda item: item[0], reverse=True)
    feed = relative(here, feed_url(ctx.lang))
    return (
        f"<h1>{escape(t('Changelog'))}</h1>"
        f'<p class="policy-site">{escape(ctx.site.name)}</p>'
        f'<p><a href="{feed}" type="application/atom+xml">{escape(t("Follow these changes (Atom feed)"))}</a></p>'
        f'<ol class="policy-changelog">{"".join(item for _key, item in items)}</ol>'
    )


def withdrawn_title(ctx: PageContext, version: Version, day: dt.date) -> str:
    return ctx.t(
        "{title} {version} withdrawn on {date}: it will not take effect",
        title=version.title,
        version=version.number,
        date=ctx.date(day),
    )


def _announced(gone: Withdrawal, zone: zoneinfo.ZoneInfo, as_of: dt.date) -> bool:
    """Whether readers heard of a withdrawn version (as of the build) before it was taken back."""
    first = gone.version.first_committed
    if not gone.version.changed_for_site:
        return False  # it would have left this Site's text as it was: no news there
    taken_back = gone.withdrawn.astimezone(zone).date()
    return first is not None and first.astimezone(zone).date() <= as_of and taken_back <= as_of


def _withdrawn_item(ctx: PageContext, gone: Withdrawal) -> str:
    """A changelog entry for an upcoming version taken back before its date (it has no page)."""
    day = gone.withdrawn.astimezone(zoneinfo.ZoneInfo(ctx.publisher.timezone)).date()
    return (
        '<li class="policy-change policy-change--withdrawn">'
        f"<h2>{escape(withdrawn_title(ctx, gone.version, day))}</h2>"
        f"<p>{escape(gone.version.summary)}</p></li>"
    )


# A few lines of local script: read versions.json, pick each policy's version in force on the date.
_AS_OF_SCRIPT = """<script>
(function () {
  var form = document.getElementById("policy-as-of"), out = document.getElementById("policy-as-of-result");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var day = form.elements.date.value;
    fetch(form.dataset.index).then(function (r) { return r.json(); }).then(function (index) {
      out.textContent = "";
      Object.keys(index.policies).forEach(function (id) {
        var texts = index.policies[id][form.dataset.lang];
        if (!texts) { return; }
        var found = null;
        texts.versions.forEach(function (v) { if (v.status !== "draft" && v.effective <= day) { found = v; } });
        var line = document.createElement("p");
        if (found) {
          var a = document.createElement("a");
          a.href = form.dataset.root + found.url.slice(index.site.url.length);  // stays on this host
          // both at once, by a function: a title's "$&" is no pattern, its "{version}" no placeholder
          a.textContent = form.dataset.found.replace(/[{](title|version)[}]/g, function (_, key) {
            return key === "title" ? found.title : found.version;
          });
          line.appendChild(a);
        } else {
          line.textContent = form.dataset.none;
        }
        out.appendChild(line);
      });
    });
  });
})();
</script>"""


def as_of_page(ctx: PageContext, histories: list[PolicyHistory]) -> str:
    """A date input; the script shows each policy's version in force on that date. Without script,
    the table below says the same."""
    t, here = ctx.t, as_of_url(ctx.lang)
    rows = []
    for history in histories:
        for version in reversed([v for v in history.versions if not v.draft]):
            link = relative(here, version_url(ctx.lang, history.policy, version.number))
            rows.append(
                f'<tr><th scope="row"><a href="{link}">{escape(version.title)} {escape(version.number)}</a></th>'
                f'<td><time datetime="{version.effective.isoformat()}">{escape(ctx.date(version.effective))}</time></td></tr>'
            )
    found = t("{title}, version {version}", title="{title}", version="{version}")
    return (
        f"<h1>{escape(t('Which version applied on a date'))}</h1>"
        f'<p class="policy-site">{escape(ctx.site.name)}</p>'
        f'<form id="policy-as-of" data-index="{relative(here, VERSIONS_FILE).rstrip("/")}" data-lang="{ctx.lang}"'
        f' data-root="{relative(here, "./")}" data-found="{escape(found)}" data-none="{escape(t("No version was in force on that date."))}">'
        f'<label for="policy-as-of-date">{escape(t("Date"))}</label> '
        f'<input type="date" id="policy-as-of-date" name="date" required value="{ctx.as_of.isoformat()}"> '
        f'<button type="submit" class="md-button">{escape(t("Show"))}</button></form>'
        '<div id="policy-as-of-result" role="status" aria-live="polite"></div>'
        f'<table class="policy-history"><caption>{escape(t("Every version, with the date it took effect"))}</caption>'
        f'<thead><tr><th scope="col">{escape(t("Version"))}</th><th scope="col">{escape(t("Effective date"))}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>" + _AS_OF_SCRIPT
    )
