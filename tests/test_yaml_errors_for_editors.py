"""What an editor reads when front matter or sites.yml is broken or hostile (content/yamlsafe.py
`load`): the file, the line of the problem counted in the file (front matter starts below its `---`),
what is wrong and what to do, for each kind of mistake; never a traceback. The same through `check` on
real repositories is in test_yaml_safety.py; the loader's other rules in test_yaml_loader.py."""

from __future__ import annotations

import pytest

from smops_policy.content.yamlsafe import MAX_NUMBER, line_of, load
from smops_policy.errors import PolicyError, Problem

PATH = "policies/privacy/en.md"
SYNTAX = "fix the YAML syntax"
TABS = "indent with spaces: YAML does not allow tabs there"


def problem_of(text: str, *, first_line: int = 2, what: str = "front matter is") -> Problem:
    """The one problem of front matter whose first line is the file's line `first_line`."""
    with pytest.raises(PolicyError) as caught:
        load(text, PATH, first_line=first_line, what=what)
    [problem] = caught.value.problems
    return problem


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("title: Privacy\nlanguages: [en, nl\n", 4, "expected ',' or ']', but got '<stream end>'"),
        ('title: Privacy\nsummary: "Short\n', 4, "found unexpected end of stream"),
        ("title: Privacy\n  version: 2\n", 3, "mapping values are not allowed here"),
        ("title: Privacy: the policy\nversion: 2\n", 2, "mapping values are not allowed here"),
        ("title: Privacy\n- version 2\n", 3, "expected <block end>, but found '-'"),
        ('title: Privacy\nsummary: "\\q"\n', 3, "found unknown escape character 'q'"),
        ("title: Privacy\nversion\nsummary: x\n", 4, "could not find expected ':'"),
        ("title: ]\n", 2, "expected the node content, but found ']'"),
    ],
)
def test_broken_yaml_names_the_line_of_the_mistake_in_the_file(text: str, line: int, message: str) -> None:
    assert problem_of(text) == Problem(PATH, f"front matter is not valid YAML: {message}", line, SYNTAX)


def test_the_line_counts_from_where_the_yaml_starts_in_the_file() -> None:
    text = "title: Privacy\n  version: 2\n"
    assert problem_of(text, first_line=1, what="is").line == 2
    assert problem_of(text, first_line=10, what="is").line == 11
    assert (
        problem_of(text, first_line=10, what="is").message == "is not valid YAML: mapping values are not allowed here"
    )


def test_a_second_document_after_a_dashes_line_is_named_as_such() -> None:
    assert problem_of("title: Privacy\n---\nversion: 2\n") == Problem(
        PATH, "front matter is not valid YAML: it holds a second document after a '---' line", 3, "keep one document"
    )


def test_a_tab_used_to_indent_gets_the_hint_to_use_spaces() -> None:
    for text, line in [("languages:\n\t- en\n", 3), ("title: Privacy\nsummary:\tShort\n", 3), ("\ttitle: x\n", 2)]:
        assert problem_of(text) == Problem(
            PATH, "front matter is not valid YAML: found character '\\t' that cannot start any token", line, TABS
        )


def test_a_tab_on_the_line_of_another_mistake_gets_the_hint_to_use_spaces_too() -> None:
    """PyYAML names the misplaced key, not the tab; the tab on that line is what the editor must fix."""
    assert problem_of("title: Privacy\n summary:\tShort\n") == Problem(
        PATH, "front matter is not valid YAML: mapping values are not allowed here", 3, TABS
    )
    assert problem_of("title: Privacy\n summary: Short\n").hint == SYNTAX  # the same mistake without a tab


def test_a_control_character_is_named_at_its_line() -> None:
    hint = "remove it: YAML allows only printable characters, tabs and line breaks"
    for character in ("\x00", "\x1b", "\ud800"):
        assert problem_of(f"title: Privacy\nsummary: a{character}b\n", first_line=5) == Problem(
            PATH, f"front matter is not valid YAML: it holds the character {character!r}", 6, hint
        )


@pytest.mark.parametrize("value", ["0b_", "0x_", "-0b__", "+0x_"])
def test_a_value_that_looks_like_a_number_but_is_none_is_refused_not_a_crash(value: str) -> None:
    assert problem_of(f"title: Privacy\nnotice_days: {value}\n") == Problem(
        PATH, f"holds {value!r}, which is not a number", 3, "quote it if it is text"
    )
    assert load(f"notice_days: '{value}'\n", PATH).data == {"notice_days": value}


def test_numbers_are_read_as_numbers_up_to_their_limit_in_length() -> None:
    data = load("a: 0x1F\nb: 0b101\nc: 1:20\nd: -1.5e+3\ne: .inf\nf: 1_000\n", PATH).data
    assert data == {"a": 31, "b": 5, "c": 80, "d": -1500.0, "e": float("inf"), "f": 1000}
    longest = "9" * (MAX_NUMBER - 2) + ".5"
    assert load(f"version: {longest}\n", PATH).data == {"version": float(longest)}
    too_long = "9" * (MAX_NUMBER - 1) + ".5"
    assert problem_of(f"title: Privacy\nversion: {too_long}\n", first_line=4) == Problem(
        PATH,
        f"holds a number of {MAX_NUMBER + 1} characters",
        5,
        f"quote it if it is text; a number here has at most {MAX_NUMBER} characters",
    )


def test_sites_yml_is_read_from_its_first_line() -> None:
    """sites.yml is YAML from its first line: `load` without `first_line` counts from 1."""
    with pytest.raises(PolicyError) as caught:
        load("timezone: Europe/Amsterdam\n  sites: {}\n", "policies/sites.yml")
    assert caught.value.problems == [
        Problem("policies/sites.yml", "is not valid YAML: mapping values are not allowed here", 2, SYNTAX)
    ]


def test_every_duplicate_key_is_named_with_the_file_and_both_lines() -> None:
    with pytest.raises(PolicyError) as caught:
        load("title: Privacy\nversion: 1\ntitle: Privacy policy\n", PATH, first_line=2)
    assert caught.value.problems == [
        Problem(
            PATH,
            "key 'title' appears twice, on line 2 and on line 4",
            4,
            "keep one of them: YAML would silently use the last",
        )
    ]


def test_a_key_that_is_missing_is_looked_for_where_it_would_be() -> None:
    """An error about a missing key points at the mapping it belongs in; a key asked for below a plain
    value, at that value's key."""
    loaded = load("# The Sites of SMOps\n\ntimezone: Europe/Amsterdam\nnotice_days: 30\n", "policies/sites.yml")
    assert line_of(loaded.root, "sites") == 3
    assert line_of(loaded.root, "sites", first_line=10) == 12
    assert line_of(loaded.root, "notice_days", "alpha") == 4
    assert loaded.line_of("notice_days", "alpha") == 4
