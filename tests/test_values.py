"""Issue 12, item 4: values that cannot hurt. Ids, languages and version numbers are matched in full and
limited in length (they name folders and addresses), versions are canonical, effective dates exactly
YYYY-MM-DD, and every hint repeats what was written."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import PolicyRepo
from .helpers import EN, SITES, append, refused_everywhere, replace

LONG_ID = "a" * 300


BAD_VALUES: dict[str, tuple[Callable[[PolicyRepo], None], str]] = {
    "a 300-character Site id": (
        lambda r: replace(r, SITES, "  beta:", f"  {LONG_ID}:"),
        rf"{SITES}:10: Site id 'aaaaaaaaaaaaaaaaaaaa'… is 300 characters long \(use at most 64: it names",
    ),
    "a Site id ending in a newline": (
        lambda r: replace(r, SITES, "  beta:", '  "beta\\n":'),
        rf"{SITES}:10: Site id 'beta\\n' is not a plain name",
    ),
    "a policy id ending in a newline": (
        lambda r: replace(r, SITES, "policies: [privacy]\n  beta", 'policies: ["privacy\\n"]\n  beta'),
        rf"{SITES}:9: Site 'alpha': policy id 'privacy\\n' is not a plain name",
    ),
    "a 70-character policy id": (
        lambda r: replace(r, SITES, "policies: [privacy]\n  beta", f"policies: [privacy, {'p' * 70}]\n  beta"),
        rf"{SITES}:9: Site 'alpha': policy id 'pppppppppppppppppppp'… is 70 characters long \(use at most 64: it names",
    ),
    "a policy listed twice": (
        lambda r: replace(r, SITES, "policies: [privacy]\n  beta", "policies: [privacy, privacy]\n  beta"),
        rf"{SITES}:9: Site 'alpha' lists policy 'privacy' twice \(keep one\)",
    ),
    "a language ending in a newline": (
        lambda r: replace(r, SITES, "languages: [en]", 'languages: [en, "nl\\n"]'),
        rf"{SITES}:14: Site 'beta': unknown language code 'nl\\n'",
    ),
    "a language listed twice": (
        lambda r: replace(r, SITES, "languages: [en]", "languages: [en, en]"),
        rf"{SITES}:14: Site 'beta' lists language 'en' twice",
    ),
    "a 300-character language": (
        lambda r: replace(r, SITES, "languages: [en]", f"languages: [en, en-{'x' * 296}]"),
        rf"{SITES}:14: Site 'beta': unknown language code 'en-x{{16}}…' \(use one of",
    ),
    "a source language with a trailing newline": (
        lambda r: replace(r, SITES, "source_language: en", 'source_language: "en\\n"'),
        rf"{SITES}:2: unknown language code 'en\\n'",
    ),
    "a timezone too long for a file name": (
        lambda r: replace(r, SITES, "timezone: Europe/Amsterdam", f"timezone: Europe/{'A' * 300}"),
        rf"{SITES}:1: unknown timezone 'Europe/A+…' \(use an IANA name",
    ),
    "a timezone that is a list": (
        lambda r: replace(r, SITES, "timezone: Europe/Amsterdam", "timezone: [Europe/Amsterdam]"),
        rf"{SITES}:1: unknown timezone \['Europe/Amsterdam'\]",
    ),
    "notice_days beyond any date": (
        lambda r: replace(r, SITES, "sites:", "notice_days: 99999999999999999999\nsites:"),
        rf"{SITES}:3: notice_days must be a whole number of days from 0 to 3650",
    ),
    "a Site name that is a list": (
        lambda r: replace(r, SITES, "name: Beta Example", "name: [Beta, Example]"),
        rf"{SITES}:11: Site 'beta': name must be one line of text",
    ),
    "an empty Site name": (
        lambda r: replace(r, SITES, "name: Beta Example", "name:"),
        rf"{SITES}:11: Site 'beta': name must be one line of text",
    ),
    "a version of 200 parts": (
        lambda r: replace(r, EN, 'version: "2.0"', f'version: "{".".join(["2"] * 200)}"'),
        rf"{EN}:3: version 2\.2\.2\.2\.2\.2\.2\.2\.2\.2\.… is 399 characters long \(use at most 32 characters",
    ),
    "a version with a leading zero": (
        lambda r: replace(r, EN, 'version: "2.0"', 'version: "02.0"'),
        rf"{EN}:3: version '02.0' has a leading zero, so it could be taken for version 2.0 \(write version: \"2.0\"\)",
    ),
    "01.0 after 1.0": (
        lambda r: replace(r, "policies/privacy/nl.md", 'version: "1.0"', 'version: "01.0"'),
        r"policies/privacy/nl.md:3: version '01.0' has a leading zero",
    ),
    "an unquoted 2.10": (
        lambda r: replace(r, EN, 'version: "2.0"', "version: 2.10"),
        rf"{EN}:3: version 2.10 must be quoted text \(write version: \"2.10\"\)",
    ),
    "an unquoted 3": (
        lambda r: replace(r, EN, 'version: "2.0"', "version: 3"),
        rf"{EN}:3: version 3 must be quoted text \(write version: \"3\"\)",
    ),
    "an unquoted 01.0": (
        lambda r: replace(r, EN, 'version: "2.0"', "version: 02.0"),
        rf"{EN}:3: version 02.0 must be quoted text \(write version: \"2.0\"\)",
    ),
    "an unquoted version of 5,000 digits": (
        lambda r: replace(r, EN, 'version: "2.0"', f"version: {'2' * 5000}"),
        rf"{EN}:3: holds a number of 5000 characters \(quote it if it is text; a number here has at most 32",
    ),
    "notice_days of 5,000 digits": (
        lambda r: replace(r, SITES, "sites:", f"notice_days: {'9' * 5000}\nsites:"),
        rf"{SITES}:3: holds a number of 5000 characters",
    ),
    "a version that is true": (
        lambda r: replace(r, EN, 'version: "2.0"', "version: true"),
        rf"{EN}:3: version is 'true'; it must be a dotted number \(write e.g. version: \"1.1\"\)",
    ),
    "a version with a space": (
        lambda r: replace(r, EN, 'version: "2.0"', 'version: "2.0 "'),
        rf"{EN}:3: version is '2.0 '; it must be a dotted number",
    ),
    "an ISO week date": (
        lambda r: replace(r, EN, "effective: 2031-01-01", "effective: 2031W011"),
        rf"{EN}:4: effective date is '2031W011'; it must be a real date YYYY-MM-DD",
    ),
    "a date without dashes": (
        lambda r: replace(r, EN, "effective: 2031-01-01", "effective: 20310101"),
        rf"{EN}:4: effective date is '20310101'; it must be a real date YYYY-MM-DD",
    ),
    "a date without leading zeros": (
        lambda r: replace(r, EN, "effective: 2031-01-01", "effective: 2031-1-1"),
        rf"{EN}:4: effective date is '2031-1-1'; it must be a real date YYYY-MM-DD",
    ),
    "a date with a time": (
        lambda r: replace(r, EN, "effective: 2031-01-01", "effective: 2031-01-01T00:00"),
        rf"{EN}:4: effective date is '2031-01-01T00:00'",
    ),
    "a title that is a number": (
        lambda r: replace(r, EN, "title: Sample Policy", "title: 2031.10"),
        rf"{EN}:2: 'title' must be text \(quote it: title: \"2031.10\"\)",
    ),
    "a title that is a list": (
        lambda r: replace(r, EN, "title: Sample Policy", "title: [Sample, Policy]"),
        rf"{EN}:2: 'title' must be one line of text, not a list",
    ),
    "a summary that is a mapping": (
        lambda r: replace(r, EN, "summary: Adds notice by email.", "summary: {Adds: notice by email.}"),
        rf"{EN}:5: 'summary' is a mapping without a 'default'",  # a mapping names Sites (issue 17)
    ),
    "an empty summary": (
        lambda r: replace(r, EN, "summary: Adds notice by email.", 'summary: "  "'),
        rf"{EN}:5: front matter has no 'summary'",
    ),
    "material: yes": (
        lambda r: replace(r, EN, "summary: Adds notice by email.", "summary: Adds notice by email.\nmaterial: yes"),
        rf"{EN}:6: 'material' must be true or false \(write material: true\)",
    ),
    "front matter that is a list": (
        lambda r: r.write(EN, "---\n- a\n- b\n---\n\n1. A clause.\n"),
        rf"{EN}:2: front matter must be key: value lines",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_odd_values_are_refused_with_their_line(
    three_versions: PolicyRepo, three_versions_site: Path, tmp_path: Path, case: str
) -> None:
    change, expected = BAD_VALUES[case]
    refused_everywhere(three_versions, tmp_path, change, expected, built=three_versions_site)


def test_a_site_value_is_filled_in_as_written(three_versions: PolicyRepo, tmp_path: Path) -> None:
    """YAML reads 0201234567 as an octal number and 1.10 as 1.1; a Site's page shows what sites.yml says,
    and 'no' (Norwegian, to YAML 1.1 a boolean) stays text."""
    replace(
        three_versions,
        SITES,
        "    name: Alpha Example\n",
        "    name: Alpha Example\n    phone: 0201234567\n    release: 1.10\n    region: no\n",
    )
    replace(
        three_versions,
        SITES,
        "    name: Beta Example\n",
        "    name: Beta Example\n    phone: 0301234567\n    release: 2\n    region: nl\n",
    )
    replace(
        three_versions,
        EN,
        "We keep this text short.",
        "Call {{ site.phone }}. Release {{ site.release }}, region {{ site.region }}.",
    )
    three_versions.commit("Values written as numbers", "2026-11-20T10:00:00+01:00")
    out = tmp_path / "out"
    result = three_versions.smops("build", "--as-of", "2031-01-02", "--output", str(out))
    assert result.returncode == 0, result.stderr
    page = (out / "alpha/en/privacy/index.html").read_text(encoding="utf-8")
    assert "Call 0201234567. Release 1.10, region no." in page


def test_a_canonical_version_after_its_zero_padded_twin_is_no_new_version(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    """'01.0' once committed and fixed later is skipped with a warning; only the canonical number counts."""
    append(three_versions, EN, "")
    replace(three_versions, EN, 'version: "2.0"', 'version: "02.0"')
    three_versions.commit("A padded number", "2026-11-02T10:00:00+01:00")
    replace(three_versions, EN, 'version: "02.0"', 'version: "2.0"')
    three_versions.commit("Fixed", "2026-11-03T10:00:00+01:00")
    result = three_versions.smops("versions", "privacy", "--as-of", "2026-11-25")
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["1.0", "1.1", "2.0"]
    result = three_versions.smops("check")
    assert re.search(rf"^{EN}: warning: commit [0-9a-f]{{12}} holds an unreadable version", result.stderr, re.M)
