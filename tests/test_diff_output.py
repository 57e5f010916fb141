"""What a reader of a diff is shown (compare/diff.py through `diff_words`, `diff_documents`, `to_text`
and `to_json`): how word changes are grouped, when a rewritten clause counts as changed rather than
replaced, a removed bullet, and headings that change with nothing else (pure: no build needed)."""

from __future__ import annotations

import textwrap

import pytest

from smops_policy.compare.diff import diff_documents, diff_words, to_json, to_text
from smops_policy.content.document import Document, analyse


def parse(body: str) -> Document:
    return analyse(textwrap.dedent(body))[0]


def ops(old: str, new: str) -> list[tuple[str, str]]:
    return [(c.op, c.text) for c in diff_words(old, new)]


# --------------------------------------------------------------------------- grouping word changes


def test_a_word_kept_between_two_rewrites_is_folded_into_one_rewrite() -> None:
    assert ops("a b c the d e f", "x y z the u v w") == [
        ("delete", "a b c the d e f"),
        ("insert", "x y z the u v w"),
    ]


def test_a_single_replaced_word_either_side_of_a_kept_word_stays_precise() -> None:
    assert ops("a the b", "x the y") == [
        ("delete", "a"),
        ("insert", "x"),
        ("equal", "the"),
        ("delete", "b"),
        ("insert", "y"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "folded"),
    [
        ("a b c d e k1 k2 f g h i j", "v w x y z k1 k2 p q r s t", True),  # 2 kept, 5-word rewrites
        ("a b c d k1 k2 f g h i j", "w x y z k1 k2 p q r s t", False),  # 2 kept, a 4-word rewrite before
        ("a b c d e k1 k2 f g h i", "v w x y z k1 k2 p q r s", False),  # 2 kept, a 4-word rewrite after
        ("a b c d e f g k1 k2 k3 h i j l m n o", "p q r s t u v k1 k2 k3 w x y z 1 2 3", False),  # 3 kept
        ("a b c d e k1 f g h i j", "v w x y z k1 p q r s t", True),
        ("a b k1 f g", "v w k1 p q", False),  # 1 kept, 2-word rewrites
        ("a b c k1 f g h", "v w x k1 p q r", True),  # 1 kept, 3-word rewrites
        ("a b c k1 f g", "v w x k1 p q", False),
        ("a b c k1 f g h", "v w k1 p q r", True),  # the larger side of a rewrite counts: the old one
        ("a b k1 f g h", "v w x k1 p q r", True),  # or the new one
    ],
)
def test_a_word_or_two_kept_between_larger_rewrites_is_folded(old: str, new: str, folded: bool) -> None:
    kept = [text for op, text in ops(old, new) if op == "equal"]
    assert (kept == []) is folded, ops(old, new)


# --------------------------------------------------------------------------- changed or replaced


SAME = ["Members meet every spring in the hall.", "Minutes are kept by the secretary."]


def clause_ops(old_clause: str, new_clause: str) -> list[str]:
    old = "\n".join(f"{n}. {c}" for n, c in enumerate([SAME[0], old_clause, SAME[1]], start=1))
    new = "\n".join(f"{n}. {c}" for n, c in enumerate([SAME[0], new_clause, SAME[1]], start=1))
    return [op.op for op in diff_documents(parse(old), parse(new)).ops]


def test_a_clause_keeping_most_of_its_words_is_changed() -> None:
    old = "one two three four five six seven eight nine ten"
    new = "one two three four five six alpha beta gamma delta"  # 6 of 10 words kept
    assert clause_ops(old, new) == ["equal", "changed", "equal"]


def test_a_clause_keeping_few_of_its_words_is_replaced() -> None:
    old = "one two three four five six seven eight nine ten"
    new = "one two three four alpha beta gamma delta epsilon zeta"  # 4 of 10 words kept
    assert sorted(clause_ops(old, new)) == ["deleted", "equal", "equal", "inserted"]


# --------------------------------------------------------------------------- a removed bullet


def test_a_removed_nested_bullet_is_shown_at_its_depth() -> None:
    old = """\
    1. Pears are wrapped:
       - on weekdays by the miller
         - with string from the mill
       - on feast days by the abbot
    2. Plums stay.
    """
    new = """\
    1. Pears are wrapped:
       - on weekdays by the miller
       - on feast days by the bishop
    2. Plums stay.
    """
    diff = diff_documents(parse(old), parse(new))
    [clause] = [c for c in to_json(diff, "1.0", "1.1")["clauses"] if c["op"] != "equal"]
    assert [(b["op"], b["kind"], b["depth"]) for b in clause["blocks"]] == [
        ("equal", "paragraph", 0),
        ("equal", "bullet", 0),
        ("deleted", "bullet", 1),
        ("changed", "bullet", 0),
    ]
    assert "      • [-with string from the mill-]" in to_text(diff, color=False).splitlines()


# --------------------------------------------------------------------------- headings alone


def test_a_renamed_heading_over_unchanged_clauses_is_shown_where_it_stands() -> None:
    old = """\
    ## Fruit

    1. Apples are counted on Tuesdays.

    ## Bats

    2. Bats keep the cherries picked after dusk.
    """
    new = """\
    ## Produce

    1. Apples are counted on Tuesdays.

    ## Bats

    2. Bats keep the cherries picked after dusk and at dawn.
    """
    assert to_text(diff_documents(parse(old), parse(new)), color=False) == textwrap.dedent("""\
        1 changed, 0 inserted, 0 deleted, 0 moved

        ## [-Fruit-] {+Produce+}  (heading changed)
        … 1 unchanged clause …

        ## Bats

        § 2 changed
            Bats keep the cherries picked after [-dusk.-] {+dusk and at dawn.+}
        """)


def test_a_heading_added_with_no_clause_under_it_is_shown_at_the_end() -> None:
    old = """\
    ## Fruit

    1. Apples are counted on Tuesdays.
    """
    new = """\
    ## Fruit

    1. Apples are counted on Tuesdays.

    ## Annexes
    """
    text = to_text(diff_documents(parse(old), parse(new)), color=False)
    assert text.endswith("\n## {+Annexes+}  (heading inserted)\n")
    assert "## Fruit" not in text  # an unchanged heading is not news


# --------------------------------------------------------------------------- sections in the JSON


SECTIONS_OLD = """\
## Fruit

1. Apples are counted on Tuesdays.

## Bats

2. Bats keep the cherries picked after dusk.

## Boats

3. The ferry leaves at noon.
"""
SECTIONS_NEW = """\
## Bats

1. Bats keep the cherries picked after dusk.

## Boats

2. The ferry leaves at noon.

## Annexes

3. The annex lists every orchard.
"""


def test_the_json_tells_each_section_and_clause_deleted_kept_or_inserted_in_reading_order() -> None:
    data = to_json(diff_documents(parse(SECTIONS_OLD), parse(SECTIONS_NEW)), "1.0", "1.1")
    assert (data["old"], data["new"]) == ("1.0", "1.1")
    assert data["summary"] == {"changed": 0, "inserted": 1, "deleted": 1, "moved": 0}
    assert data["renumbered"] == 2
    assert data["sections"] == [
        {
            "op": "deleted",
            "old_index": 0,
            "new_index": None,
            "old_heading": "Fruit",
            "new_heading": None,
            "changes": [{"op": "delete", "text": "Fruit"}],
        },
        {"op": "equal", "old_index": 1, "new_index": 0, "old_heading": "Bats", "new_heading": "Bats", "changes": []},
        {"op": "equal", "old_index": 2, "new_index": 1, "old_heading": "Boats", "new_heading": "Boats", "changes": []},
        {
            "op": "inserted",
            "old_index": None,
            "new_index": 2,
            "old_heading": None,
            "new_heading": "Annexes",
            "changes": [{"op": "insert", "text": "Annexes"}],
        },
    ]
    none = {"split_from": None, "merged_into": None}
    assert data["clauses"] == [
        {
            "op": "deleted",
            "old_number": 1,
            "new_number": None,
            "old_section": 0,
            "new_section": None,
            **none,
            "blocks": [
                {
                    "op": "deleted",
                    "kind": "paragraph",
                    "depth": 0,
                    "changes": [{"op": "delete", "text": "Apples are counted on Tuesdays."}],
                }
            ],
        },
        {"op": "equal", "old_number": 2, "new_number": 1, "old_section": 1, "new_section": 0, **none, "blocks": []},
        {"op": "equal", "old_number": 3, "new_number": 2, "old_section": 2, "new_section": 1, **none, "blocks": []},
        {
            "op": "inserted",
            "old_number": None,
            "new_number": 3,
            "old_section": None,
            "new_section": 2,
            **none,
            "blocks": [
                {
                    "op": "inserted",
                    "kind": "paragraph",
                    "depth": 0,
                    "changes": [{"op": "insert", "text": "The annex lists every orchard."}],
                }
            ],
        },
    ]


def test_a_section_deleted_in_the_middle_is_told_where_it_stood() -> None:
    new = SECTIONS_OLD.replace("## Bats\n\n2. Bats keep the cherries picked after dusk.\n\n", "").replace(
        "3. The", "2. The"
    )
    sections = to_json(diff_documents(parse(SECTIONS_OLD), parse(new)), "1.0", "1.1")["sections"]
    assert [(s["op"], s["old_heading"]) for s in sections] == [
        ("equal", "Fruit"),
        ("deleted", "Bats"),
        ("equal", "Boats"),
    ]


# --------------------------------------------------------------------------- splits and merges at either side

LONG = (
    "Members meet every spring in the village hall and the secretary keeps the minutes of each meeting in a red book."
)
MEET = "Members meet every spring in the village hall."
MINUTES = "The secretary keeps the minutes of each meeting in a red book."


def story(old: list[str], new: list[str]) -> list[tuple[str, int | None, int | None, int | None, int | None]]:
    def body(clauses: list[str]) -> str:
        return "".join(f"{n}. {c}\n" for n, c in enumerate([*clauses, "Plums stay."], start=1))

    data = to_json(diff_documents(parse(body(old)), parse(body(new))), "1.0", "1.1")
    return [(c["op"], c["old_number"], c["new_number"], c["split_from"], c["merged_into"]) for c in data["clauses"]]


def test_a_clause_split_in_two_says_so_whichever_part_comes_first() -> None:
    assert story([LONG], [MEET, MINUTES]) == [
        ("inserted", None, 1, 1, None),
        ("changed", 1, 2, None, None),
        ("equal", 2, 3, None, None),
    ]
    assert story([LONG], [MINUTES, MEET]) == [
        ("changed", 1, 1, None, None),
        ("inserted", None, 2, 1, None),
        ("equal", 2, 3, None, None),
    ]


def test_two_clauses_merged_into_one_say_so_whichever_part_came_first() -> None:
    assert story([MEET, MINUTES], [LONG]) == [
        ("deleted", 1, None, None, 1),
        ("changed", 2, 1, None, None),
        ("equal", 3, 2, None, None),
    ]
    assert story([MINUTES, MEET], [LONG]) == [
        ("changed", 1, 1, None, None),
        ("deleted", 2, None, None, 1),
        ("equal", 3, 2, None, None),
    ]
