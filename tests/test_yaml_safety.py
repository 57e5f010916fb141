"""Issue 12, item 4: YAML that cannot hurt. sites.yml and front matter refuse anchors and aliases (an
alias bomb), tags, deep nesting, duplicate keys and files too large, with file and line, at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import PolicyRepo
from .helpers import EN, SITES, append, refused_everywhere, replace

# Nine lists of nine: expanded, the last line is 9**9 (387 million) strings.
BOMB = "".join(
    [
        'lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n',
        *(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)
DEEP = "[" * 10_000 + "]" * 10_000


# Lines: the fixture's sites.yml has 15 lines (alpha on 4, its name on 5, beta on 10); the policy's front
# matter runs from line 1 ('---') to 6, with title on 2, version 3, effective 4, summary 5.
BAD_YAML: dict[str, tuple[Callable[[PolicyRepo], None], str]] = {
    "alias bomb in sites.yml": (
        lambda r: append(r, SITES, BOMB),
        rf"{SITES}:16: uses a YAML anchor or alias \(&name or \*name\) \(write each value out in full",
    ),
    "alias bomb in front matter": (
        lambda r: replace(r, EN, "summary: Adds notice by email.\n", "summary: Adds notice by email.\n" + BOMB),
        rf"{EN}:6: uses a YAML anchor or alias",
    ),
    "an alias for a Site's name": (
        lambda r: replace(r, SITES, "name: Alpha Example", "name: &alpha_name Alpha Example\n    nick: *alpha_name"),
        rf"{SITES}:5: uses a YAML anchor or alias",
    ),
    "duplicated Site id": (
        lambda r: append(
            r,
            SITES,
            "  alpha:\n    name: Other\n    url: https://other.example/\n    languages: [en]\n    policies: [privacy]\n",
        ),
        rf"{SITES}:16: key 'alpha' appears twice, on line 4 and on line 16 \(keep one of them",
    ),
    "duplicated key in a Site": (
        lambda r: replace(r, SITES, "    name: Beta Example\n", "    name: Beta Example\n    name: Gamma\n"),
        rf"{SITES}:12: key 'name' appears twice, on line 11 and on line 12",
    ),
    "duplicated front-matter key": (
        lambda r: replace(r, EN, "summary: Adds notice by email.\n", "summary: Adds notice by email.\ntitle: Other\n"),
        rf"{EN}:6: key 'title' appears twice, on line 2 and on line 6",
    ),
    "lists nested 10,000 deep in sites.yml": (
        lambda r: append(r, SITES, f"deep: {DEEP}\n"),
        rf"{SITES}:16: nests lists or mappings more than 10 deep",
    ),
    "lists nested 10,000 deep in front matter": (
        lambda r: replace(r, EN, "summary: Adds notice by email.\n", f"summary: Adds notice by email.\ndeep: {DEEP}\n"),
        rf"{EN}:6: nests lists or mappings more than 10 deep",
    ),
    "block lists nested 500 deep": (
        lambda r: append(r, SITES, "deep:\n" + "".join("  " * i + "-\n" for i in range(1, 501))),
        rf"{SITES}:\d+: nests lists or mappings more than 10 deep",
    ),
    "a YAML tag that names Python code": (
        lambda r: replace(r, SITES, "name: Beta Example", 'name: !!python/object/apply:os.system ["touch pwned"]'),
        rf"{SITES}:11: uses the YAML tag '!!python/object/apply:os.system' \(remove the tag",
    ),
    "a YAML tag in front matter": (
        lambda r: replace(r, EN, "summary: Adds", "summary: !!binary Adds"),
        rf"{EN}:5: uses the YAML tag '!!binary'",
    ),
    "a key that is a list": (
        lambda r: append(r, SITES, "? [a, b]\n: c\n"),
        rf"{SITES}:16: has a key that is not plain text",
    ),
    "a tab for indentation": (
        lambda r: replace(r, SITES, "    name: Beta Example", "\tname: Beta Example"),
        rf"{SITES}:11: is not valid YAML: .*\(indent with spaces",
    ),
    "a control character": (
        lambda r: replace(r, EN, "summary: Adds", "summary: \x07Adds"),
        rf"{EN}:5: front matter is not valid YAML: it holds the character '\\x07' \(remove it",
    ),
    "a lone surrogate written as an escape": (
        lambda r: replace(r, EN, "title: Sample Policy", 'title: "Sample \\ud800 Policy"'),
        rf"{EN}:2: holds the character '\\ud800', written as an escape \(remove it",
    ),
    "a NUL written as an escape in a Site's name": (
        lambda r: replace(r, SITES, "name: Beta Example", 'name: "Beta\\x00Example"'),
        rf"{SITES}:11: holds the character '\\x00', written as an escape",
    ),
    "a placeholder as an unquoted title": (
        lambda r: replace(r, EN, "title: Sample Policy", "title: {{ site.name }}"),
        rf"{EN}:2: has a key that is not plain text \(write key: value, and quote a value that starts with '\{{'",
    ),
    "sites.yml not UTF-8": (
        lambda r: r.write(SITES, (r.path / SITES).read_bytes().replace(b"Beta Example", b"B\xe8ta Example")),
        rf"{SITES}:11: is not UTF-8 text \(save it as UTF-8\)",
    ),
    "a policy file with old Mac line endings and an impossible date": (
        lambda r: r.write(EN, (r.path / EN).read_bytes().replace(b"\n", b"\r").replace(b"2031-01-01", b"2031-02-30")),
        rf"{EN}:4: effective date is '2031-02-30'",
    ),
    "a second document in sites.yml": (
        lambda r: append(r, SITES, "---\nsites: {}\n"),
        rf"{SITES}:16: is not valid YAML: it holds a second document after a '---' line",
    ),
    "a huge policy file": (
        lambda r: append(r, EN, "\n" + "A long fictional paragraph. " * 40_000 + "\n"),
        rf"{EN}:1: is 1,\d{{3}},\d{{3}} bytes, more than the 1,000,000 a file here may have",
    ),
    "a huge sites.yml": (
        lambda r: append(r, SITES, "# padding\n" * 110_000),
        rf"{SITES}:1: is 1,\d{{3}},\d{{3}} bytes, more than the 1,000,000",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_YAML))
def test_bad_yaml_is_refused_with_its_line(
    three_versions: PolicyRepo, three_versions_site: Path, tmp_path: Path, case: str
) -> None:
    change, expected = BAD_YAML[case]
    refused_everywhere(three_versions, tmp_path, change, expected, built=three_versions_site)
    assert not (three_versions.path / "pwned").exists()


def test_an_alias_bomb_is_refused_before_it_is_expanded(three_versions: PolicyRepo) -> None:
    """Expanded, this document needs gigabytes; refused on the first anchor, it needs none of that."""
    append(three_versions, SITES, BOMB + "".join(f"more{i}: [*i, *i, *i, *i, *i, *i, *i, *i, *i]\n" for i in range(9)))
    three_versions.commit("bomb", "2026-11-20T10:00:00+01:00")
    result = three_versions.smops("check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{SITES}:16: uses a YAML anchor or alias (&name or *name) "
        "(write each value out in full; anchors and aliases are not allowed)"
    ]


def test_line_endings_and_a_byte_order_mark_are_read_as_an_editor_shows_them(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    """Windows line endings and a BOM (as some editors save) are no error, and lines are counted the same."""
    for path in (SITES, EN):
        file = three_versions.path / path
        file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes().replace(b"\n", b"\r\n"))
    three_versions.commit("Saved on Windows", "2026-11-20T10:00:00+01:00")
    assert three_versions.smops("check").returncode == 0
    result = three_versions.smops("build", "--as-of", "2026-11-25", "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out/alpha/en/privacy/index.html").read_text(encoding="utf-8")
    assert "We delete records after one year." in page
    replace(three_versions, EN, "effective: 2031-01-01", "effective: 2031-02-30")
    three_versions.commit("An impossible date", "2026-11-21T10:00:00+01:00")
    result = three_versions.smops("check")
    assert re.search(rf"^{EN}:4: effective date is '2031-02-30'", result.stderr, re.M), result.stderr
