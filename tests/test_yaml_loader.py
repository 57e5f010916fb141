"""The strict YAML reader of sites.yml and front matter (content/yamlsafe.py), called directly: what it
refuses, with which file and line and what to do, and how it reads what it accepts. The same through
`check` on real repositories is in test_yaml_safety.py."""

from __future__ import annotations

import pytest

from smops_policy.content import yamlsafe
from smops_policy.content.yamlsafe import MAX_BYTES, MAX_DEPTH, MAX_NUMBER, check_size, line_of, load, scalar_texts
from smops_policy.errors import PolicyError, Problem

PATH = "policies/sites.yml"


def refused(text: str, *, first_line: int = 1, what: str = "is") -> list[Problem]:
    with pytest.raises(PolicyError) as caught:
        load(text, PATH, first_line=first_line, what=what)
    return caught.value.problems


def one(text: str, **kwargs: object) -> Problem:
    [problem] = refused(text, **kwargs)  # type: ignore[arg-type]
    assert problem.path == PATH
    return problem


def test_anchors_and_aliases_are_refused_at_their_line() -> None:
    for text in ("a: 1\nb: &x 2\n", "a: 1\nb: *x\n", "a: 1\nb: &x [1]\n"):
        problem = one(text, first_line=5)
        assert (problem.line, problem.message) == (6, "uses a YAML anchor or alias (&name or *name)")
        assert problem.hint == "write each value out in full; anchors and aliases are not allowed"


def test_tags_are_refused_by_their_short_name() -> None:
    problem = one("a: 1\nb: !!python/object x\n")
    assert (problem.line, problem.message) == (2, "uses the YAML tag '!!python/object'")
    assert problem.hint == "remove the tag; quote the value if it is text"
    assert one("a: !custom x\n").message == "uses the YAML tag '!custom'"


def test_an_escaped_control_character_is_refused() -> None:
    problem = one('a: 1\nname: "A\\x00B"\n')
    assert (problem.line, problem.message) == (2, "holds the character '\\x00', written as an escape")
    assert problem.hint == "remove it: only printable characters, tabs and line breaks are allowed"
    assert load('a: "tab\\there"\n', PATH).data == {"a": "tab\there"}


def test_nesting_deeper_than_the_limit_is_refused_at_once() -> None:
    nested = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    problem = one(f"a: 1\nb: {nested}\n")
    assert (problem.line, problem.message) == (2, f"nests lists or mappings more than {MAX_DEPTH} deep")
    assert problem.hint == "see the README's content format for the shape of this file"
    deepest = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)  # with the mapping around it: MAX_DEPTH
    assert load(f"b: {deepest}\n", PATH).data is not None


def test_a_key_that_is_not_text_is_refused() -> None:
    problem = one("a: 1\n[x]: 2\n")
    assert (problem.line, problem.message) == (2, "has a key that is not plain text")
    assert problem.hint.startswith("write key: value, and quote a value that starts with '{' or '['")


def test_every_duplicate_key_is_an_error_naming_both_lines() -> None:
    problems = refused("a: 1\nb: 2\na: 3\nc:\n  x: 1\n  x: 2\n", first_line=2)
    assert sorted((p.line, p.message) for p in problems) == [
        (4, "key 'a' appears twice, on line 2 and on line 4"),
        (7, "key 'x' appears twice, on line 6 and on line 7"),
    ]
    assert all(p.hint == "keep one of them: YAML would silently use the last" for p in problems)


def test_dates_yes_no_and_merges_stay_text_and_only_true_false_are_booleans() -> None:
    data = load("d: 2016-13-12\nlang: [en, no, on, yes, off]\nm: <<\ne: =\nt: true\nf: FALSE\nn: 12\nx: 1.5\n", PATH)
    assert data.data == {
        "d": "2016-13-12",
        "lang": ["en", "no", "on", "yes", "off"],
        "m": "<<",
        "e": "=",
        "t": True,
        "f": False,
        "n": 12,
        "x": 1.5,
    }


def test_a_number_too_long_to_be_one_is_refused() -> None:
    assert load(f"n: {'1' * MAX_NUMBER}\n", PATH).data == {"n": int("1" * MAX_NUMBER)}
    problem = one(f"a: 1\nn: {'1' * (MAX_NUMBER + 1)}\n")
    assert (problem.line, problem.message) == (2, f"holds a number of {MAX_NUMBER + 1} characters")
    assert problem.hint == f"quote it if it is text; a number here has at most {MAX_NUMBER} characters"
    assert one(f"x: {'1' * MAX_NUMBER}.5\n").message == f"holds a number of {MAX_NUMBER + 2} characters"


def test_bad_yaml_names_its_line_and_what_to_do() -> None:
    problem = one("a: 1\nb: [1, 2\n", first_line=3, what="front matter is")
    assert problem.message.startswith("front matter is not valid YAML: ")
    assert problem.line is not None and problem.line >= 4
    assert problem.hint == "fix the YAML syntax"
    second = one("a: 1\n---\nb: 2\n")
    assert (second.message, second.hint) == (
        "is not valid YAML: it holds a second document after a '---' line",
        "keep one document",
    )
    tabbed = one("a:\n\t- 1\n")
    assert tabbed.hint == "indent with spaces: YAML does not allow tabs there"


def test_a_raw_control_character_is_refused_at_its_line() -> None:
    problem = one("a: 1\nb: x\x07y\n", first_line=2)
    assert (problem.line, problem.message) == (3, "is not valid YAML: it holds the character '\\x07'")
    assert problem.hint == "remove it: YAML allows only printable characters, tabs and line breaks"


def test_an_empty_document_is_none() -> None:
    loaded = load("", PATH, first_line=2)
    assert (loaded.data, loaded.root, loaded.line_of("a")) == (None, None, 2)


def test_values_are_found_with_their_lines_and_raw_text() -> None:
    loaded = load("title: T\nversion: 1.10\nsites:\n  alpha:\n    url: u\n    n: ~\n", PATH, first_line=2)
    assert loaded.data["version"] == 1.1
    assert loaded.raw_text("version") == "1.10"
    assert loaded.raw_text("sites") is None
    assert loaded.raw_text("missing") is None
    assert loaded.line_of("version") == 3
    assert loaded.line_of("sites", "alpha", "url") == 6
    assert loaded.line_of("sites", "alpha", "missing") == 5  # the deepest key found
    assert loaded.line_of("title", "deeper") == 2
    assert loaded.node("sites", "alpha", "url").value == "u"  # type: ignore[union-attr]
    assert loaded.node("title", "x") is None
    assert scalar_texts(loaded.node("sites", "alpha")) == {"url": "u"}  # null is no value
    assert scalar_texts(loaded.node("title")) == {}
    assert line_of(None, "a") is None


def test_a_file_too_large_is_refused_before_reading() -> None:
    check_size(b"x" * MAX_BYTES, PATH)
    with pytest.raises(PolicyError) as caught:
        check_size(b"x" * (MAX_BYTES + 1), PATH)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (PATH, 1)
    assert problem.message == "is 1,000,001 bytes, more than the 1,000,000 a file here may have"
    assert problem.hint == "split the text, or check that the right file was committed"


def test_the_limits_are_what_the_readme_says() -> None:
    assert (yamlsafe.MAX_DEPTH, yamlsafe.MAX_NUMBER, yamlsafe.MAX_BYTES) == (10, 32, 1_000_000)


def test_depth_is_counted_per_branch_not_per_file() -> None:
    """Many lists side by side are not deep; a deep list after a shallow sibling is."""
    siblings = "".join(f"k{n}: [[{n}]]\n" for n in range(3 * MAX_DEPTH))
    assert len(load(siblings, PATH).data) == 3 * MAX_DEPTH
    deep = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)  # with the map and the outer list: one too many
    problem = one(f"b: [[1], {deep}]\n")
    assert problem.message == f"nests lists or mappings more than {MAX_DEPTH} deep"
