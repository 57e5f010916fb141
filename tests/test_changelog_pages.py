"""A Site's changelog and its "which version applied on a date" page (pages/outputs.py), made from an
in-memory project without a build: what a reader finds there, newest first, with working links. The
same pages from real builds are in test_publishing.py."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from smops_policy.build.site_files import write_site_files
from smops_policy.model import PolicyHistory, Withdrawal
from smops_policy.pages.outputs import as_of_page, changelog_page
from smops_policy.pages.plan import site_pages
from smops_policy.pages.planned import PlannedPage, SitePlan

from .domain import history, site, version
from .htmlpage import ParsedPage
from .site_outputs import ALPHA, AS_OF, NO_BODY, V1, V2, V3, ctx, project


def parsed(html: str) -> ParsedPage:
    page = ParsedPage()
    page.feed(html)
    return page


def test_the_changelog_lists_every_version_newest_first_with_its_status_and_links() -> None:
    draft = version("2.1", "2032-01-01", committed=None)
    page = parsed(changelog_page(ctx(), [history(V1, V2, V3, draft)]))
    assert page.texts("h1") == ["Changelog"]
    assert page.texts("p", class_="policy-site") == ["Alpha Example"]
    assert page.texts("h2") == ["Privacy <Notice> & More 2.0", "Sample Policy 1.10", "Sample Policy 1.9"]  # no draft
    html = changelog_page(ctx(), [history(V1, V2)])
    assert "</li><li " in html and "Read version 1.10</a> · <a " in html  # items and links joined plainly
    items = page.all("li")
    assert [i.attrs["class"] for i in items] == [
        "policy-change policy-change--upcoming",
        "policy-change policy-change--in-force",
        "policy-change policy-change--superseded",
    ]
    assert page.texts("time") == ["effective 1 January 2031", "effective 1 March 2023", "effective 1 January 2020"]
    assert [t.attrs["datetime"] for t in page.all("time")] == ["2031-01-01", "2023-03-01", "2020-01-01"]
    assert page.texts("span", class_="policy-status") == ["Upcoming", "In force", "Superseded"]
    assert "Adds a retention clause." in page.texts("p")
    links = [(a.attrs["href"], " ".join(a.text.split())) for a in page.all("a")]
    assert links == [
        ("../feed.atom", "Follow these changes (Atom feed)"),
        ("../privacy/2.0/", "Read version 2.0"),
        ("../privacy/changes/1.10...2.0/", "Changes from 1.10"),
        ("../privacy/1.10/", "Read version 1.10"),
        ("../privacy/changes/1.9...1.10/", "Changes from 1.9"),
        ("../privacy/1.9/", "Read version 1.9"),
    ]
    assert page.all("a")[0].attrs["type"] == "application/atom+xml"


def test_the_changelog_orders_several_policies_by_date_and_says_when_a_sites_text_did_not_change() -> None:
    terms = version("1.0", "2021-06-01", policy="terms", title="Terms", changed_for_site=False)
    page = parsed(changelog_page(ctx(), [history(V1, V2), history(terms)]))
    assert page.texts("h2") == ["Sample Policy 1.10", "Terms 1.0", "Sample Policy 1.9"]
    assert "No change to this Site's text" in page.texts("p")


def test_a_withdrawn_upcoming_version_is_in_the_changelog_at_its_date_once_announced() -> None:
    gone = Withdrawal(V3, "abc", dt.datetime(2026, 11, 10, 23, 30, tzinfo=dt.UTC))
    policy = PolicyHistory("privacy", "en", (V1, V2), withdrawn=(gone,))
    page = parsed(changelog_page(ctx(), [policy]))
    assert page.texts("h2")[0] == "Privacy <Notice> & More 2.0 withdrawn on 11 November 2026: it will not take effect"
    assert page.all("li")[0].attrs["class"] == "policy-change policy-change--withdrawn"
    assert "Version 2.0." in page.texts("p")  # its summary
    before = parsed(changelog_page(ctx(as_of=dt.date(2026, 11, 10)), [policy]))
    assert not [h for h in before.texts("h2") if "withdrawn" in h]


def test_the_as_of_page_lists_each_version_and_points_its_script_at_versions_json() -> None:
    draft = version("2.1", "2032-01-01", committed=None)
    html = as_of_page(ctx(), [history(V1, V2, V3, draft)])
    page = parsed(html)
    assert page.texts("h1") == ["Which version applied on a date"]
    assert page.texts("th", scope="row") == ["Privacy <Notice> & More 2.0", "Sample Policy 1.10", "Sample Policy 1.9"]
    assert [a.attrs["href"] for a in page.all("a")] == ["../privacy/2.0/", "../privacy/1.10/", "../privacy/1.9/"]
    assert page.texts("td") == ["1 January 2031", "1 March 2023", "1 January 2020"]
    [form] = page.all("form")
    assert form.attrs["data-index"] == "../../versions.json"
    assert form.attrs["data-root"] == "../../"
    assert form.attrs["data-lang"] == "en"
    assert form.attrs["data-found"] == "{title}, version {version}"
    assert form.attrs["data-none"] == "No version was in force on that date."
    [date] = [i for i in page.all("input") if i.attrs.get("type") == "date"]
    assert date.attrs["value"] == AS_OF.isoformat()
    assert page.texts("caption") == ["Every version, with the date it took effect"]
    assert page.texts("button") == ["Show"]
    assert html.endswith("</script>")
    assert "</tr><tr>" in html and '<div id="policy-as-of-result" role="status" aria-live="polite"></div>' in html


def test_a_site_with_policies_gets_a_changelog_and_an_as_of_page_in_its_navigation() -> None:
    nav: list[tuple[str, str]] = []
    pages = site_pages(ctx(), project(history(V1, V2)), nav)
    assert nav == [("Changelog", "en/changelog/"), ("Which version applied on a date", "en/as-of/")]
    assert [(p.url, p.title, p.updated) for p in pages] == [
        ("en/changelog/", "Changelog", dt.date(2023, 2, 10)),  # the newest commit
        ("en/as-of/", "Which version applied on a date", dt.date(2023, 2, 10)),
    ]
    assert "Sample Policy 1.10" in pages[0].content()[0]
    assert "Which version applied" in pages[1].content()[0]
    assert site_pages(ctx(lang="nl"), project(history(V1)), []) == []
    drafts_only = site_pages(ctx(), project(history(version("1.0", "2030-01-01", committed=None))), [])
    assert [p.updated for p in drafts_only] == [None, None]


def test_a_sites_outputs_are_written_into_its_folder(tmp_path: Path) -> None:
    pages = {"en": [PlannedPage("en/privacy/", "Privacy", NO_BODY)], "nl": []}
    plan = SitePlan(ALPHA, AS_OF, pages, {})
    write_site_files(project(history(V1, V2, V3)), plan, tmp_path)
    index = json.loads((tmp_path / "versions.json").read_text(encoding="utf-8"))
    assert index["policies"]["privacy"]["en"]["in_force"] == "1.10"
    assert "<loc>https://policies.alpha.example/en/privacy/</loc>" in (tmp_path / "sitemap.xml").read_text(
        encoding="utf-8"
    )
    assert "takes effect" in (tmp_path / "en" / "feed.atom").read_text(encoding="utf-8")
    assert "Read version 2.0" in (tmp_path / "en" / "banner.html").read_text(encoding="utf-8")
    assert not (tmp_path / "nl").exists()  # no pages in Dutch: no feed or banner either
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en", "sitemap.xml", "versions.json"]
    dutch_first = SitePlan(site("alpha", languages=("nl", "en")), AS_OF, pages, {})
    (tmp_path / "dutch-first").mkdir()  # the Site's folder exists: the build made it
    write_site_files(project(history(V1)), dutch_first, tmp_path / "dutch-first")
    assert (tmp_path / "dutch-first" / "en" / "feed.atom").is_file()


def test_the_as_of_page_speaks_the_sites_language() -> None:
    nl_version = version("1.0", "2020-01-01", lang="nl", title="Privacyverklaring")
    page = parsed(as_of_page(ctx(lang="nl"), [history(nl_version)]))
    assert page.texts("h1") == ["Welke versie gold op een bepaalde datum?"]
    assert page.texts("label") == ["Datum"]
    assert page.texts("th", scope="col") == ["Versie", "Ingangsdatum"]
    assert page.texts("button") == ["Tonen"]
