"""The front matter of a policy file, as an editor writes it and as `check` reads it back.

Pure and fast (no git, no build): `read_policy_text` on bytes. Each refusal is compared whole, as the
editor reads it: `path:line: message (what to do)`.
"""

from __future__ import annotations

import datetime as dt

import pytest

from smops_policy.content.frontmatter import MAX_VERSION, decode_text, read_policy_text
from smops_policy.errors import PolicyError

PATH = "policies/privacy/en.md"
# line 1 '---', lines 2-5 the keys, line 6 '---', the body from line 7
GOOD = 'title: Privacy Policy\nversion: "1.2"\neffective: 2020-01-01\nsummary: Clearer wording.\n'


def policy(front: str, body: str = "Text.\n") -> bytes:
    return f"---\n{front}---\n{body}".encode()


def refusals(raw: bytes) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        read_policy_text(raw, PATH)
    return [str(p) for p in caught.value.problems]


def refused(front: str) -> list[str]:
    return refusals(policy(front))


def test_a_well_formed_file_gives_its_keys_their_lines_and_the_body_from_its_first_line() -> None:
    text = read_policy_text(policy(GOOD, "Fictional Ltd\n\n1. One.\n"), PATH)
    assert text.path == PATH
    meta = text.meta
    assert (meta.title, meta.version, meta.effective, meta.summary) == (
        "Privacy Policy",
        "1.2",
        dt.date(2020, 1, 1),
        "Clearer wording.",
    )
    assert (meta.material, meta.summaries, meta.corrected, meta.numbering) == (False, (), "", "")
    assert meta.lines == (("title", 2), ("version", 3), ("effective", 4), ("summary", 5))
    assert meta.line_of("effective") == 4
    assert meta.line_of("material") is None
    assert text.body == "Fictional Ltd\n\n1. One.\n"
    assert text.body_line == 7


def test_every_key_set_is_recorded_with_its_line_in_the_order_written() -> None:
    front = GOOD + "material: true\nnumbering: per-section\nreviewed-by: legal\n1: a number as a key\n"
    meta = read_policy_text(policy(front), PATH).meta
    assert meta.material is True
    assert meta.numbering == "per-section"
    # a key that is not text (1:) names nothing an editor or a check asks for
    assert [key for key, _ in meta.lines] == [
        "title",
        "version",
        "effective",
        "summary",
        "material",
        "numbering",
        "reviewed-by",
    ]
    assert meta.line_of("reviewed-by") == 8


def test_titles_and_summaries_written_over_several_lines_or_spaced_out_are_one_line() -> None:
    front = 'title: "  Privacy   Policy "\nversion: "1.2"\neffective: 2020-01-01\nsummary: >\n  Clearer\n    wording.\n'
    meta = read_policy_text(policy(front), PATH).meta
    assert (meta.title, meta.summary) == ("Privacy Policy", "Clearer wording.")


def test_a_quoted_date_is_a_date_and_the_front_matter_markers_may_carry_spaces() -> None:
    raw = b'---  \ntitle: T\nversion: "1"\neffective: " 2021-03-04 "\nsummary: S\n --- \nBody\n'
    text = read_policy_text(raw, PATH)
    assert text.meta.effective == dt.date(2021, 3, 4)
    assert (text.body, text.body_line) == ("Body\n", 7)


def test_a_byte_order_mark_and_windows_or_old_mac_line_ends_read_as_plain_lines() -> None:
    raw = '\ufeff---\r\ntitle: T\r\nversion: "1"\reffective: 2020-01-01\nsummary: S\r\n---\r\nOne.\rTwo.\r\n'
    text = read_policy_text(raw.encode(), PATH)
    assert text.meta.lines == (("title", 2), ("version", 3), ("effective", 4), ("summary", 5))
    assert (text.body, text.body_line) == ("One.\nTwo.\n", 7)


def test_a_file_that_is_not_utf8_is_refused_at_its_first_bad_line() -> None:
    raw = policy(GOOD).replace(b"Clearer", b"Clear\xe9r")
    assert refusals(raw) == [f"{PATH}:5: is not UTF-8 text (save the file as UTF-8)"]
    with pytest.raises(PolicyError) as caught:
        decode_text(b"ok\nok\n\xff", "sites.yml", hint="save sites.yml as UTF-8")
    assert str(caught.value) == "sites.yml:3: is not UTF-8 text (save sites.yml as UTF-8)"


def test_a_file_without_front_matter_or_with_it_unclosed_is_refused_at_line_one() -> None:
    start = "start the file with a '---' line, then title, version, effective, summary, then '---'"
    assert refusals(b"") == [f"{PATH}:1: has no front matter ({start})"]
    assert refusals(b"# Privacy\n---\ntitle: T\n---\n") == [f"{PATH}:1: has no front matter ({start})"]
    assert refusals(b"---\n" + GOOD.encode() + b"Text.\n") == [
        f"{PATH}:1: front matter is not closed (end it with a line '---')"
    ]
    assert refusals(b"---\n") == [f"{PATH}:1: front matter is not closed (end it with a line '---')"]


def test_front_matter_that_is_a_list_or_a_bare_value_is_refused() -> None:
    assert refused("- title\n- version\n") == [f"{PATH}:2: front matter must be key: value lines"]
    assert refused("just a sentence\n") == [f"{PATH}:2: front matter must be key: value lines"]


def test_empty_front_matter_names_every_missing_key_at_line_one() -> None:
    assert refused("") == [
        f"{PATH}:1: front matter has no 'title' (add 'title: ...')",
        f"{PATH}:1: front matter has no 'summary' (add 'summary: ...')",
        f'{PATH}:1: version is missing; it must be a dotted number (write e.g. version: "1.1")',
        f"{PATH}:1: effective date is missing; it must be a real date YYYY-MM-DD (write e.g. effective: 2016-12-13)",
    ]


@pytest.mark.parametrize("title", ['""', "'   '", ""])
def test_an_empty_title_is_missing_at_its_own_line(title: str) -> None:
    assert refused(GOOD.replace("Privacy Policy", title)) == [
        f"{PATH}:2: front matter has no 'title' (add 'title: ...')"
    ]


def test_a_title_must_be_one_line_of_text() -> None:
    hint = "write title: followed by the text, quoted if it holds ':', '[' or '{'"
    assert refused(GOOD.replace("Privacy Policy", "[Privacy, Policy]")) == [
        f"{PATH}:2: 'title' must be one line of text, not a list ({hint})"
    ]
    assert refused(GOOD.replace("Privacy Policy", "{Privacy: Policy}")) == [
        f"{PATH}:2: 'title' must be one line of text, not a mapping ({hint})"
    ]
    assert refused(GOOD.replace("Privacy Policy", "2020")) == [
        f"{PATH}:2: 'title' must be text (quote it: title: \"2020\")"
    ]


def test_a_summary_per_site_takes_its_default_for_the_other_sites() -> None:
    front = GOOD.replace(
        "summary: Clearer wording.\n", "summary:\n  us: For  the US.\n  default: For all.\n  eu: For the EU.\n"
    )
    meta = read_policy_text(policy(front), PATH).meta
    assert meta.summary == "For all."
    assert meta.summaries == (("eu", "For the EU."), ("us", "For the US."))


def test_a_summary_per_site_needs_a_default_and_text_for_each_site() -> None:
    entry = "write each entry as  SITE-ID: text  (and one  default: text)"
    no_default = "write one line of text (quoted if it holds ':'), or Site id: text lines with a  default: text"
    front = GOOD.replace("summary: Clearer wording.\n", "summary:\n  eu: For the EU.\n  us: ''\n  1: One.\n  nl: [a]\n")
    assert refused(front) == [
        f"{PATH}:5: summary for 'us' must be one line of text ({entry})",
        f"{PATH}:5: summary for 1 must be one line of text ({entry})",
        f"{PATH}:5: summary for 'nl' must be one line of text ({entry})",
        f"{PATH}:5: 'summary' is a mapping without a 'default' ({no_default})",
    ]


@pytest.mark.parametrize(
    ("written", "hint"),
    [("1.10", "1.10"), ("2", "2"), ("1.0", "1.0"), ("01.10", "1.10")],
)
def test_a_version_yaml_reads_as_a_number_must_be_quoted_as_written(written: str, hint: str) -> None:
    assert refused(GOOD.replace('"1.2"', written)) == [
        f'{PATH}:3: version {written} must be quoted text (write version: "{hint}")'
    ]


@pytest.mark.parametrize(
    ("written", "shown"),
    [("true", "'true'"), ("[1]", "[1]"), ('"1.a"', "'1.a'"), ('"1."', "'1.'"), ('"v1"', "'v1'"), ('"1０"', "'1０'")],
)
def test_a_version_that_is_no_dotted_number_is_refused_as_written(written: str, shown: str) -> None:
    assert refused(GOOD.replace('"1.2"', written)) == [
        f'{PATH}:3: version is {shown}; it must be a dotted number (write e.g. version: "1.1")'
    ]


def test_a_version_number_may_have_at_most_max_version_characters() -> None:
    longest = "1" * MAX_VERSION
    assert read_policy_text(policy(GOOD.replace("1.2", longest)), PATH).meta.version == longest
    too_long = "1." * 16 + "1"
    assert len(too_long) == MAX_VERSION + 1
    assert refused(GOOD.replace("1.2", too_long)) == [
        f'{PATH}:3: version 1.1.1.1.1.1.1.1.1.1.… is 33 characters long (use at most 32 characters, e.g. version: "1.1")'
    ]


@pytest.mark.parametrize(("written", "canonical"), [("01.0", "1.0"), ("1.02", "1.2"), ("1.0.00", "1.0.0")])
def test_a_version_with_a_leading_zero_is_refused_with_the_number_it_could_be_taken_for(
    written: str, canonical: str
) -> None:
    assert refused(GOOD.replace("1.2", written)) == [
        f"{PATH}:3: version '{written}' has a leading zero, so it could be taken for version {canonical} "
        f'(write version: "{canonical}")'
    ]


def test_zero_and_numbers_with_zeros_inside_are_versions() -> None:
    for version in ("0", "0.1", "10.0", "1.0.10"):
        assert read_policy_text(policy(GOOD.replace("1.2", version)), PATH).meta.version == version


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("2020-02-30", "'2020-02-30'"),
        ("'20200101'", "'20200101'"),
        ("2020", "'2020'"),
        ("[2020]", "'[2020]'"),
        ("2020-W01-1", "'2020-W01-1'"),
    ],
)
def test_an_effective_date_must_be_a_real_date_written_yyyy_mm_dd(written: str, shown: str) -> None:
    assert refused(GOOD.replace("2020-01-01", written)) == [
        f"{PATH}:4: effective date is {shown}; it must be a real date YYYY-MM-DD (write e.g. effective: 2016-12-13)"
    ]


@pytest.mark.parametrize("written", ['"true"', "yes", "1"])
def test_material_is_true_or_false(written: str) -> None:
    assert refused(GOOD + f"material: {written}\n") == [
        f"{PATH}:6: 'material' must be true or false (write material: true)"
    ]
    assert read_policy_text(policy(GOOD + "material: false\n"), PATH).meta.material is False


def test_corrected_says_what_a_translation_fix_corrects_and_may_not_be_empty() -> None:
    assert read_policy_text(policy(GOOD + 'corrected: "a   typo in 3"\n'), PATH).meta.corrected == "a typo in 3"
    hint = 'say what this correction of the translation corrects: corrected: "what was corrected"'
    for empty in ("", "'  '"):
        assert refused(GOOD + f"corrected: {empty}\n") == [f"{PATH}:6: 'corrected' is empty ({hint})"]
    assert refused(GOOD + "corrected: [a, b]\n") == [
        f"{PATH}:6: 'corrected' must be one line of text, not a list "
        "(write corrected: followed by the text, quoted if it holds ':', '[' or '{')"
    ]


@pytest.mark.parametrize("numbering", ["continuous", "per-section", "none"])
def test_numbering_takes_one_of_three_settings(numbering: str) -> None:
    assert read_policy_text(policy(GOOD + f"numbering: {numbering}\n"), PATH).meta.numbering == numbering


@pytest.mark.parametrize(("written", "shown"), [("bogus", "'bogus'"), ("[a]", "['a']"), ("Continuous", "'Continuous'")])
def test_any_other_numbering_is_refused_as_written(written: str, shown: str) -> None:
    assert refused(GOOD + f"numbering: {written}\n") == [
        f"{PATH}:6: 'numbering' is {shown} "
        "(write numbering: continuous, per-section or none, or leave it out (README, Numbering))"
    ]


def test_every_problem_of_the_front_matter_is_reported_at_once() -> None:
    front = "title: [a]\nversion: 1.10\neffective: soon\nsummary: ''\nmaterial: maybe\nnumbering: odd\n"
    assert [line.split(": ", 1)[0] for line in refused(front)] == [f"{PATH}:{n}" for n in (2, 5, 3, 4, 6, 7)]


def test_a_value_yaml_reads_as_a_number_is_quoted_in_the_refusal_as_written() -> None:
    assert refused(GOOD.replace("2020-01-01", "2020.10")) == [
        f"{PATH}:4: effective date is '2020.10'; it must be a real date YYYY-MM-DD (write e.g. effective: 2016-12-13)"
    ]
    assert refused(GOOD + "numbering: 1.10\n") == [
        f"{PATH}:6: 'numbering' is '1.10' "
        "(write numbering: continuous, per-section or none, or leave it out (README, Numbering))"
    ]


def test_front_matter_that_is_not_valid_yaml_is_refused_with_the_files_line() -> None:
    assert refused("title: [unclosed\n") == [
        f"{PATH}:2: front matter is not valid YAML: expected ',' or ']', but got '<stream end>' (fix the YAML syntax)"
    ]
    assert refused(GOOD + "title: again\n") == [
        f"{PATH}:6: key 'title' appears twice, on line 2 and on line 6 (keep one of them: YAML would silently use the last)"
    ]


def test_a_file_too_large_to_be_a_policy_is_refused_before_it_is_read() -> None:
    raw = policy(GOOD, "x" * 1_000_000)
    assert refusals(raw) == [
        f"{PATH}:1: is {len(raw):,} bytes, more than the 1,000,000 a file here may have "
        "(split the text, or check that the right file was committed)"
    ]
