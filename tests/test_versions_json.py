"""versions.json, the Atom feed, the banner and the sitemap (pages/outputs.py) as pure functions of an
in-memory project: the values machines and readers rely on. The same outputs from real builds are in
test_publishing.py and the golden files."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

from smops_policy.model import Correction, PolicyHistory, Withdrawal
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
from .site_outputs import ALPHA, AS_OF, NO_BODY, V1, V2, V3, ctx, project

ATOM = "{http://www.w3.org/2005/Atom}"

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


# --------------------------------------------------------------------------- corrections, withdrawals, boundaries

NL_SITE = site("alpha", url="https://alpha.example/", languages=("nl",), base_url="https://policies.alpha.example/")


def corrected_history() -> PolicyHistory:
    first = version("1.0", "2020-01-01", lang="nl", body="1. Eerst.\n", committed="2019-12-01T10:00:00+01:00")
    fixed = version("1.0", "2020-01-01", lang="nl", body="1. Later.\n", committed="2020-06-01T23:30:00+00:00")
    correction = Correction(1, "A typo in clause 1.", first, fixed)
    return history(
        version(
            "1.0",
            "2020-01-01",
            lang="nl",
            body="1. Later.\n",
            committed="2020-06-01T23:30:00+00:00",
            first="2019-12-01T10:00:00+01:00",
            corrections=(correction,),
        )
    )


def test_a_correction_of_a_translation_is_an_entry_linking_the_wording_and_its_redline() -> None:
    feed = feed_xml(ctx("nl", the_site=NL_SITE), project(corrected_history()), NL_SITE)
    root = ET.fromstring(feed)
    newest = root.findall(f"{ATOM}entry")[0]
    assert newest.findtext(f"{ATOM}title") == "Sample Policy 1.0: vertaling gecorrigeerd"
    assert newest.findtext(f"{ATOM}updated") == "2020-06-02T01:30:00+02:00"  # in the publisher's timezone
    assert newest.findtext(f"{ATOM}id") == "tag:policies.alpha.example,2020-06-02:alpha/nl/privacy/1.0/corrected/1"
    assert newest.findtext(f"{ATOM}summary") == "A typo in clause 1."
    links = {link.get("rel"): link for link in newest.findall(f"{ATOM}link")}
    assert links["alternate"].get("href") == "https://policies.alpha.example/nl/privacy/1.0/revisions/1/"
    assert links["related"].get("href") == "https://policies.alpha.example/nl/privacy/1.0/revisions/1/changes/"
    assert links["related"].get("title") == "Bekijk wat is gecorrigeerd"
    # by the day before it, the correction had not happened
    earlier = feed_xml(ctx("nl", as_of=dt.date(2020, 6, 1), the_site=NL_SITE), project(corrected_history()), NL_SITE)
    assert "gecorrigeerd" not in earlier
    assert "vertaling gecorrigeerd" in feed_xml(
        ctx("nl", as_of=dt.date(2020, 6, 2), the_site=NL_SITE), project(corrected_history()), NL_SITE
    )


def test_a_correction_of_another_sites_passage_is_no_news_here() -> None:
    body = "1. Eerst.\n<!-- only: beta -->\n2. Beta.\n<!-- end only -->\n"
    first = version("1.0", "2020-01-01", lang="nl", body=body, committed="2019-12-01T10:00:00+01:00")
    fixed = version(
        "1.0", "2020-01-01", lang="nl", body=body.replace("Beta.", "Bèta."), committed="2020-06-01T10:00:00+02:00"
    )
    text = version("1.0", "2020-01-01", lang="nl", body=fixed.body, corrections=(Correction(1, "Beta", first, fixed),))
    assert "gecorrigeerd" not in feed_xml(ctx("nl", the_site=NL_SITE), project(history(text)), NL_SITE)


def test_a_withdrawn_upcoming_version_is_announced_then_withdrawn_linking_to_the_changelog() -> None:
    gone = Withdrawal(V3, "abc", dt.datetime(2026, 11, 10, 23, 30, tzinfo=dt.UTC))  # 00:30 on the 11th there
    policy = PolicyHistory("privacy", "en", (V1, V2), withdrawn=(gone,))
    root = ET.fromstring(feed_xml(ctx(), project(policy), ALPHA))
    newest = root.findall(f"{ATOM}entry")[0]
    assert newest.findtext(f"{ATOM}title") == (
        "Privacy <Notice> & More 2.0 withdrawn on 11 November 2026: it will not take effect"
    )
    assert newest.findtext(f"{ATOM}updated") == "2026-11-11T00:30:00+01:00"
    assert newest.find(f"{ATOM}link").get("href") == "https://policies.alpha.example/en/changelog/"  # type: ignore[union-attr]
    second = root.findall(f"{ATOM}entry")[1]
    assert second.findtext(f"{ATOM}title", "").startswith("Privacy <Notice> & More 2.0 published")
    # not yet taken back (as of the 10th), or taken back before anyone heard of it: nothing to tell
    assert "withdrawn" not in feed_xml(ctx(as_of=dt.date(2026, 11, 10)), project(policy), ALPHA)
    quiet = Withdrawal(version("2.0", "2031-01-01", changed_for_site=False), "abc", gone.withdrawn)
    silent = PolicyHistory("privacy", "en", (V1, V2), withdrawn=(quiet,))
    assert "2.0" not in feed_xml(ctx(), project(silent), ALPHA)
    unpublished = Withdrawal(version("2.0", "2031-01-01", committed="2026-11-20T10:00:00+01:00"), "abc", gone.withdrawn)
    assert "2.0" not in feed_xml(
        ctx(as_of=dt.date(2026, 11, 19)),
        project(PolicyHistory("privacy", "en", (V1,), withdrawn=(unpublished,))),
        ALPHA,
    )


def test_the_feed_shows_what_happened_on_the_build_date_itself() -> None:
    feed = feed_xml(ctx(as_of=dt.date(2023, 3, 1)), project(history(V1, V2)), ALPHA)
    assert "Sample Policy 1.10 takes effect" in feed
    feed = feed_xml(ctx(as_of=dt.date(2023, 2, 2)), project(history(V1, V2)), ALPHA)
    assert "Sample Policy 1.10 published" in feed
    assert "Sample Policy 1.10 published" not in feed_xml(
        ctx(as_of=dt.date(2023, 2, 1)), project(history(V1, V2)), ALPHA
    )


def test_a_version_without_a_summary_is_summed_up_by_its_title() -> None:
    bare = version("1.0", "2020-01-01", summary="")
    summaries = [
        e.findtext(f"{ATOM}summary")
        for e in ET.fromstring(feed_xml(ctx(), project(history(bare)), ALPHA)).findall(f"{ATOM}entry")
    ]
    assert summaries == ["Sample Policy", "Sample Policy"]


def test_the_feed_names_the_site_and_links_its_changelog() -> None:
    root = ET.fromstring(feed_xml(ctx(lang="nl", the_site=NL_SITE), project(), NL_SITE))
    assert root.findtext(f"{ATOM}title") == "Wijzigingen in de juridische documenten van Alpha Example"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {
        "self": "https://policies.alpha.example/nl/feed.atom",
        "alternate": "https://policies.alpha.example/nl/changelog/",
    }
    author = root.find(f"{ATOM}author")
    assert (author.findtext(f"{ATOM}name"), author.findtext(f"{ATOM}uri")) == (
        "Alpha Example",
        "https://alpha.example/",
    )  # type: ignore[union-attr]
    related = [
        e.find(f"{ATOM}link[@rel='related']").get("title")  # type: ignore[union-attr]
        for e in ET.fromstring(feed_xml(ctx(), project(history(V1, V2)), ALPHA)).findall(f"{ATOM}entry")
        if e.find(f"{ATOM}link[@rel='related']") is not None
    ]
    assert related == ["Changes from 1.9", "Changes from 1.9"]


def test_every_policy_of_a_site_is_in_its_feed_banner_and_versions_json() -> None:
    """A policy without a text in this language, or with only quiet versions, comes first in the
    Site's list: the ones after it are announced all the same."""
    both = site("alpha", languages=("en",), policies=("cookies", "privacy", "terms"))
    quiet = version("1.0", "2020-01-01", policy="cookies", changed_for_site=False)
    quiet_upcoming = version("2.0", "2031-01-01", policy="cookies", changed_for_site=False)
    terms = version("1.0", "2031-02-01", policy="terms", committed="2026-11-02T10:00:00+01:00")
    everything = project(history(quiet, quiet_upcoming), history(V1, V2, V3), history(terms), publisher_sites=(both,))
    feed = feed_xml(ctx(the_site=both), everything, both)
    assert "Sample Policy 2.0 published" not in feed and "1.9 takes effect" in feed and "/terms/1.0/" in feed
    banner = banner_html(ctx(the_site=both), everything, both)
    assert banner.count("<p>") == 2 and "/privacy/2.0/" in banner and "/terms/1.0/" in banner
    lonely = site("alpha", languages=("en",), policies=("absent", "privacy"))
    assert "/privacy/2.0/" in banner_html(
        ctx(the_site=lonely), project(history(V1, V3), publisher_sites=(lonely,)), lonely
    )
    assert "1.9 takes effect" in feed_xml(ctx(the_site=lonely), project(history(V1), publisher_sites=(lonely,)), lonely)
    index = versions_index(project(history(V1), publisher_sites=(lonely,)), lonely, AS_OF)
    assert list(index["policies"]) == ["privacy"]


def test_the_sitemap_is_utf8_xml_with_one_url_element_per_page() -> None:
    sitemap = sitemap_xml(SitePlan(ALPHA, AS_OF, {"en": [PlannedPage("en/privacy/", "Privacy", NO_BODY)]}, {}))
    assert sitemap.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert sitemap.count("<url>") == sitemap.count("</url>") == 2


def test_every_quiet_version_is_left_out_not_only_the_first() -> None:
    quiet = [
        version(f"1.{n}", f"202{n}-06-01", committed=f"202{n}-05-01T10:00:00+02:00", changed_for_site=False)
        for n in (1, 2)
    ]
    feed = feed_xml(
        ctx(), project(history(V1, *quiet, version("2.0", "2025-01-01", committed="2024-12-01T10:00:00+01:00"))), ALPHA
    )
    assert "<title>Sample Policy 1.1 " not in feed and "<title>Sample Policy 1.2 " not in feed
    assert "Sample Policy 2.0 takes effect" in feed


def test_a_withdrawal_on_the_build_date_is_in_that_days_feed() -> None:
    gone = Withdrawal(V3, "abc", dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC))
    policy = PolicyHistory("privacy", "en", (V1, V2), withdrawn=(gone,))
    assert "withdrawn on 27 November 2026" in feed_xml(ctx(as_of=dt.date(2026, 11, 27)), project(policy), ALPHA)
    announced = version("2.0", "2031-01-01", committed="2026-11-27T10:00:00+01:00")
    same_day = Withdrawal(announced, "abc", dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC))
    assert "withdrawn" in feed_xml(
        ctx(as_of=dt.date(2026, 11, 27)), project(PolicyHistory("privacy", "en", (V1,), withdrawn=(same_day,))), ALPHA
    )


def test_the_feed_banner_and_sitemap_are_these_bytes() -> None:
    feed = feed_xml(ctx(), project(history(V1)), ALPHA)
    assert feed.endswith("    <summary>Version 1.9.</summary>\n  </entry>\n</feed>\n")
    assert feed.count("\n  <entry>\n") == 2
    two = history(V1, V2, V3, version("3.0", "2032-01-01", committed="2026-11-02T10:00:00+01:00"))
    banner = banner_html(ctx(), project(two), ALPHA)
    assert "</a></p><p><time" in banner  # one paragraph per upcoming version, nothing between
    sitemap = sitemap_xml(SitePlan(ALPHA, AS_OF, {"en": [PlannedPage("en/privacy/", "Privacy", NO_BODY)]}, {}))
    assert sitemap.endswith("<url><loc>https://policies.alpha.example/en/privacy/</loc>\n  </url>\n</urlset>\n")


def test_taking_effect_has_an_id_of_its_own() -> None:
    root = ET.fromstring(feed_xml(ctx(), project(history(V1)), ALPHA))
    assert [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")] == [
        "tag:policies.alpha.example,2020-01-01:alpha/en/privacy/1.9/in-force",
        "tag:policies.alpha.example,2019-12-01:alpha/en/privacy/1.9/published",
    ]


def test_a_language_without_a_text_does_not_hide_the_next_one() -> None:
    german_first = site("alpha", languages=("de", "en"), base_url="https://policies.alpha.example/")
    index = versions_index(project(history(V1), publisher_sites=(german_first,)), german_first, AS_OF)
    assert list(index["policies"]["privacy"]) == ["en"]


def test_a_quiet_upcoming_version_does_not_hide_the_next_one_in_the_banner() -> None:
    quiet = version("2.0", "2030-01-01", changed_for_site=False)
    banner = banner_html(ctx(), project(history(V1, quiet, version("3.0", "2031-01-01"))), ALPHA)
    assert "/privacy/3.0/" in banner and "/privacy/2.0/" not in banner
