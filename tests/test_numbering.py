"""Issue 16: how a body numbers its clauses, and the structure checks that fit real documents.

Pure and fast (no git, no build): `analyse` on bodies, as `check` and the build call it.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smops_policy.content.document import analyse, read_policy_text
from smops_policy.errors import PolicyError, Problems

from .conftest import PolicyRepo, policy_text
from .hypothesis_profiles import PURE

PER_SECTION = """\
## A. Definitions

1. "Account" means your account.
2. "Service" means the service.

## B. Account Terms

1. You must be a human.
2. You must be 13 or older.
3. You keep your password safe.
"""


def problems_of(body: str, **settings: str) -> list[str]:
    problems = Problems()
    analyse(body, path="policies/terms/en.md", body_line=10, problems=problems, **settings)
    return [str(p) for p in problems.errors]


def test_continuous_numbering_keeps_clause_anchors_and_gives_unnumbered_text_none() -> None:
    document, html = analyse("Acme Ltd\n\n## One\n\n1. First.\n2. Second.\n\n## Two\n\n3. Third.\n")
    assert document.numbering == "continuous"
    assert [c.anchor for c in document.numbered()] == ["clause-1", "clause-2", "clause-3"]
    assert '<li id="clause-3" value="3" class="clause">' in html
    assert "<p>Acme Ltd</p>" in html  # as the seed has always rendered it
    # one section of numbered clauses fits both readings: the numbers are the citation, as in the seed
    document, _ = analyse("## Terms\n\n1. One.\n2. Two.\n")
    assert (document.numbering, document.numbered()[1].anchor) == ("continuous", "clause-2")


def test_numbering_that_restarts_in_each_section_is_accepted_with_section_qualified_anchors() -> None:
    document, html = analyse(PER_SECTION)
    assert document.numbering == "per-section"
    assert [c.anchor for c in document.numbered()] == [
        "section-a-definitions-clause-1",
        "section-a-definitions-clause-2",
        "section-b-account-terms-clause-1",
        "section-b-account-terms-clause-2",
        "section-b-account-terms-clause-3",
    ]
    assert '<li id="section-b-account-terms-clause-3" value="3" class="clause">' in html


def test_a_numbered_list_in_one_section_of_prose_is_cited_by_its_section() -> None:
    body = "Intro.\n\n## A. Definitions\n\n1. Account.\n1. Service.\n\n## B. Terms\n\nOne.\n\nTwo.\n\nThree.\n"
    document, html = analyse(body)
    assert document.numbering == "per-section"
    assert [c.anchor for c in document.numbered()] == [
        "section-a-definitions-clause-1",
        "section-a-definitions-clause-2",
    ]
    # the prose around it is what a reader cites here: every passage has its anchor
    assert all(c.anchor.startswith("passage-") for c in document.clauses() if c.number is None)
    assert html.count(' id="passage-') == 4


def test_numbers_running_on_across_sections_amid_prose_stay_continuous() -> None:
    body = "Intro.\n\nMore.\n\nMore still.\n\n## A\n\n1. One.\n2. Two.\n\n## B\n\n3. Three.\n\nProse.\n\nProse again.\n"
    document, _ = analyse(body)
    assert document.numbering == "continuous"
    assert [c.anchor for c in document.numbered()] == ["clause-1", "clause-2", "clause-3"]
    assert problems_of(body) == []


def test_a_list_written_one_one_one_is_numbered_as_markdown_numbers_it() -> None:
    document, html = analyse("1. First.\n1. Second.\n1. Third.\n")
    assert [c.number for c in document.numbered()] == [1, 2, 3]
    assert '<li id="clause-3" value="3" class="clause">' in html


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "## A\n\n1. One.\n2. Two.\n\n## B\n\n1. One.\n3. Three.\n",
            "policies/terms/en.md:18: clause numbering in section 'B' jumps from 1 to 3 (number the clauses of each "
            "section 1, 2, 3, ..., or set numbering: continuous or none in the front matter)",
        ),
        (
            "## A\n\n1. One.\n2. Two.\n\n## B\n\n1. One.\n1. Again.\n2. Two.\n",
            "policies/terms/en.md:18: clause 1 repeats or goes back in section 'B' (expected 2) (number the clauses "
            "of each section 1, 2, 3, ..., or set numbering: continuous or none in the front matter)",
        ),
        (
            "1. One.\n2. Two.\n4. Four.\n",
            "policies/terms/en.md:12: clause numbering jumps from 2 to 4 (number clauses 1, 2, 3, ... through the "
            "whole document, or set numbering: per-section or none in the front matter)",
        ),
    ],
)
def test_numbering_that_skips_or_repeats_in_its_scope_is_an_error_naming_line_and_remedy(
    body: str, expected: str
) -> None:
    assert problems_of(body) == [expected]


def test_numbering_continuous_makes_a_restart_an_error() -> None:
    errors = problems_of(PER_SECTION, numbering="continuous")
    # one error where the numbering goes back; the clauses after it follow on from there
    assert errors == [
        "policies/terms/en.md:17: clause 1 repeats or goes back (expected 3) (number clauses 1, 2, 3, ... through "
        "the whole document)"
    ]


def test_numbering_per_section_makes_continuous_numbers_an_error() -> None:
    body = "## A\n\n1. One.\n\n## B\n\n2. Two.\n"
    assert problems_of(body) == []
    assert problems_of(body, numbering="per-section") == [
        "policies/terms/en.md:16: clause numbering in section 'B' starts at 2, not 1 (number the clauses of each "
        "section 1, 2, 3, ...)"
    ]


def test_numbering_none_makes_numbered_lists_plain_passages() -> None:
    document, html = analyse("## Steps\n\n1. Open.\n3. Close.\n", numbering="none")
    assert document.numbered() == []
    assert [c.kind for c in document.clauses()] == ["item", "item"]
    assert all(c.anchor.startswith("passage-") for c in document.clauses())
    assert 'class="clause"' not in html


def test_an_empty_section_is_an_error_but_a_heading_over_subsections_is_not() -> None:
    assert problems_of("## A\n\n### A.1\n\nText.\n\n## B\n\n## C\n\nMore.\n") == [
        "policies/terms/en.md:16: section 'B' is empty (write its text under the heading, or remove the heading)"
    ]
    assert problems_of("Intro.\n\n## Last\n") == [
        "policies/terms/en.md:12: section 'Last' is empty (write its text under the heading, or remove the heading)"
    ]


def test_without_problems_given_a_numbering_error_is_raised() -> None:
    with pytest.raises(PolicyError, match="jumps from 1 to 3"):
        analyse("1. One.\n3. Three.\n")
    # an empty section is for `check` to report on the newest version: a build goes on past an old one
    _, html = analyse("## Empty\n\n## Full\n\nText.\n")
    assert '<h2 id="section-empty">Empty</h2>' in html


def test_a_leading_heading_saying_the_title_is_the_title_not_a_section() -> None:
    for body in ("# Privacy policy\n\nText.\n", "Privacy Policy\n--------------\n\nText.\n"):
        document, html = analyse(body, title="Privacy policy")
        assert [s.heading for s in document.sections] == [None]
        assert "<h1" not in html
        assert "<h2" not in html
    # a heading that says something else stays a section, and so does a later one saying the title
    document, _ = analyse("# Our privacy\n\nText.\n\n# Privacy policy\n\nMore.\n", title="Privacy policy")
    assert [s.heading for s in document.sections] == ["Our privacy", "Privacy policy"]


def test_headings_of_every_level_and_style_make_the_section_tree() -> None:
    body = "Intro.\n\nWho we are\n==========\n\nText.\n\n### Details\n\nMore.\n\n#### *Fine print*\n\nSmall.\n"
    document, html = analyse(body)
    assert [(s.heading, s.level) for s in document.sections] == [
        (None, 0),
        ("Who we are", 1),
        ("Details", 3),
        ("*Fine print*", 4),
    ]
    assert document.outline() == (1, 3, 4)
    assert '<h4 id="section-fine-print">' in html


def test_units_are_paragraphs_bullets_quotes_and_tables() -> None:
    body = "Para.\n\n- one\n- two\n\n> quoted\n\n| a | b |\n| - | - |\n| 1 | 2 |\n| 3 | 4 |\n"
    document, html = analyse(body)
    units = list(document.clauses())
    assert [u.kind for u in units] == ["paragraph", "bullet", "bullet", "quote", "table"]
    assert [b.text for b in units[-1].blocks] == ["a | b", "1 | 2", "3 | 4"]
    assert all(u.anchor.startswith("passage-") for u in units)
    for unit in units:
        assert f'id="{unit.anchor}"' in html
    assert "<table" in html


def test_a_link_to_a_heading_by_its_usual_slug_goes_to_its_anchor() -> None:
    _, html = analyse("- [What we collect](#what-we-collect)\n\n## What we collect\n\nText.\n")
    assert 'href="#section-what-we-collect"' in html
    assert 'id="section-what-we-collect"' in html
    # the title is no section here: a link to it goes to the top of the page; other fragments stay
    _, html = analyse("# Terms\n\n[Top](#terms), [elsewhere](#nowhere)\n", title="Terms")
    assert '<a href="#">Top</a>' in html and '<a href="#nowhere">elsewhere</a>' in html


def test_numbering_in_front_matter_must_be_one_of_the_three() -> None:
    raw = b'---\ntitle: T\nversion: "1.0"\neffective: 2020-01-01\nsummary: S\nnumbering: sometimes\n---\n\nText.\n'
    with pytest.raises(PolicyError) as caught:
        read_policy_text(raw, "policies/terms/en.md")
    assert str(caught.value.problems[0]) == (
        "policies/terms/en.md:6: 'numbering' is 'sometimes' (write numbering: continuous, per-section or none, "
        "or leave it out (README, Numbering))"
    )
    raw = raw.replace(b"sometimes", b"per-section")
    assert read_policy_text(raw, "policies/terms/en.md").meta.numbering == "per-section"


def test_check_reports_numbering_that_breaks_the_front_matter_setting(policy_repo: PolicyRepo) -> None:
    text = policy_text("1.0", "2020-01-01", ["One.", "Two.", "Three."], sections={1: "A", 3: "B"})
    restarted = text.replace("3. Three.", "1. Three.")
    policy_repo.write("policies/privacy/en.md", restarted)
    policy_repo.write("policies/privacy/nl.md", restarted.replace("Sample Policy", "Voorbeeldbeleid"))
    policy_repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    assert policy_repo.smops("check").returncode == 0  # restarting per section, consistently
    policy_repo.write("policies/privacy/en.md", restarted.replace("summary:", "numbering: continuous\nsummary:"))
    result = policy_repo.smops("check")
    assert result.returncode == 1
    assert "policies/privacy/en.md:19: clause 1 repeats or goes back (expected 3)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_translation_whose_section_tree_differs_from_its_source_is_an_error(policy_repo: PolicyRepo) -> None:
    text = policy_text("1.0", "2020-01-01", ["One.", "Two.", "Three."], sections={1: "A", 3: "B"})
    policy_repo.write("policies/privacy/en.md", text)
    policy_repo.write(
        "policies/privacy/nl.md", text.replace("Sample Policy", "Voorbeeldbeleid").replace("## B", "### B")
    )
    policy_repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    result = policy_repo.smops("check")
    assert result.returncode == 1
    assert (
        "policies/privacy/nl.md:3: version 1.0 (commit" in result.stderr
        and "has 3 clauses and 2 sections at heading levels 2 3, but version 1.0 of policies/privacy/en.md has "
        "3 clauses and 2 sections at heading levels 2 2"
        in result.stderr
    )


# A document of sections, each with some prose and a numbered list of a given length (0: none).
shapes = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), min_size=1, max_size=6)


def numbered_body(shape: list[tuple[int, int]], *, restart: bool) -> tuple[str, list[int]]:
    """The body, and the line (body_line 1) of each numbered item."""
    lines: list[str] = []
    lines_of: list[int] = []
    n = 0
    for s, (prose, items) in enumerate(shape):
        lines += [f"## Section {s}", ""]
        for p in range(prose):
            lines += [f"Prose {s} {p}.", ""]
        if restart:
            n = 0
        for _ in range(items):
            n += 1
            lines_of.append(len(lines) + 1)
            lines.append(f"{n}. Item {s} {n}.")
        lines.append("")
        if not prose and not items:
            lines += ["Filler.", ""]
    return "\n".join(lines), lines_of


@PURE
@given(shape=shapes, restart=st.booleans())
def test_any_consistently_numbered_document_passes_as_written(shape: list[tuple[int, int]], restart: bool) -> None:
    body, _ = numbered_body(shape, restart=restart)
    problems = Problems()
    document, _ = analyse(body, problems=problems)
    assert problems.errors == []
    sections_with_items = sum(1 for _, items in shape if items)
    if sections_with_items == 0:
        assert document.numbering == "none"
    assert len(document.numbered()) == sum(items for _, items in shape)
    given_anchors = [c.anchor for c in document.clauses() if c.anchor]
    assert len(set(given_anchors)) == len(given_anchors)
    # numbered clauses always have an anchor; unnumbered text has one unless the numbering is continuous
    assert all(c.anchor for c in document.numbered())
    assert all(bool(c.anchor) != (document.numbering == "continuous") for c in document.clauses() if c.number is None)


@PURE
@given(shape=shapes, restart=st.booleans(), data=st.data())
def test_numbering_that_skips_once_is_one_error_on_its_line(
    shape: list[tuple[int, int]], restart: bool, data: st.DataObject
) -> None:
    body, lines_of = numbered_body(shape, restart=restart)
    numbering = "per-section" if restart else "continuous"
    if not lines_of:
        return
    k = data.draw(st.integers(0, len(lines_of) - 1))
    lines = body.split("\n")
    # a skip: this number and every later one in its scope one higher
    scope = [line for line in lines_of if line >= lines_of[k]]
    if restart:
        heading = max(i for i, text in enumerate(lines) if text.startswith("## ") and i < lines_of[k])
        following = [i for i, text in enumerate(lines) if text.startswith("## ") and i > heading]
        scope = [line for line in scope if not following or line - 1 < following[0]]
    for line in scope:
        number, rest = lines[line - 1].split(". ", 1)
        lines[line - 1] = f"{int(number) + 1}. {rest}"
    problems = Problems()
    analyse("\n".join(lines), path="p.md", problems=problems, numbering=numbering)
    assert [p.line for p in problems.errors] == [lines_of[k]]
    assert "jumps from" in problems.errors[0].message or "starts at" in problems.errors[0].message


def test_check_names_an_empty_section_with_its_line(policy_repo: PolicyRepo) -> None:
    text = policy_text("1.0", "2020-01-01", ["One.", "Two."], sections={2: "Contact"})
    policy_repo.write("policies/privacy/en.md", text.replace("## Contact", "## Empty\n\n## Contact"))
    policy_repo.write("policies/privacy/nl.md", text.replace("Sample Policy", "Voorbeeldbeleid"))
    policy_repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    result = policy_repo.smops("check")
    assert result.returncode == 1
    assert (
        "policies/privacy/en.md:12: section 'Empty' is empty (write its text under the heading, or remove the heading)"
        in result.stderr
    )


def test_the_model_keeps_each_units_kind_text_and_line_and_each_sections_line() -> None:
    document, _ = analyse("Preamble.\n\n## Terms\n\n1. One.\n2. Two.\n", body_line=5)
    preamble, terms = document.sections
    assert (preamble.heading, preamble.anchor, preamble.line, preamble.level) == (None, "", 5, 0)
    assert (terms.line, terms.level) == (7, 2)
    assert [(c.kind, c.number, c.text, c.line) for c in document.clauses()] == [
        ("paragraph", None, "Preamble.", 5),
        ("clause", 1, "One.", 9),
        ("clause", 2, "Two.", 10),
    ]


def test_half_the_units_numbered_through_the_document_is_continuous() -> None:
    document, _ = analyse("## Terms\n\nIntro.\n\n1. One.\n")
    assert (document.numbering, document.numbered()[0].anchor) == ("continuous", "clause-1")


def test_numbered_clauses_before_any_heading_keep_plain_anchors_when_numbering_restarts() -> None:
    document, _ = analyse("1. One.\n\n## A\n\n1. Uno.\n", numbering="per-section")
    assert [c.anchor for c in document.numbered()] == ["clause-1", "section-a-clause-1"]


def test_a_title_heading_is_recognised_through_emphasis_but_not_below_level_two() -> None:
    assert [s.heading for s in analyse("# *Terms*\n\nText.\n", title="Terms")[0].sections] == [None]
    assert [s.heading for s in analyse("### Terms\n\nText.\n", title="Terms")[0].sections] == ["Terms"]


def test_a_heading_over_the_last_subsection_is_not_empty() -> None:
    assert problems_of("## A\n\n### A.1\n\nText.\n") == []
