"""What the structure of a policy body gives the diff, the translations and a Site's text.

Pure and fast (no git, no build): `structure` and `analyse` on Markdown strings, as `diff`, `check`
and the build call them. Complements tests/test_numbering.py (numbering rules) and
tests/test_anchors.py (anchor stability).
"""

from __future__ import annotations

from smops_policy.content.document import analyse, fill_document, placeholder_keys, structure
from smops_policy.content.structure import Block, Clause, Section, with_anchors
from smops_policy.errors import Problems

PATH = "policies/terms/en.md"

WITH_VALUES = """\
Intro for {{ site.company }}.

## About {{ site.company }}

1. We are {{site.company}} at {{ site.address }}.
2. Plain text.
"""


def test_a_sites_values_go_into_headings_and_clause_text_and_nothing_else_changes() -> None:
    document = structure(WITH_VALUES)
    filled = fill_document(document, {"company": "Acme & Co", "address": "Main St 1"})
    assert filled == type(document)(
        (
            Section(None, (Clause(None, (Block("paragraph", "Intro for Acme & Co."),), 1, "paragraph", ""),), 1, "", 0),
            Section(
                "About Acme & Co",
                (
                    Clause(1, (Block("paragraph", "We are Acme & Co at Main St 1."),), 5, "clause", "clause-1"),
                    Clause(2, (Block("paragraph", "Plain text."),), 6, "clause", "clause-2"),
                ),
                3,
                # the anchor is the heading's as written, the same for every Site
                "section-about-company",
                2,
            ),
        ),
        "continuous",
    )


def test_a_value_a_site_does_not_define_reads_as_nothing() -> None:
    filled = fill_document(structure(WITH_VALUES), {"company": "Acme"})
    assert [c.text for c in filled.clauses()] == ["Intro for Acme.", "We are Acme at .", "Plain text."]


def test_the_site_variables_a_document_uses_are_those_of_its_headings_and_units() -> None:
    assert placeholder_keys(structure(WITH_VALUES)) == {"company", "address"}
    assert placeholder_keys(structure("## For {{ site.region }}\n\nText.\n")) == {"region"}
    assert placeholder_keys(structure("## Plain\n\nNo values, {{ not.a.site.value }}.\n")) == set()


def test_a_translation_takes_its_sources_anchors_in_order_in_its_model_and_its_html() -> None:
    source, _ = analyse("## Data\n\nWe keep data.\n\n- Names.\n- Emails.\n")
    anchors = [c.anchor for c in source.clauses()]
    assert all(a.startswith("passage-") for a in anchors)
    translation, html = analyse("## Gegevens\n\nWij bewaren gegevens.\n\n- Namen.\n- E-mails.\n", unit_anchors=anchors)
    assert [c.anchor for c in translation.clauses()] == anchors
    assert [c.text for c in translation.clauses()] == ["Wij bewaren gegevens.", "Namen.", "E-mails."]
    for anchor in anchors:
        assert f'id="{anchor}"' in html
    # the heading keeps its own anchor: headings are matched by the section tree, not by anchor
    assert translation.sections[0].anchor == "section-gegevens"


def test_a_translation_with_a_different_number_of_units_keeps_its_own_anchors() -> None:
    own, _ = analyse("## Gegevens\n\nWij bewaren gegevens.\n")
    taken, _ = analyse("## Gegevens\n\nWij bewaren gegevens.\n", unit_anchors=["passage-1", "passage-2"])
    assert taken == own
    assert with_anchors(own, []) == own
    assert with_anchors(own, ["x"]).sections[0].clauses[0].anchor == "x"


def test_a_numbered_list_starting_at_zero_is_numbered_as_written_and_reported() -> None:
    problems = Problems()
    document, html = analyse("0. Zero.\n1. One.\n", path=PATH, body_line=8, problems=problems)
    assert [(c.number, c.anchor) for c in document.clauses()] == [(0, "clause-0"), (1, "clause-1")]
    assert '<li id="clause-0" value="0" class="clause">Zero.</li>' in html
    assert [str(p) for p in problems.errors] == [
        f"{PATH}:8: clause 0 repeats or goes back (expected 1) (number clauses 1, 2, 3, ... through the whole "
        "document, or set numbering: per-section or none in the front matter)"
    ]
