"""The page plan (pages/plan.py) on in-memory histories: which pages a Site gets in each language, at
which address, with which title, in which order, which pairs of versions get a redline, where each
page's language switcher leads, and what the pages show of the Site's own reading (its values, its
summaries, its unchanged versions). Pure: no git, no build (bodies are rendered, milliseconds)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from smops_policy.model import Correction, Withdrawal
from smops_policy.pages.caches import BodyCache, DiffCache
from smops_policy.pages.plan import diff_pairs, language_names, plan_site

from .domain import history, site, version
from .htmlpage import ParsedPage
from .site_outputs import AS_OF, project

if TYPE_CHECKING:
    from smops_policy.content.project import Project
    from smops_policy.model import PolicyHistory, Site
    from smops_policy.pages.planned import PlannedPage, SitePlan

# One Site in English and Dutch with two policies; as of 2026-11-27 privacy 1.2 is in force, 2.0 and
# 2.1 are upcoming; its title and summary carry a Site value. Terms exist only in English.
ALPHA = site(
    "alpha",
    url="https://alpha.example/",
    languages=("en", "nl"),
    policies=("privacy", "terms"),
    base_url="https://policies.alpha.example/",
)
P10 = version("1.0", "2020-01-01", committed="2019-12-01T10:00:00+01:00")
P11 = version(
    "1.1",
    "2021-06-01",
    committed="2021-05-01T10:00:00+01:00",
    body="1. We keep your records safe.\n2. We delete them after a year.\n",
    summary="Adds a retention clause.",
)
P12 = version(
    "1.2",
    "2023-03-01",
    committed="2023-02-10T10:00:00+01:00",
    title="Privacy Notice of {{ site.name }}",
    summary="Write to {{ site.name }}.",
    body="1. We keep your records safe.\n\n## Contact {{ site.name }}\n\n2. We delete them after a year.\n"
    "3. Write to {{ site.name }}.\n",
)
P20 = version("2.0", "2031-01-01", committed="2026-11-01T10:00:00+01:00", title="Privacy <Notice> & More")
P21 = version(
    "2.1",
    "2032-01-01",
    committed="2026-11-02T10:00:00+01:00",
    title="Privacy <Notice> & More",
    body="1. We keep your records safer.\n",
)
NL10 = version(
    "1.0",
    "2020-01-01",
    lang="nl",
    title="Privacyverklaring",
    committed="2019-12-01T10:00:00+01:00",
    body="1. Wij bewaren uw gegevens veilig.\n",
)
# terms 1.1 reads as 1.0 did: the Site's text did not change
T10 = version("1.0", "2020-01-01", policy="terms", title="Terms & <Conditions>", committed="2019-11-01T10:00:00+01:00")
T11 = version("1.1", "2022-01-01", policy="terms", title="Terms & <Conditions>", committed="2021-12-01T10:00:00+01:00")


def _project() -> Project:
    return project(history(P10, P11, P12, P20, P21), history(NL10), history(T10, T11), publisher_sites=(ALPHA,))


def _plan(the_project: Project | None = None, the_site: Site = ALPHA, as_of: dt.date = AS_OF) -> SitePlan:
    return plan_site(the_project or _project(), the_site, as_of, BodyCache(), DiffCache())


def _page(plan: SitePlan, url: str) -> PlannedPage:
    lang = url.split("/", 1)[0]
    return next(p for p in plan.lang_pages(lang) if p.url == url)


def _body(plan: SitePlan, url: str) -> str:
    return _page(plan, url).content()[0]


def _parsed(html: str) -> ParsedPage:
    page = ParsedPage()
    page.feed(html)
    return page


def _links(html: str) -> list[str]:
    return [a.attrs["href"] for a in _parsed(html).all("a")]


def test_each_language_gets_its_front_page_policies_permalinks_redlines_changelog_and_as_of_page() -> None:
    plan = _plan()
    assert plan.site == ALPHA and plan.as_of == AS_OF
    english = [(p.url, p.title, p.in_nav, p.searchable, p.updated) for p in plan.lang_pages("en")]
    assert english == [
        ("en/", "Policies of Alpha Example", True, False, dt.date(2026, 11, 2)),  # the newest commit shown
        ("en/privacy/", "Privacy Notice of alpha", True, True, dt.date(2026, 11, 2)),
        ("en/privacy/history/", "Version history: Privacy Notice of alpha", True, False, dt.date(2026, 11, 2)),
        ("en/privacy/1.0/", "Sample Policy 1.0", False, False, dt.date(2019, 12, 1)),
        ("en/privacy/1.1/", "Sample Policy 1.1", False, False, dt.date(2021, 5, 1)),
        ("en/privacy/1.2/", "Privacy Notice of alpha 1.2", False, False, dt.date(2023, 2, 10)),
        ("en/privacy/2.0/", "Privacy <Notice> & More 2.0", False, False, dt.date(2026, 11, 1)),
        ("en/privacy/2.1/", "Privacy <Notice> & More 2.1", False, False, dt.date(2026, 11, 2)),
        ("en/privacy/changes/1.0...1.1/", "Changes to Privacy Notice of alpha: version 1.0 → 1.1", False, False, dt.date(2021, 5, 1)),
        ("en/privacy/changes/1.1...1.2/", "Changes to Privacy Notice of alpha: version 1.1 → 1.2", False, False, dt.date(2023, 2, 10)),
        ("en/privacy/changes/1.2...2.0/", "Changes to Privacy Notice of alpha: version 1.2 → 2.0", False, False, dt.date(2026, 11, 1)),
        ("en/privacy/changes/2.0...2.1/", "Changes to Privacy Notice of alpha: version 2.0 → 2.1", False, False, dt.date(2026, 11, 2)),
        ("en/privacy/changes/1.0...1.2/", "Changes to Privacy Notice of alpha: version 1.0 → 1.2", False, False, dt.date(2023, 2, 10)),
        ("en/privacy/changes/1.2...2.1/", "Changes to Privacy Notice of alpha: version 1.2 → 2.1", False, False, dt.date(2026, 11, 2)),
        ("en/terms/", "Terms & <Conditions>", True, True, dt.date(2021, 12, 1)),
        ("en/terms/history/", "Version history: Terms & <Conditions>", True, False, dt.date(2021, 12, 1)),
        ("en/terms/1.0/", "Terms & <Conditions> 1.0", False, False, dt.date(2019, 11, 1)),
        ("en/terms/1.1/", "Terms & <Conditions> 1.1", False, False, dt.date(2021, 12, 1)),
        ("en/terms/changes/1.0...1.1/", "Changes to Terms & <Conditions>: version 1.0 → 1.1", False, False, dt.date(2021, 12, 1)),
        ("en/changelog/", "Changelog", False, False, dt.date(2026, 11, 2)),
        ("en/as-of/", "Which version applied on a date", False, False, dt.date(2026, 11, 2)),
    ]  # fmt: skip
    dutch = [(p.url, p.title, p.in_nav, p.updated) for p in plan.lang_pages("nl")]
    assert dutch == [
        ("nl/", "Juridische documenten van Alpha Example", True, dt.date(2019, 12, 1)),
        ("nl/privacy/", "Privacyverklaring", True, dt.date(2019, 12, 1)),
        ("nl/privacy/history/", "Versiegeschiedenis: Privacyverklaring", True, dt.date(2019, 12, 1)),
        ("nl/privacy/1.0/", "Privacyverklaring 1.0", False, dt.date(2019, 12, 1)),
        ("nl/changelog/", "Wijzigingenoverzicht", False, dt.date(2019, 12, 1)),
        ("nl/as-of/", "Welke versie gold op een bepaalde datum?", False, dt.date(2019, 12, 1)),
    ]
    assert list(plan.pages) == ["en", "nl"]


def test_the_navigation_lists_the_front_page_each_policy_and_its_history_then_changelog_and_as_of() -> None:
    assert _plan().nav == {
        "en": [
            ("Policies", "en/"),
            ("Privacy Notice of alpha", "en/privacy/"),
            ("Privacy Notice of alpha: Version history", "en/privacy/history/"),
            ("Terms & <Conditions>", "en/terms/"),
            ("Terms & <Conditions>: Version history", "en/terms/history/"),
            ("Changelog", "en/changelog/"),
            ("Which version applied on a date", "en/as-of/"),
        ],
        "nl": [
            ("Juridische documenten", "nl/"),
            ("Privacyverklaring", "nl/privacy/"),
            ("Privacyverklaring: Versiegeschiedenis", "nl/privacy/history/"),
            ("Wijzigingenoverzicht", "nl/changelog/"),
            ("Welke versie gold op een bepaalde datum?", "nl/as-of/"),
        ],
    }


def test_redlines_compare_each_version_with_the_one_before_and_the_one_in_force_with_older_and_upcoming_ones() -> None:
    versions = history(P10, P11, P12, P20, P21)
    pairs = [(old.number, new.number) for old, new in diff_pairs(versions, AS_OF)]
    assert pairs == [("1.0", "1.1"), ("1.1", "1.2"), ("1.2", "2.0"), ("2.0", "2.1"), ("1.0", "1.2"), ("1.2", "2.1")]
    # none in force yet: only each with the one before it
    assert [(o.number, n.number) for o, n in diff_pairs(versions, dt.date(2019, 1, 1))] == pairs[:4]
    # the last in force: nothing upcoming, every older version against it
    late = [(o.number, n.number) for o, n in diff_pairs(versions, dt.date(2032, 1, 1))]
    assert late == [*pairs[:4], ("1.0", "2.1"), ("1.1", "2.1"), ("1.2", "2.1")]
    assert len(set(late)) == len(late)  # (2.0, 2.1) once, though both rules give it
    # a draft is compared with the version before it only
    draft = version("3.0", "2033-01-01", committed=None)
    with_draft = [(o.number, n.number) for o, n in diff_pairs(history(P10, P11, P12, draft), AS_OF)]
    assert with_draft == [("1.0", "1.1"), ("1.1", "1.2"), ("1.2", "3.0"), ("1.0", "1.2")]
    assert diff_pairs(history(P10), AS_OF) == []


def test_the_history_page_offers_exactly_the_redlines_the_site_publishes() -> None:
    plan = _plan()
    body = _body(plan, "en/privacy/history/")
    assert "<h1>Version history: Privacy Notice of alpha</h1>" in body
    assert _links(body)[:2] == ["../2.1/", "../changes/2.0...2.1/"]  # links from where the page is
    compare = body[body.index('<section class="policy-compare">') :]
    assert _links(compare) == [
        "../changes/2.0...2.1/",
        "../changes/1.2...2.1/",
        "../changes/1.2...2.0/",
        "../changes/1.1...1.2/",
        "../changes/1.0...1.2/",
        "../changes/1.0...1.1/",
    ]
    published = {p.url for p in plan.lang_pages("en")}
    assert {f"en/privacy/{link.removeprefix('../')}" for link in _links(compare)} <= published
    assert "policy-compare" not in _body(plan, "nl/privacy/history/")  # one version: nothing to compare
    assert _page(plan, "en/privacy/history/").content()[1] == ()


def test_the_policy_page_shows_the_version_in_force_and_announces_the_upcoming_ones() -> None:
    plan = _plan()
    page = _page(plan, "en/privacy/")
    html, toc = page.content()
    assert '<h1 class="policy-title">Privacy Notice of alpha</h1>' in html
    assert "Write to alpha." in html and "{{" not in html  # the Site's values in its text
    assert P12.commit in html and P12.sha256 in html  # the proof of 1.2, the version in force
    assert "A new version 2.0 of this policy takes effect on 1 January 2031." in html
    assert "A new version 2.1 of this policy takes effect on 1 January 2032." in html
    assert "no longer in force" not in html
    assert page.description == "Write to alpha."
    assert toc == (("section-contact-name", "Contact alpha"),)  # headings as read, Site values filled


def test_a_permalink_shows_its_own_version_and_says_when_it_is_no_longer_in_force() -> None:
    plan = _plan()
    old = _body(plan, "en/privacy/1.0/")
    assert '<h1 class="policy-title">Sample Policy</h1>' in old
    assert P10.commit in old and P12.commit not in old
    assert "This version is no longer in force. Version 1.2 applies since 1 March 2023." in old
    assert "takes effect on 1 January 2031" not in old  # a superseded permalink announces nothing
    assert _links(old)[:2] == ["../", "../changes/1.0...1.2/"]  # the version in force, what changed since
    current = _body(plan, "en/privacy/1.2/")
    assert "A new version 2.0 of this policy takes effect on 1 January 2031." in current
    upcoming = _page(plan, "en/privacy/2.0/")
    assert '<h1 class="policy-title">Privacy &lt;Notice&gt; &amp; More</h1>' in upcoming.content()[0]
    assert "This version takes effect on 1 January 2031." in upcoming.content()[0]
    assert upcoming.description == "Version 2.0."
    assert _page(plan, "en/privacy/1.2/").content()[1] == (("section-contact-name", "Contact alpha"),)
    assert _page(plan, "en/privacy/1.0/").content()[1] == ()  # no headings, no table of contents


def test_a_translation_links_its_source_text_in_force_and_the_prevailing_text_of_its_version() -> None:
    html = _body(_plan(), "nl/privacy/")
    notices = {a.attrs["href"]: a.text for a in _parsed(html).all("a") if a.attrs.get("hreflang") == "en"}
    assert notices == {
        "../../en/privacy/": "Lees de geldende tekst in het Engels",  # 1.2 applies in English
        "../../en/privacy/1.0/": "Lees de tekst in het Engels",  # the English text this one translates
    }


def test_a_redline_page_is_headed_by_the_policy_title_escaped_with_both_versions_and_the_sites_values() -> None:
    plan = _plan()
    terms = _body(plan, "en/terms/changes/1.0...1.1/")
    assert terms.startswith("<h1>Changes to Terms &amp; &lt;Conditions&gt;: version 1.0 → 1.1</h1>")
    privacy = _page(plan, "en/privacy/changes/1.1...1.2/")
    html, toc = privacy.content()
    assert html.startswith("<h1>Changes to Privacy Notice of alpha: version 1.1 → 1.2</h1>")
    assert _links(html)[:2] == ["../../1.1/", "../../1.2/"]  # old, then new
    assert "Write to alpha." in html and "{{" not in html
    assert toc == ()
    removed = _body(plan, "en/privacy/changes/1.2...2.0/")
    assert _links(removed) == ["../../1.2/", "../../2.0/", "../../1.2/#clause-2", "../../1.2/#clause-3"]
    assert privacy.description == "Write to alpha."  # what the newer version changed


def test_the_front_page_lists_each_policy_with_its_version_in_force() -> None:
    page = _page(_plan(), "en/")
    html = page.content()[0]
    text = _parsed(html).text
    assert "Privacy Notice of alpha" in text and "Version 1.2, effective 1 March 2023" in text
    assert "Terms & <Conditions>" in text and "Version 1.1, effective 1 January 2022" in text
    assert _links(html) == ["privacy/", "privacy/history/", "terms/", "terms/history/"]
    assert page.content()[1] == ()


def test_the_language_switcher_leads_to_the_same_page_else_the_policy_else_the_front_page() -> None:
    plan = _plan()
    switch = {p.url: p.alternates for p in plan.lang_pages("en")}
    assert switch["en/privacy/1.0/"] == {"en": "en/privacy/1.0/", "nl": "nl/privacy/1.0/"}
    assert switch["en/privacy/1.2/"] == {"en": "en/privacy/1.2/", "nl": "nl/privacy/"}  # not translated
    assert switch["en/privacy/changes/1.0...1.1/"]["nl"] == "nl/privacy/"
    assert switch["en/changelog/"]["nl"] == "nl/changelog/"
    assert switch["en/terms/"]["nl"] == "nl/"  # no Dutch terms at all
    assert switch["en/terms/1.0/"]["nl"] == "nl/"
    assert switch["en/"] == {"en": "en/", "nl": "nl/"}
    back = {p.url: p.alternates for p in plan.lang_pages("nl")}
    assert back["nl/privacy/1.0/"] == {"en": "en/privacy/1.0/", "nl": "nl/privacy/1.0/"}
    assert back["nl/as-of/"] == {"en": "en/as-of/", "nl": "nl/as-of/"}
    only_nl = _plan(project(history(NL10), publisher_sites=(ALPHA,)))
    assert {p.url: p.alternates["en"] for p in only_nl.lang_pages("nl")} == {
        "nl/": "en/",
        "nl/privacy/": "en/",
        "nl/privacy/history/": "en/",
        "nl/privacy/1.0/": "en/",
        "nl/changelog/": "en/",
        "nl/as-of/": "en/",
    }
    assert only_nl.lang_pages("en") == [_page(only_nl, "en/")]  # the front page, though it lists nothing


def test_a_version_that_leaves_the_sites_text_as_it_was_says_so() -> None:
    plan = _plan()
    assert _page(plan, "en/terms/1.1/").description == "No change to this Site's text"
    assert _page(plan, "en/terms/changes/1.0...1.1/").description == "No change to this Site's text"
    assert _page(plan, "en/terms/1.0/").description == "Version 1.0."  # a first version always changes
    assert "What changed" not in _body(plan, "en/terms/1.1/")
    terms = plan.project.history("terms", "en") if plan.project else None
    assert terms is not None and [v.changed_for_site for v in terms.versions] == [True, False]


def test_a_site_reads_its_own_summary_and_values_in_titles_and_summaries() -> None:
    own = version(
        "1.1",
        "2021-06-01",
        committed="2021-05-01T10:00:00+01:00",
        title="Privacy at {{ site.name }}",
        body="1. We keep your records safe.\n2. New.\n",
        site_summaries=(("alpha", "Alpha: {{ site.name }} keeps less."), ("beta", "Beta's own.")),
    )
    plan = _plan(project(history(P10, own), publisher_sites=(ALPHA,)))
    assert _page(plan, "en/privacy/1.1/").title == "Privacy at alpha 1.1"
    assert _page(plan, "en/privacy/1.1/").description == "Alpha: alpha keeps less."
    assert _page(plan, "en/privacy/").title == "Privacy at alpha"
    read = plan.project.history("privacy", "en") if plan.project else None
    assert read is not None and read.versions[1].summary == "Alpha: alpha keeps less."
    assert read.versions[0] == P10  # nothing of the Site's in it: as written
    plain = version("1.1", "2022-01-01", policy="terms", body="1. Other.\n", site_summaries=(("alpha", "Alpha only."),))
    terms = _plan(project(history(T10, plain), publisher_sites=(ALPHA,)))
    assert _page(terms, "en/terms/1.1/").description == "Alpha only."
    single = _plan(project(history(P12), publisher_sites=(ALPHA,)))  # every version has a Site value
    assert _page(single, "en/privacy/").title == "Privacy Notice of alpha"


def test_a_withdrawn_upcoming_version_is_read_as_the_site_reads_it() -> None:
    gone = version("2.0", "2031-01-01", committed="2026-10-01T10:00:00+01:00", summary="For {{ site.name }}.")
    same = version("2.0", "2031-01-01", committed="2026-10-01T10:00:00+01:00", body=P11.body)
    when = dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC)
    withdrawn = (Withdrawal(gone, "ab" * 20, when), Withdrawal(same, "cd" * 20, when))
    again = version("2.0", "2031-01-01", committed="2026-11-20T10:00:00+01:00", body="1. Announced again.\n")
    privacy = history(P10, P11, again)  # nothing of the Site's in the versions themselves
    privacy = type(privacy)(privacy.policy, privacy.lang, privacy.versions, withdrawn)
    plan = _plan(project(privacy, publisher_sites=(ALPHA,)))
    assert plan.project is not None
    read = plan.project.history("privacy", "en")
    assert read is not None
    assert [w.version.summary for w in read.withdrawn] == ["For alpha.", "Version 2.0."]
    # compared with the highest version below it, 1.1 (not 2.0 as announced again): the second left
    # the Site's text as it was
    assert [w.version.changed_for_site for w in read.withdrawn] == [True, False]


def _withdrawn_terms(on: str) -> PolicyHistory:
    return history(T10, T11, withdrawn_on=on)


def test_a_policy_the_site_withdrew_keeps_its_addresses_as_an_archive_outside_the_navigation() -> None:
    old = version(
        "1.0", "2020-01-01", policy="cookies", title="Cookies at {{ site.name }}", committed="2019-10-01T10:00:00+01:00"
    )
    newer = version(
        "1.1",
        "2021-01-01",
        policy="cookies",
        title="Cookie rules",
        committed="2020-10-01T10:00:00+01:00",
        body="1. New.\n",
    )
    archive = history(old, newer, withdrawn_on="2025-01-01")
    dutch = history(version("1.0", "2020-01-01", policy="cookies", lang="nl", committed="2019-10-01T10:00:00+01:00"))
    base = project(history(P10, P11), history(NL10), publisher_sites=(ALPHA,))  # nothing to fill but the archive
    with_archive = type(base)(
        base.root, base.publisher, base.histories, base.head, archives={"alpha": (archive, dutch), "beta": (archive,)}
    )
    plan = _plan(with_archive)
    cookies = [(p.url, p.title, p.in_nav, p.updated) for p in plan.lang_pages("en") if "/cookies/" in p.url]
    assert cookies == [
        ("en/cookies/", "Cookie rules", False, dt.date(2025, 1, 1)),  # the last version's title
        ("en/cookies/history/", "Version history: Cookie rules", True, dt.date(2020, 10, 1)),
        ("en/cookies/1.0/", "Cookies at alpha 1.0", False, dt.date(2019, 10, 1)),
        ("en/cookies/1.1/", "Cookie rules 1.1", False, dt.date(2020, 10, 1)),
        ("en/cookies/changes/1.0...1.1/", "Changes to Cookie rules: version 1.0 → 1.1", False, dt.date(2020, 10, 1)),
    ]
    assert not any("cookies" in url for _title, url in plan.nav["en"])
    assert [p.url for p in plan.lang_pages("nl") if "/cookies/" in p.url] == [
        "nl/cookies/",
        "nl/cookies/history/",
        "nl/cookies/1.0/",
    ]
    front = _body(plan, "en/cookies/")
    assert "This policy was withdrawn on 1 January 2025. It no longer applies." in front
    assert _links(front) == ["1.1/", "1.0/", "history/"]
    assert '<h1 class="policy-title">Cookies at alpha</h1>' in _body(plan, "en/cookies/1.0/")
    assert _links(_body(plan, "en/cookies/changes/1.0...1.1/"))[:2] == ["../../1.0/", "../../1.1/"]
    assert plan.project is not None and plan.project.archives["alpha"][0].versions[0].title == "Cookies at alpha"
    assert plan.project.archives["beta"] == (archive,)  # another Site's archive as it was
    assert [p.url for p in plan.lang_pages("en")][-2:] == ["en/changelog/", "en/as-of/"]


def test_a_policy_withdrawn_after_the_date_is_still_in_force_then() -> None:
    base = _project()
    histories = {**base.histories, ("terms", "en"): _withdrawn_terms("2027-01-01")}
    page = _page(_plan(type(base)(base.root, base.publisher, histories, base.head)), "en/terms/")
    assert (page.in_nav, page.searchable, page.updated) == (True, True, dt.date(2021, 12, 1))
    histories = {**base.histories, ("terms", "en"): _withdrawn_terms("2026-11-27")}  # that very day
    page = _page(_plan(type(base)(base.root, base.publisher, histories, base.head)), "en/terms/")
    assert (page.in_nav, page.searchable, page.updated) == (False, False, dt.date(2026, 11, 27))
    assert "It no longer applies." in page.content()[0]
    assert page.content()[1] == ()


def test_a_policy_with_only_upcoming_versions_says_none_is_in_force_yet() -> None:
    first = version("2.0", "2031-01-01", committed="2026-11-01T10:00:00+01:00", title="Its first title")
    plan = _plan(project(history(first, P21), publisher_sites=(ALPHA,)))
    page = _page(plan, "en/privacy/")  # under the newest version's title
    assert (page.title, page.in_nav, page.searchable, page.description) == ("Privacy <Notice> & More", True, False, "")
    assert page.updated == dt.date(2026, 11, 2)
    assert _links(page.content()[0]) == ["2.0/", "2.1/"]
    html, toc = page.content()
    assert '<h1 class="policy-title">Privacy &lt;Notice&gt; &amp; More</h1>' in html
    assert "No version of this policy is in force yet." in html and toc == ()
    assert "Not yet in force" in _body(plan, "en/")
    assert [p.url for p in plan.lang_pages("en") if "changes" in p.url] == ["en/privacy/changes/2.0...2.1/"]


def test_a_drafts_preview_shows_the_newest_draft_where_none_is_in_force() -> None:
    upcoming = version("2.0", "2031-01-01", committed="2026-11-01T10:00:00+01:00", body="1. Committed.\n")
    draft = version("2.1", "2032-01-01", committed=None, title="Draft title", body="1. The draft.\n")
    plan = _plan(project(history(upcoming, draft), publisher_sites=(ALPHA,)))
    page = _page(plan, "en/privacy/")
    assert (page.title, page.in_nav, page.searchable, page.updated) == ("Draft title", True, True, dt.date(2026, 11, 1))
    html = page.content()[0]
    assert "The draft." in html and "Committed." not in html
    assert "A new version 2.0 of this policy takes effect on 1 January 2031." in html  # as the page will say
    assert _page(plan, "en/privacy/2.1/").updated is None
    drafts_only = _plan(project(history(draft), publisher_sites=(ALPHA,)))
    assert [p.updated for p in drafts_only.lang_pages("en")] == [None] * len(drafts_only.lang_pages("en"))


def test_a_corrected_translation_gets_a_page_per_wording_and_a_redline_per_correction() -> None:
    first = version("1.0", "2020-01-01", lang="nl", title="Privacy", body="1. Wij bewaren.\n")
    fixed = version(
        "1.0",
        "2020-01-01",
        lang="nl",
        title="Privacy",
        body="1. Wij bewaren veilig.\n",
        committed="2020-03-01T10:00:00+01:00",
    )
    corrected = version(
        "1.0",
        "2020-01-01",
        lang="nl",
        title="Privacy",
        body=fixed.body,
        corrections=(Correction(1, "Typo.", first, fixed),),
    )
    plan = _plan(project(history(P10, P11), history(corrected), publisher_sites=(ALPHA,)))
    assert [p.url for p in plan.lang_pages("nl") if "revisions" in p.url] == [
        "nl/privacy/1.0/revisions/0/",
        "nl/privacy/1.0/revisions/1/",
        "nl/privacy/1.0/revisions/1/changes/",
    ]
    assert "Wij bewaren." in _body(plan, "nl/privacy/1.0/revisions/0/")
    assert "Wij bewaren veilig." in _body(plan, "nl/privacy/1.0/revisions/1/")
    assert "<ins>" in _body(plan, "nl/privacy/1.0/revisions/1/changes/")


def test_every_language_a_site_offers_is_named_in_its_own_language() -> None:
    assert language_names(("en", "nl")) == {"en": "English", "nl": "Nederlands"}
    assert language_names(()) == {}


def test_two_redlines_of_the_same_texts_each_link_their_own_old_version() -> None:
    two = "1. We keep your records safe.\n2. We delete them after a year.\n"
    first = version("1.0", "2020-01-01", policy="terms", committed="2019-11-01T10:00:00+01:00", body=two)
    same = version("1.1", "2021-01-01", policy="terms", committed="2020-11-01T10:00:00+01:00", body=two)
    shorter = version("1.2", "2022-01-01", policy="terms", committed="2021-11-01T10:00:00+01:00")
    plan = _plan(project(history(first, same, shorter), publisher_sites=(ALPHA,)))
    assert _links(_body(plan, "en/terms/changes/1.0...1.2/"))[2:] == ["../../1.0/#clause-2"]
    assert _links(_body(plan, "en/terms/changes/1.1...1.2/"))[2:] == ["../../1.1/#clause-2"]


def test_a_policy_not_written_in_a_language_is_left_out_there_and_the_next_one_is_not() -> None:
    plan = _plan(project(history(T10, T11), publisher_sites=(ALPHA,)))
    assert [p.url for p in plan.lang_pages("en")][:3] == ["en/", "en/terms/", "en/terms/history/"]
    assert [url for _title, url in plan.nav["en"]][1:3] == ["en/terms/", "en/terms/history/"]
