"""Text from the content shows exactly as written on every page, and addresses are checked.

Titles, summaries, Site names and Site values are escaped for the context they land in, in our own
templates and in mkdocs-material's; sites.yml's addresses are absolute http(s) URLs; a Site value that
lands in a link target makes a safe link or none.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import html5lib
import pytest

from .conftest import SITES_YML, PolicyRepo, policy_text
from .htmlpage import html_pages, loads, parse

AS_OF = "2026-11-25"
TITLE = 'Terms & "Conditions" <2026><script>alert(1)</script>'
SUMMARY = 'Says "why" <img src=x onerror=alert(2)> & more'
NAME = 'Alpha "Co" <b>&</b><script>alert(3)</script>'


def hostile_sites(name: str = NAME, extra: str = "") -> str:
    return SITES_YML.replace("name: Alpha Example", f"name: '{name}'" + extra)


def build(repo: PolicyRepo, out: Path) -> None:
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)


def test_hostile_titles_summaries_and_site_names_show_as_typed_on_every_page(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    repo = policy_repo
    repo.write("policies/sites.yml", hostile_sites())
    clauses = ["We keep your records safe.", "Write to {{ site.support_url }}."]
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", clauses, title=TITLE, summary=f"'{SUMMARY}'"))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", clauses, title=TITLE, summary=f"'{SUMMARY}'"))
    repo.commit("hostile-looking text", "2019-12-01T10:00:00+01:00")
    assert repo.smops("check").returncode == 0
    out = tmp_path / "site"
    build(repo, out)
    plain = tmp_path / "plain"
    repo.write("policies/sites.yml", SITES_YML)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", clauses))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", clauses))
    repo.commit("plain text", "2019-12-02T10:00:00+01:00")
    build(repo, plain)

    current = parse(out / "alpha/en/privacy/index.html")
    assert current.texts("title") == [f"{TITLE} - {NAME}"]
    assert [m.attrs["content"] for m in current.all("meta") if m.attrs.get("name") == "description"] == [SUMMARY]
    assert current.texts("h1", class_="policy-title") == [TITLE]
    assert current.texts("p", class_="policy-site") == [NAME]
    assert TITLE in current.texts("span", class_="md-ellipsis")  # the navigation
    assert NAME in current.texts("span", class_="md-ellipsis")  # the header's Site name
    logo = next(a for a in current.all("a") if "md-logo" in a.attrs.get("class", ""))
    assert logo.attrs["title"] == NAME and logo.attrs["aria-label"] == NAME
    assert f"What changed: {SUMMARY}" in current.texts("p", class_="policy-summary")

    # Nothing runs or loads on any page that a plain build's same page does not run or load.
    for page in html_pages(out):
        twin = plain / page.relative_to(out)
        got, expected = loads(parse(page)), loads(parse(twin))
        assert got.scripts <= expected.scripts, page
        assert got.sources <= expected.sources, page
        assert not got.handlers, page

    history = parse(out / "alpha/en/privacy/history/index.html")
    assert SUMMARY in history.texts("td")
    assert history.texts("h1") == [f"Version history: {TITLE}"]
    site_index = parse(out / "alpha/index.html")
    assert site_index.texts("title") == [NAME] and site_index.texts("h1") == [NAME]
    assert NAME in parse(out / "index.html").texts("a")
    feed = (out / "alpha/en/feed.atom").read_text(encoding="utf-8")
    assert "<script>" not in feed and "&lt;script&gt;alert(3)" in feed
    index = json.loads((out / "alpha/versions.json").read_text(encoding="utf-8"))
    assert index["site"]["name"] == NAME
    assert index["policies"]["privacy"]["en"]["versions"][0]["title"] == TITLE


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("url", "'https://alpha.example/\"><script>alert(1)</script>'", "is not an https:// address ending in '/'"),
        ("url", "alpha.example/", "is not an https:// address ending in '/'"),
        ("url", "//alpha.example/", "is not an https:// address ending in '/'"),
        ("url", "ftp://alpha.example/", "is not an https:// address ending in '/'"),
        ("url", "https://alpha.example/?utm=1/", "without ? or #"),
        ("url", "https://alpha.example", "must end with '/'"),
        ("base_url", "https://alpha.example/legal", "must end with '/'"),
        ("base_url", "javascript:alert(1)//", "is not an https:// address"),
        ("support_url", "javascript:alert(1)", "is not an absolute https:// address"),
        ("support_url", "/help", "is not an absolute https:// address"),
        ("support_url", "'https://alpha.example/help\"onmouseover=x'", "is not an absolute https:// address"),
        ("terms_url", "data:text/html,<script>", "is not an absolute https:// address"),
        ("contact_url", "42", "is not an absolute https:// address"),
    ],
)
def test_sites_addresses_must_be_absolute_http_urls(policy_repo: PolicyRepo, key: str, value: str, says: str) -> None:
    repo = policy_repo
    text = SITES_YML.replace("    support_url: https://alpha.example/help\n", "")
    text = text.replace("    url: https://alpha.example/\n", "")
    entries = {"url": "https://alpha.example/", "support_url": "https://alpha.example/help", key: value}
    lines = "".join(f"    {k}: {v}\n" for k, v in entries.items())
    text = text.replace("    name: Alpha Example\n", "    name: Alpha Example\n" + lines)
    repo.write("policies/sites.yml", text)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", ["One clause."]))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", ["Eén clausule."]))
    repo.commit("sites", "2019-12-01T10:00:00+01:00")
    line = text.splitlines().index(f"    {key}: {value}") + 1
    for command in ("check", "build"):
        result = repo.smops(command, "--as-of", AS_OF) if command == "build" else repo.smops(command)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert re.search(
            rf"^policies/sites\.yml:{line}: Site 'alpha': {key} .*{re.escape(says)}", result.stderr, re.M
        ), result.stderr
        assert f"write e.g. {key}:" in result.stderr or f'write {key}: "' in result.stderr
    assert not (repo.path / "site").exists()


def test_a_site_value_that_makes_an_unsafe_link_is_refused_by_check_and_never_linked(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    repo = policy_repo
    sites = hostile_sites("Alpha Example", "\n    handle: javascript:alert(document.domain)\n    domain: alpha.example")
    beta = "name: Beta Example\n    handle: '@beta'\n    domain: beta.example"
    repo.write("policies/sites.yml", sites.replace("name: Beta Example", beta))
    clauses = [
        "Help ({{ site.handle }}) is at [our help page]({{ site.support_url }}), or <https://{{ site.domain }}/contact>.",
        "Or [click here]({{ site.handle }}).",
    ]
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", clauses))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", ["Hulp: {{ site.support_url }}.", "Twee."]))
    repo.commit("a value in a link", "2019-12-01T10:00:00+01:00")
    result = repo.smops("check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(
        r"^policies/privacy/en\.md:11: \{\{ site\.handle \}\} makes the link target 'javascript:alert\(document\.domain\)'"
        r" for Site 'alpha', which is not a safe link \(give that key an https:// address",
        result.stderr,
        re.M,
    ), result.stderr
    assert "'beta'" not in result.stderr  # '@beta' is a relative link: safe, if useless
    out = tmp_path / "site"
    build(repo, out)  # check skipped: the value still never becomes a link
    page = parse(out / "alpha/en/privacy/index.html")
    links = {" ".join(a.text.split()): a.attrs.get("href") for a in page.all("a") if a.text.strip()}
    assert links["our help page"] == "https://alpha.example/help"
    assert links["click here"] is None
    assert links["https://alpha.example/contact"] == "https://alpha.example/contact"  # a value in a host name
    assert not loads(page).handlers  # no javascript: link anywhere (as text it is harmless)
    assert "Help (javascript:alert(document.domain)) is at" in page.text


def test_placeholders_in_title_and_summary_are_filled_per_site_and_checked(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    repo = policy_repo
    title, summary = '"Privacy at {{ site.name }}"', '"What {{ site.name }} changed."'
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", ["One."], title=title, summary=summary))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", ["Eén."], title=title, summary=summary))
    repo.commit("titles with Site values", "2019-12-01T10:00:00+01:00")
    assert repo.smops("check").returncode == 0
    out = tmp_path / "site"
    build(repo, out)
    for site, name in (("alpha", "Alpha Example"), ("beta", "Beta Example")):
        page = parse(out / site / "en/privacy/index.html")
        assert page.texts("h1", class_="policy-title") == [f"Privacy at {name}"]
        assert page.texts("title") == [f"Privacy at {name} - {name}"]
        assert f"What changed: What {name} changed." in page.texts("p", class_="policy-summary")
        record = json.loads((out / site / "versions.json").read_text(encoding="utf-8"))
        assert record["policies"]["privacy"]["en"]["versions"][0]["title"] == f"Privacy at {name}"
        assert f"<summary>What {name} changed.</summary>" in (out / site / "en/feed.atom").read_text(encoding="utf-8")
    assert "{{" not in "".join(p.read_text(encoding="utf-8") for p in html_pages(out))
    verified = repo.smops("verify", "--output", str(out))
    assert verified.returncode == 0, verified.stdout + verified.stderr

    repo.write(
        "policies/privacy/en.md",
        policy_text("1.1", "2030-01-01", ["One."], title='"Privacy at {{ site.brand }}"', summary=summary),
    )
    repo.commit("an unknown key in the title", "2026-11-01T10:00:00+01:00")
    result = repo.smops("check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(
        r"^policies/privacy/en\.md:2: unknown placeholder \{\{ site\.brand \}\} for Site 'alpha'", result.stderr, re.M
    )


def test_the_table_of_contents_shows_each_heading_as_it_reads(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    repo.write("policies/sites.yml", hostile_sites("Alpha & <Co>"))
    sections = {
        1: "**What** & {{ site.name }}",
        2: "The `code` and [a link](https://example.org/) <abbr title='x'>GDPR</abbr>",
    }
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", ["One.", "Two."], sections=sections))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", ["Eén.", "Twee."], sections=sections))
    repo.commit("headings with Markdown", "2019-12-01T10:00:00+01:00")
    out = tmp_path / "site"
    build(repo, out)
    for url in ("alpha/en/privacy/index.html", "alpha/en/privacy/1.0/index.html"):
        page = parse(out / url)
        toc = [
            " ".join(a.text.split())
            for a in page.all("a")
            if a.attrs.get("href", "").startswith("#section-") and "md-nav__link" in a.attrs.get("class", "").split()
        ]
        assert toc and set(toc) == {"What & Alpha & <Co>", "The code and a link GDPR"}, toc
        labels = {n.attrs["aria-label"] for n in page.all("nav") if "aria-label" in n.attrs}
        assert "\ue000" not in str(labels) and "**" not in str(labels)
    raw = (out / "alpha/en/privacy/index.html").read_text(encoding="utf-8")
    assert "&amp;amp;" not in raw and "\ue000" not in raw and "\ue001" not in raw


def test_every_page_is_well_formed_html_and_every_label_names_a_control(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    repo = policy_repo
    v1 = [
        "An open <sup>tag and <abbr title='x'>a nested one</sup> left to close.",
        "A stray </em> closing tag, <b>bold\n\n<em>a block left open",
        "<div><script>alert(1)</script> refused tags shown as text",
    ]
    sections = {2: "A heading <sub>with an open tag"}
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", v1, sections=sections))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", v1, sections=sections))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    repo.write("policies/privacy/en.md", policy_text("1.1", "2023-01-01", [*v1, "New <i>clause"], sections=sections))
    repo.commit("1.1", "2022-12-01T10:00:00+01:00")
    out = tmp_path / "site"
    build(repo, out)
    pages = html_pages(out)
    assert any(p.parent.name == "1.0" for p in pages) and any("changes" in p.parts for p in pages)
    current = parse(out / "alpha/en/privacy/index.html")
    assert current.texts("sup") == ["tag and a nested one"]  # closed where the editor closed it
    assert current.texts("abbr", title="x") == ["a nested one"]
    for path in pages:
        if path.name == "banner.html":
            continue  # a fragment for other pages, not a page
        parser = html5lib.HTMLParser(strict=False)
        parser.parse(path.read_text(encoding="utf-8"))
        assert parser.errors == [], f"{path.relative_to(out)}: {parser.errors[:5]}"
        page = parse(path)
        ids = {e.attrs["id"] for e in page.elements if "id" in e.attrs}
        dangling = [label.attrs["for"] for label in page.all("label") if label.attrs.get("for") not in ids | {None}]
        assert not dangling, f"{path.relative_to(out)}: <label for> names no element: {dangling}"


def test_the_toc_override_is_materials_own_but_for_its_label() -> None:
    """A drift test: overrides/partials/toc.html is mkdocs-material's, with one marked change."""
    import material

    ours = (Path(__file__).parent.parent / "overrides/partials/toc.html").read_text(encoding="utf-8")
    theirs = (Path(material.__file__).parent / "templates/partials/toc.html").read_text(encoding="utf-8")
    undone = re.sub(r"\{#-\n  smops-policy:.*?-#\}\n", "", ours, count=1, flags=re.S)
    undone = re.sub(r"    \{#- smops-policy:.*?-#\}\n    \{% if page in nav.pages %\}\n", "", undone, flags=re.S)
    undone = re.sub(r"    \{% else %\}\n.*?    \{% endif %\}\n", "", undone, count=1, flags=re.S)
    assert undone == re.sub(r"\{#-\n  This file was automatically generated - do not edit\n-#\}\n", "", theirs)
