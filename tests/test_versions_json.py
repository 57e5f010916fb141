"""versions.json, the Atom feed, the banner and the sitemap (pages/outputs.py) as pure functions of an
in-memory project: the values machines and readers rely on. The same outputs from real builds are in
test_publishing.py and the golden files."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from smops_policy.content.project import Project
from smops_policy.model import Correction, PolicyHistory, Publisher, Withdrawal
from smops_policy.pages.bodies import PageContext
from smops_policy.pages.outputs import (
    VERSIONS_FORMAT,
    banner_html,
    dump_json,
    feed_xml,
    sitemap_xml,
    version_record,
    versions_index,
)
from smops_policy.pages.plan import PlannedPage, SitePlan

from .domain import history, site, version

AS_OF = dt.date(2026, 11, 27)
ATOM = "{http://www.w3.org/2005/Atom}"
# Published at one address, linked from another: every URL machines read is under base_url.
ALPHA = site("alpha", url="https://alpha.example/", languages=("en", "nl"), base_url="https://policies.alpha.example/")
V1 = version("1.9", "2020-01-01", committed="2019-12-01T10:00:00+01:00")
V2 = version(
    "1.10",
    "2023-03-01",
    committed="2023-02-10T10:00:00+01:00",
    first="2023-02-01T23:30:00+00:00",  # 00:30 on 2 February in Amsterdam
    summary="Adds a retention clause.",
    body="1. We keep your records safe.\n2. We delete them after a year.\n",
)
V3 = version("2.0", "2031-01-01", committed="2026-11-01T10:00:00+01:00", title="Privacy <Notice> & More")


def project(*histories: PolicyHistory, publisher_sites: tuple = (ALPHA,)) -> Project:
    publisher = Publisher("Europe/Amsterdam", "en", publisher_sites, "en")
    return Project(Path("/nowhere"), publisher, {(h.policy, h.lang): h for h in histories}, head="c0ffee" * 6 + "c0ff")


def ctx(lang: str = "en", as_of: dt.date = AS_OF, the_site=ALPHA) -> PageContext:  # type: ignore[no-untyped-def]
    return PageContext(Publisher("Europe/Amsterdam", "en", (the_site,), "en"), the_site, lang, as_of)


# --------------------------------------------------------------------------- versions.json


def test_versions_json_lists_every_version_with_its_status_and_permalink_under_base_url() -> None:
    index = versions_index(project(history(V1, V2, V3)), ALPHA, AS_OF)
    assert index["format"] == VERSIONS_FORMAT == 1
    assert index["site"] == {"id": "alpha", "name": "Alpha Example", "url": "https://policies.alpha.example/"}
    assert index["as_of"] == "2026-11-27"
    assert index["built_from"] == "c0ffee" * 6 + "c0ff"
    [english] = index["policies"]["privacy"].values()  # no Dutch history: no Dutch entry
    assert list(index["policies"]["privacy"]) == ["en"]
    assert english["url"] == "https://policies.alpha.example/en/privacy/"
    assert english["in_force"] == "1.10"
    records = english["versions"]
    assert [(r["version"], r["status"]) for r in records] == [
        ("1.9", "superseded"),
        ("1.10", "in-force"),
        ("2.0", "upcoming"),
    ]
    assert [r["url"] for r in records] == [
        "https://policies.alpha.example/en/privacy/1.9/",
        "https://policies.alpha.example/en/privacy/1.10/",
        "https://policies.alpha.example/en/privacy/2.0/",
    ]


def test_a_version_record_carries_its_proof_and_its_publication_in_the_publishers_timezone() -> None:
    record = version_record(history(V1, V2, V3), V2, AS_OF, "https://policies.alpha.example/", "Europe/Amsterdam")
    assert record == {
        "version": "1.10",
        "effective": "2023-03-01",
        "status": "in-force",
        "url": "https://policies.alpha.example/en/privacy/1.10/",
        "sha256": V2.sha256,
        "commit": V2.commit,
        "summary": "Adds a retention clause.",
        "title": "Sample Policy",
        "material": True,
        "published": "2023-02-02T00:30:00+01:00",
        "changed_for_site": True,
    }
    draft = version("2.1", "2032-01-01", committed=None)
    assert version_record(history(V1, draft), draft, AS_OF, "", "Europe/Amsterdam")["published"] is None


def test_a_corrected_translation_lists_each_wording_in_versions_json() -> None:
    first = version("1.0", "2020-01-01", lang="nl", body="1. Eerst.\n", committed="2019-12-01T10:00:00+01:00")
    fixed = version("1.0", "2020-01-01", lang="nl", body="1. Later.\n", committed="2020-06-01T10:00:00+02:00")
    corrected = version(
        "1.0", "2020-01-01", lang="nl", body="1. Later.\n", corrections=(Correction(1, "A typo.", first, fixed),)
    )
    record = version_record(history(corrected), corrected, AS_OF, "https://a.example/", "Europe/Amsterdam")
    assert [(r["revision"], r["summary"], r["url"]) for r in record["revisions"]] == [
        (0, "", "https://a.example/nl/privacy/1.0/revisions/0/"),
        (1, "A typo.", "https://a.example/nl/privacy/1.0/revisions/1/"),
    ]
    assert "revisions" not in version_record(history(V1), V1, AS_OF, "", "Europe/Amsterdam")


def test_a_policy_with_nothing_in_force_yet_says_so() -> None:
    index = versions_index(project(history(V3)), ALPHA, AS_OF)
    assert index["policies"]["privacy"]["en"]["in_force"] is None
    assert versions_index(project(), ALPHA, AS_OF)["policies"] == {}


def test_versions_json_is_stable_readable_utf8_json() -> None:
    text = dump_json({"b": "Privacyverklaring – é", "a": [1]})
    assert text == '{\n  "b": "Privacyverklaring – é",\n  "a": [\n    1\n  ]\n}\n'
    assert json.loads(text) == {"b": "Privacyverklaring – é", "a": [1]}


# --------------------------------------------------------------------------- the Atom feed


def entries(feed: str) -> list[tuple[str, str, str]]:
    root = ET.fromstring(feed)
    return [
        (e.findtext(f"{ATOM}title") or "", e.findtext(f"{ATOM}updated") or "", e.find(f"{ATOM}link").get("href"))  # type: ignore[union-attr]
        for e in root.findall(f"{ATOM}entry")
    ]


def test_the_feed_announces_each_publication_and_each_taking_effect_newest_first() -> None:
    feed = feed_xml(ctx(), project(history(V1, V2, V3)), ALPHA)
    root = ET.fromstring(feed)
    assert root.findtext(f"{ATOM}id") == "https://policies.alpha.example/en/feed.atom"
    assert root.findtext(f"{ATOM}updated") == "2026-11-01T10:00:00+01:00"  # the newest entry
    assert entries(feed) == [
        (
            "Privacy <Notice> & More 2.0 published: it takes effect on 1 January 2031",
            "2026-11-01T10:00:00+01:00",
            "https://policies.alpha.example/en/privacy/2.0/",
        ),
        (
            "Sample Policy 1.10 takes effect",
            "2023-03-01T00:00:00+01:00",
            "https://policies.alpha.example/en/privacy/1.10/",
        ),
        (
            "Sample Policy 1.10 published: it takes effect on 1 March 2023",
            "2023-02-02T00:30:00+01:00",
            "https://policies.alpha.example/en/privacy/1.10/",
        ),
        (
            "Sample Policy 1.9 takes effect",
            "2020-01-01T00:00:00+01:00",
            "https://policies.alpha.example/en/privacy/1.9/",
        ),
        (
            "Sample Policy 1.9 published: it takes effect on 1 January 2020",
            "2019-12-01T10:00:00+01:00",
            "https://policies.alpha.example/en/privacy/1.9/",
        ),
    ]
    assert "<title>Privacy &lt;Notice&gt; &amp; More 2.0 published" in feed  # escaped, not raw
    related = [link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel") == "related"]
    assert related[0] == "https://policies.alpha.example/en/privacy/changes/1.10...2.0/"


def test_the_feed_tells_only_what_had_happened_by_the_build_date() -> None:
    feed = feed_xml(ctx(as_of=dt.date(2023, 2, 28)), project(history(V1, V2, V3)), ALPHA)
    assert [title for title, _when, _link in entries(feed)] == [
        "Sample Policy 1.10 published: it takes effect on 1 March 2023",
        "Sample Policy 1.9 takes effect",
        "Sample Policy 1.9 published: it takes effect on 1 January 2020",
    ]
    assert (
        ET.fromstring(feed_xml(ctx(as_of=dt.date(2019, 1, 1)), project(history(V1)), ALPHA)).findtext(f"{ATOM}updated")
        == "2019-01-01T00:00:00+01:00"
    )


def test_each_feed_entry_has_an_id_of_its_own_that_never_changes() -> None:
    gone = Withdrawal(V3, "abc", dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC))
    again = version("2.0", "2031-06-01", committed="2026-11-01T13:00:00+01:00")
    policy = PolicyHistory("privacy", "en", (V1, again), withdrawn=(gone,))
    ids = [
        e.findtext(f"{ATOM}id") for e in ET.fromstring(feed_xml(ctx(), project(policy), ALPHA)).findall(f"{ATOM}entry")
    ]
    assert len(ids) == len(set(ids))
    assert "tag:policies.alpha.example,2026-11-01:alpha/en/privacy/2.0/published/2" in ids
    assert "tag:policies.alpha.example,2026-11-01:alpha/en/privacy/2.0/published" in ids
    assert "tag:policies.alpha.example,2026-11-01:alpha/en/privacy/2.0/withdrawn" in ids


def test_a_version_that_leaves_a_sites_text_as_it_was_is_no_news_there() -> None:
    quiet = version("1.10", "2023-03-01", committed="2023-02-10T10:00:00+01:00", changed_for_site=False)
    assert "1.10" not in feed_xml(ctx(), project(history(V1, quiet)), ALPHA)
    assert banner_html(ctx(), project(history(V1, version("2.0", "2031-01-01", changed_for_site=False))), ALPHA) == ""


# --------------------------------------------------------------------------- the banner


def test_the_banner_announces_each_upcoming_version_escaped_with_a_link_under_base_url() -> None:
    banner = banner_html(ctx(), project(history(V1, V2, V3)), ALPHA)
    assert banner == (
        '<aside class="smops-policy-banner" lang="en" role="note"><p><time datetime="2031-01-01">'
        "Privacy &lt;Notice&gt; &amp; More: new version 2.0 takes effect on 1 January 2031.</time> "
        '<a href="https://policies.alpha.example/en/privacy/2.0/" hreflang="en">Read version 2.0</a></p></aside>\n'
    )


def test_no_upcoming_version_is_an_empty_banner() -> None:
    assert banner_html(ctx(), project(history(V1, V2)), ALPHA) == ""
    assert banner_html(ctx(lang="nl"), project(history(V1, V2, V3)), ALPHA) == ""  # no Dutch text


# --------------------------------------------------------------------------- the sitemap


def NO_BODY() -> tuple[str, tuple[tuple[str, str], ...]]:
    """The sitemap reads a page's address and dates, never its body."""
    raise AssertionError("the sitemap rendered a page body")


def test_the_sitemap_lists_every_page_under_base_url_with_its_other_languages() -> None:
    en = PlannedPage("en/privacy/", "Privacy", NO_BODY, alternates={"nl": "nl/privacy/"}, updated=dt.date(2023, 2, 10))
    nl = PlannedPage("nl/privacy/", "Privacy", NO_BODY, alternates={"en": "en/privacy/"})
    plan = SitePlan(ALPHA, AS_OF, {"nl": [nl], "en": [en]}, {})
    sitemap = sitemap_xml(plan)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(sitemap)
    assert [u.findtext("s:loc", namespaces=ns) for u in root.findall("s:url", ns)] == [
        "https://policies.alpha.example/",
        "https://policies.alpha.example/en/privacy/",
        "https://policies.alpha.example/nl/privacy/",
    ]
    english = root.findall("s:url", ns)[1]
    assert english.findtext("s:lastmod", namespaces=ns) == "2023-02-10"
    assert [(a.get("hreflang"), a.get("href")) for a in english.findall("x:link", ns)] == [
        ("nl", "https://policies.alpha.example/nl/privacy/")
    ]
    assert root.findall("s:url", ns)[2].find("s:lastmod", ns) is None
