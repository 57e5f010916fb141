"""Issue 4: translations kept in step with their source, Dutch interface text and dates, per-language pages."""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from smops_policy import i18n
from smops_policy.errors import Problems

from .conftest import ROOT, PolicyRepo, policy_text

CATALOG = ROOT / "smops_policy" / "locales" / "nl" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def text_of(page: str) -> str:
    """A page's text as a visitor reads it."""
    inline = re.sub(r"</?(?:a|code|em|strong|span|time|ins|del)\b[^>]*>", "", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def build(repo: PolicyRepo, out: Path, as_of: str = "2026-11-25") -> Path:
    repo.smops("build", "--as-of", as_of, "--output", str(out), check=True)
    return out


def links(page: str, rel: str = "alternate") -> dict[str, str]:
    found = {}
    for tag in re.findall(r"<link\b[^>]*>", page):
        if f'rel="{rel}"' in tag and "hreflang=" in tag:
            code = re.search(r'hreflang="([^"]+)"', tag)
            href = re.search(r'href="([^"]+)"', tag)
            assert code and href
            assert code.group(1) not in found, f"two alternate links for {code.group(1)}"
            found[code.group(1)] = href.group(1)
    return found


# ------------------------------------------------------------------ catalogs


def test_every_message_the_code_uses_is_translated_in_the_dutch_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pot = tmp_path / "messages.pot"
    # `pybabel extract` in the repository, through the console script's own command line, in this process
    monkeypatch.chdir(ROOT)
    babel_log = logging.getLogger("babel")
    handlers, level = list(babel_log.handlers), babel_log.level
    keywords = ["-k", "t", "-k", "N_", "-k", "gettext:2"]
    try:
        code = CommandLineInterface().run(
            ["pybabel", "extract", "-F", "babel.cfg", *keywords, "-o", str(pot), "smops_policy"]
        )
    finally:  # babel's command sets its logger's level and gives it a handler bound to this test's stderr
        babel_log.handlers[:] = handlers
        babel_log.setLevel(level)
    assert not code  # the console script's exit status
    with pot.open("rb") as handle:
        used = {str(m.id) for m in read_po(handle) if m.id}
    # messages written inside f-strings are found too, and gettext's message is its second argument
    assert {"Effective date", "Version history", "This version takes effect on {date}.", "Policies of {site}"} <= used
    assert used == set(i18n.code_messages())
    with CATALOG.open("rb") as handle:
        catalog = {str(m.id): m for m in read_po(handle) if m.id}
    assert sorted(used - set(catalog)) == []
    untranslated = sorted(m for m in used if not catalog[m].string or catalog[m].fuzzy)
    assert untranslated == []
    for message in used:
        assert set(PLACEHOLDER.findall(str(catalog[message].string))) == set(PLACEHOLDER.findall(message)), message
    problems = Problems()
    i18n.check_catalog("nl", used, problems)
    assert problems.items == []


def test_interface_messages_read_as_natural_dutch() -> None:
    assert i18n.gettext("nl", "Effective date") == "Ingangsdatum"
    assert i18n.gettext("nl", "Version history") == "Versiegeschiedenis"
    assert (
        i18n.gettext("nl", "This version takes effect on {date}.", date="1 januari 2031")
        == "Deze versie treedt in werking op 1 januari 2031."
    )
    assert i18n.gettext("en", "Effective date") == "Effective date"


def test_a_message_missing_from_a_catalog_is_reported_with_the_catalog_file(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    broken = locales / "nl" / "LC_MESSAGES" / "messages.po"
    broken.parent.mkdir(parents=True)
    text = CATALOG.read_text(encoding="utf-8")
    text = re.sub(r'\n(#[^\n]*\n)*msgid "Effective date"\nmsgstr "Ingangsdatum"\n', "\n", text)
    text = text.replace('msgid "Version history"', '#, fuzzy\nmsgid "Version history"')
    broken.write_text(text, encoding="utf-8")
    problems = Problems()
    i18n.check_catalog("nl", i18n.code_messages(), problems, locales_dir=locales)
    reported = [str(p) for p in problems.errors]
    assert f"{broken}: lacks the message 'Effective date', which the code uses" in "\n".join(reported)
    assert any(r.startswith(f"{broken}:") and "fuzzy" in r and "'Version history'" in r for r in reported)
    assert len(reported) == 2

    problems = Problems()
    i18n.check_catalog("de", ["Effective date"], problems, locales_dir=locales)
    assert [p.path for p in problems.errors] == [str(locales / "de" / "LC_MESSAGES" / "messages.po")]


def test_a_catalog_that_does_not_parse_is_an_error_with_path_and_line(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    broken = locales / "nl" / "LC_MESSAGES" / "messages.po"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Version"\nmsgstr "Versie"\n\nmsgid "Status\nmsgstr \n', encoding="utf-8"
    )
    problems = Problems()
    i18n.check_catalog("nl", ["Version"], problems, locales_dir=locales)
    [problem] = problems.errors
    assert problem.path == str(broken)
    assert problem.line == 7
    assert "does not compile" in problem.message


# ------------------------------------------------------------------ dates and numbers


def test_dates_and_numbers_follow_the_language() -> None:
    day = dt.date(2016, 12, 13)
    assert i18n.format_date(day, "en") == "13 December 2016"
    assert i18n.format_date(day, "nl") == "13 december 2016"
    assert i18n.format_number(1234567, "en") == "1,234,567"
    assert i18n.format_number(1234567, "nl") == "1.234.567"
    # a moment is read as a date in the timezone of sites.yml
    late = dt.datetime(2016, 12, 12, 23, 30, tzinfo=dt.UTC)
    assert i18n.local_date(late, "Europe/Amsterdam") == day


def test_the_real_dutch_pages_speak_dutch_on_every_site(real_site: Path) -> None:
    for site_id in ("smops-soft", "calcitnow", "verifythisemail"):
        for url in ("nl/privacy/", "nl/privacy/1.0/", "nl/privacy/history/"):
            page = read(real_site / site_id, url)
            assert '<html lang="nl"' in page
            text = text_of(page)
            assert "13 december 2016" in text, (site_id, url)
            assert "Versiegeschiedenis" in text
            assert "Effective date" not in text and "Version history" not in text
        current = text_of(read(real_site / site_id, "nl/privacy/"))
        assert "Privacyverklaring" in current and "Ingangsdatum" in current


# ------------------------------------------------------------------ a translation behind its source


def test_dutch_pages_say_the_translation_lags_and_link_the_current_english_text(three_versions_output: Path) -> None:
    site = three_versions_output / "alpha"  # `build --as-of 2026-11-25` of the three versions

    current = read(site, "nl/privacy/")
    text = text_of(current)
    assert (
        "Deze vertaling is verouderd: zij is gebaseerd op versie 1.0 van de tekst in het Engels, "
        "terwijl sinds 1 maart 2023 versie 1.1 van die tekst geldt."
    ) in text
    assert re.search(r'<a href="\.\./\.\./en/privacy/" hreflang="en">Lees de geldende tekst in het Engels</a>', current)
    assert "Bij verschillen tussen deze tekst en de tekst in het Engels prevaleert de tekst in het Engels." in text
    assert '<a href="../../en/privacy/1.0/" hreflang="en">Lees de tekst in het Engels</a>' in current
    assert "Ingangsdatum" in text and "1 januari 2020" in text and "Van kracht" in text

    permalink = read(site, "nl/privacy/1.0/")
    assert "Deze vertaling is verouderd:" in text_of(permalink)
    assert '<a href="../../../en/privacy/" hreflang="en">' in permalink

    # the Dutch history follows the Dutch versions, in Dutch
    history = text_of(read(site, "nl/privacy/history/"))
    assert "Versiegeschiedenis: Voorbeeldbeleid" in history
    assert "1 januari 2020" in history and "1.1" not in history and "2.0" not in history

    # the source text itself carries no such notices
    english = text_of(read(site, "en/privacy/"))
    assert "out of date" not in english and "prevails" not in english


def test_a_translation_behind_only_an_upcoming_source_version_says_so(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    repo = three_versions
    repo.write(
        "policies/privacy/nl.md",
        policy_text(
            "1.1",
            "2023-03-01",
            [
                "Wij bewaren uw gegevens veilig.",
                "Wij beantwoorden vragen via {{ site.support_url }}.",
                "Wij verwijderen gegevens na één jaar.",
                "Wij houden deze tekst kort.",
            ],
            title="Voorbeeldbeleid",
            summary="Voegt een bewaartermijn toe.",
            sections={2: "Contact"},
        ),
    )
    repo.commit("Dutch 1.1", "2026-11-02T10:00:00+01:00")
    site = build(repo, tmp_path / "out") / "alpha"
    page = read(site, "nl/privacy/")
    text = text_of(page)
    assert "verouderd" not in text
    assert (
        "Dit is een vertaling van versie 1.1 van de tekst in het Engels. "
        "Versie 2.0 van die tekst treedt op 1 januari 2031 in werking en is nog niet vertaald."
    ) in text
    assert '<a href="../../en/privacy/2.0/" hreflang="en">Lees versie 2.0 van de tekst in het Engels</a>' in page
    result = repo.smops("check")
    assert result.returncode == 0, result.stderr
    assert (
        "policies/privacy/nl.md:3: warning: translates version 1.1, but policies/privacy/en.md has "
        "version 2.0 taking effect on 2031-01-01"
    ) in result.stderr


def test_check_warns_about_a_lagging_translation_and_strict_fails(three_versions: PolicyRepo) -> None:
    result = three_versions.smops("check")
    assert result.returncode == 0, result.stderr
    assert (
        "policies/privacy/nl.md:3: warning: translates version 1.0, but policies/privacy/en.md has "
        "version 1.1 in force since 2023-03-01 and version 2.0 taking effect on 2031-01-01"
    ) in result.stderr
    strict = three_versions.smops("check", "--strict")
    assert strict.returncode == 1
    assert "translates version 1.0" in strict.stderr


def test_a_translation_with_other_numbering_or_sections_is_an_error(three_versions: PolicyRepo) -> None:
    repo = three_versions
    repo.write(
        "policies/privacy/nl.md",
        policy_text(
            "1.1",
            "2023-03-01",
            ["Wij bewaren uw gegevens veilig.", "Wij beantwoorden vragen.", "Wij houden deze tekst kort."],
            title="Voorbeeldbeleid",
            sections={2: "Contact", 3: "Overig"},
        ),
    )
    result = repo.smops("check")
    assert result.returncode == 1
    assert (
        "policies/privacy/nl.md:3: version 1.1 has 3 clauses and 2 sections, but version 1.1 of "
        "policies/privacy/en.md has 4 clauses and 1 section"
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_translation_claiming_a_version_the_source_never_had_is_an_error(three_versions: PolicyRepo) -> None:
    repo = three_versions
    repo.write(
        "policies/privacy/nl.md",
        policy_text(
            "1.5",
            "2024-01-01",
            ["Wij bewaren uw gegevens veilig.", "Wij beantwoorden vragen.", "Wij houden deze tekst kort."],
            title="Voorbeeldbeleid",
            sections={2: "Contact"},
        ),
    )
    result = repo.smops("check")
    assert result.returncode == 1
    assert (
        "policies/privacy/nl.md:3: version 1.5 claims to translate version 1.5 of policies/privacy/en.md, "
        "which it never had (its versions: 1.0, 1.1, 2.0)"
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_translation_without_a_source_file_is_an_error(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    repo.write(
        "policies/sites.yml",
        "timezone: Europe/Amsterdam\nsource_language: en\nsites:\n  gamma:\n    name: Gamma Example\n"
        "    url: https://gamma.example/\n    languages: [nl]\n    policies: [privacy]\n",
    )
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", ["Wij bestaan niet echt."]))
    repo.commit("Dutch only", "2019-12-01T10:00:00+01:00")
    result = repo.smops("check")
    assert result.returncode == 1
    assert "policies/privacy/nl.md: is a translation of policies/privacy/en.md, which does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_language_code_is_an_error_with_its_line(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    repo.write(
        "policies/sites.yml",
        (ROOT / "tests" / "conftest.py")
        .read_text()
        .split('SITES_YML = """\\\n')[1]
        .split('"""')[0]
        .replace("[en]", "[en, qq]"),
    )
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", ["A fictional clause."]))
    repo.commit("Policies", "2019-12-01T10:00:00+01:00")
    result = repo.smops("check")
    assert result.returncode == 1
    assert "policies/sites.yml:14: Site 'beta': unknown language code 'qq'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_language_the_theme_lacks_is_an_error_with_its_line_until_the_theme_gets_it(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    repo = three_versions
    out = tmp_path / "out"
    repo.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    # Frisian: babel knows it, mkdocs-material has no interface text for it
    sites = repo.path / "policies/sites.yml"
    sites.write_text(sites.read_text(encoding="utf-8").replace("languages: [en]", "languages: [en, fy]"), "utf-8")
    repo.write("policies/privacy/fy.md", (repo.path / "policies/privacy/nl.md").read_text(encoding="utf-8"))
    repo.commit("Beta in Frisian", "2026-11-20T10:00:00+01:00")
    lacks = "policies/sites.yml:14: Site 'beta': mkdocs-material has no interface text in 'fy'"
    for command in (["check"], ["build", "--as-of", "2026-11-25", "--output", str(out)]):
        result = repo.smops(*command)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert lacks in result.stderr
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before  # the previous output stands
    # a custom_dir with the theme's text in Frisian makes it buildable
    import material

    nl = (Path(material.__file__ or "").parent / "templates/partials/languages/nl.html").read_text(encoding="utf-8")
    repo.write("theme/partials/languages/fy.html", nl.replace('"language": "nl"', '"language": "fy"'))
    config = repo.path / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("name: material", "name: material\n  custom_dir: theme"), "utf-8"
    )
    repo.commit("Theme text in Frisian", "2026-11-21T10:00:00+01:00")
    repo.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)
    assert '<html lang="fy"' in (out / "beta/fy/index.html").read_text(encoding="utf-8")
    assert lacks not in repo.smops("check").stderr  # (check still asks for a Frisian message catalog)


def test_the_prevailing_language_comes_from_sites_yml(three_versions: PolicyRepo, tmp_path: Path) -> None:
    repo = three_versions
    sites = (repo.path / "policies" / "sites.yml").read_text(encoding="utf-8")
    repo.write(
        "policies/sites.yml", sites.replace("source_language: en\n", "source_language: en\nprevailing_language: nl\n")
    )
    repo.commit("Dutch prevails", "2026-11-03T10:00:00+01:00")
    site = build(repo, tmp_path / "out") / "alpha"
    english = read(site, "en/privacy/")
    assert "Where this text differs from the Dutch text, the Dutch text prevails." in text_of(english)
    assert '<a href="../../nl/privacy/" hreflang="nl">Read the Dutch text</a>' in english  # 1.1 has no Dutch text
    assert "voorrang" not in text_of(read(site, "nl/privacy/"))


# ------------------------------------------------------------------ language of the interface, hreflang, switcher


def test_dutch_pages_have_a_dutch_interface_and_dutch_search(three_versions_output: Path) -> None:
    site = three_versions_output / "alpha"
    dutch, english = read(site, "nl/privacy/"), read(site, "en/privacy/")
    assert '<html lang="nl"' in dutch and '<html lang="en"' in english
    assert 'placeholder="Zoeken"' in dutch and 'placeholder="Search"' in english
    assert json.loads((site / "nl" / "search" / "search_index.json").read_text())["config"]["lang"] == ["nl"]
    assert json.loads((site / "en" / "search" / "search_index.json").read_text())["config"]["lang"] == ["en"]
    # a Site in English only has no Dutch pages
    assert not (three_versions_output / "beta" / "nl").exists()


@pytest.mark.parametrize(
    ("url", "en", "nl"),
    [
        ("nl/privacy/", "https://alpha.example/en/privacy/", "https://alpha.example/nl/privacy/"),
        ("en/privacy/1.0/", "https://alpha.example/en/privacy/1.0/", "https://alpha.example/nl/privacy/1.0/"),
        (
            "nl/privacy/history/",
            "https://alpha.example/en/privacy/history/",
            "https://alpha.example/nl/privacy/history/",
        ),
        ("nl/", "https://alpha.example/en/", "https://alpha.example/nl/"),
    ],
)
def test_every_page_names_the_same_page_in_the_other_language(
    three_versions_output: Path, url: str, en: str, nl: str
) -> None:
    site = three_versions_output / "alpha"
    assert links(read(site, url)) == {"en": en, "nl": nl}


def test_the_language_switcher_goes_to_the_same_policy_and_version(three_versions_output: Path) -> None:
    site = three_versions_output / "alpha"

    def switcher(page: str) -> dict[str, str]:
        return {
            code: href
            for href, code in re.findall(
                r'<a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+" class="md-select__link">', page
            )
        }

    assert switcher(read(site, "nl/privacy/1.0/")) == {
        "en": "../../../en/privacy/1.0/",
        "nl": "../../../nl/privacy/1.0/",
    }
    assert switcher(read(site, "en/privacy/")) == {"en": "../../en/privacy/", "nl": "../../nl/privacy/"}
    assert switcher(read(site, "nl/privacy/history/"))["en"] == "../../../en/privacy/history/"
    # English 1.1 has no Dutch text: the switcher goes to the Dutch policy instead
    assert switcher(read(site, "en/privacy/1.1/"))["nl"] == "../../../nl/privacy/"
