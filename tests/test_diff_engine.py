"""The clause diff engine: a lawyer's comparison of two policy versions, on plainly fictional text."""

from __future__ import annotations

import json
import random
import textwrap
from itertools import pairwise

import pytest

from smops_policy.compare.diff import (
    BlockDiff,
    ClauseOp,
    DocumentDiff,
    Summary,
    WordChange,
    diff_documents,
    diff_words,
    to_json,
    to_text,
)
from smops_policy.content.document import Document, analyse

# Fictional clauses, distinct enough that none resembles another.
GNOME = "The orchard gnome counts every apple on Tuesday mornings before the market bell."
PEARS = "Pears must be wrapped in blue paper before the river ferry departs."
PLUMS = "Plums are never shipped to the northern islands while storms are forecast."
LEDGER = "The ledger of baskets sold is kept in a locked drawer under the mill stairs."
BATS = "Cherries picked after dusk belong to the bats of the valley by ancient custom."
QUINCE = "Quinces rest in the old windmill until the last frost of spring has passed."
LANTERN = "Lantern oil for the night watch is bought only from the lighthouse keeper."


def parse(body: str) -> Document:
    return analyse(textwrap.dedent(body))[0]


def policy(*sections: tuple[str, list[str]], opening: str = "Fictional Orchard Cooperative") -> Document:
    """A body numbering clauses 1..N across sections given as (heading, clauses)."""
    lines = [opening, ""]
    number = 0
    for heading, clauses in sections:
        lines += [f"## {heading}", ""]
        for clause in clauses:
            number += 1
            lines.append(f"{number}. {clause}")
        lines.append("")
    return parse("\n".join(lines))


def shape(diff: DocumentDiff) -> list[tuple[str, int | None, int | None]]:
    """The clause ops as (op, old number, new number), without the opening passage."""
    return [(op.op, op.old_number, op.new_number) for op in diff.ops if op.old_number or op.new_number]


def words(op: ClauseOp) -> list[tuple[str, str]]:
    return [(change.op, change.text) for change in op.changes]


def only(diff: DocumentDiff, kind: str) -> ClauseOp:
    found = [op for op in diff.ops if op.op == kind]
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- matching by content


def test_a_clause_inserted_in_the_middle_is_one_insertion_and_a_renumbering_noted_once() -> None:
    old = policy(("Fruit", [GNOME, PEARS, PLUMS, LEDGER, BATS]))
    new = policy(("Fruit", [GNOME, PEARS, LANTERN, PLUMS, LEDGER, BATS]))

    diff = diff_documents(old, new)

    assert shape(diff) == [
        ("equal", 1, 1),
        ("equal", 2, 2),
        ("inserted", None, 3),
        ("equal", 3, 4),
        ("equal", 4, 5),
        ("equal", 5, 6),
    ]
    assert diff.summary == Summary(changed=0, inserted=1, deleted=0, moved=0)
    assert diff.renumbered == 3
    inserted = only(diff, "inserted")
    assert inserted.new is not None and inserted.new.text == LANTERN
    assert inserted.blocks == (BlockDiff("inserted", "paragraph", 0, (WordChange("insert", LANTERN),)),)
    assert all(op.blocks == () for op in diff.ops if op.op == "equal")


def test_a_deleted_clause_is_one_deletion_placed_where_it_was() -> None:
    old = policy(("Fruit", [GNOME, PEARS, PLUMS]), ("Records", [LEDGER, BATS]))
    new = policy(("Fruit", [GNOME, PLUMS]), ("Records", [LEDGER, BATS]))

    diff = diff_documents(old, new)

    assert shape(diff) == [("equal", 1, 1), ("deleted", 2, None), ("equal", 3, 2), ("equal", 4, 3), ("equal", 5, 4)]
    assert diff.summary == Summary(deleted=1)
    assert diff.renumbered == 3
    deleted = only(diff, "deleted")
    assert (deleted.old_section, deleted.new_section) == (1, None)
    assert words(deleted) == [("delete", PEARS)]


def test_a_clause_moved_to_another_section_is_moved_not_deleted_and_inserted() -> None:
    old = policy(("Fruit", [GNOME, PEARS, PLUMS]), ("Records", [LEDGER, BATS, QUINCE]))
    new = policy(("Fruit", [GNOME, PLUMS]), ("Records", [LEDGER, BATS, PEARS, QUINCE]))

    diff = diff_documents(old, new)

    assert shape(diff) == [
        ("equal", 1, 1),
        ("equal", 3, 2),
        ("equal", 4, 3),
        ("equal", 5, 4),
        ("moved", 2, 5),
        ("equal", 6, 6),
    ]
    moved = only(diff, "moved")
    assert (moved.old_section, moved.new_section) == (1, 2)
    assert not moved.edited
    assert words(moved) == [("equal", PEARS)]
    assert diff.summary == Summary(moved=1)
    assert diff.renumbered == 3


def test_a_clause_that_lands_under_another_existing_heading_is_moved_even_in_the_same_order() -> None:
    old = policy(("Fruit", [GNOME, PEARS]), ("Records", [LEDGER, BATS]))
    new = policy(("Fruit", [GNOME]), ("Records", [PEARS, LEDGER, BATS]))

    assert shape(diff_documents(old, new)) == [("equal", 1, 1), ("moved", 2, 2), ("equal", 3, 3), ("equal", 4, 4)]


def test_a_heading_inserted_above_clauses_is_a_heading_op_not_a_move_of_each_clause() -> None:
    old = policy(("Fruit", [GNOME, PEARS, PLUMS, LEDGER]))
    new = policy(("Fruit", [GNOME, PEARS]), ("Records", [PLUMS, LEDGER]))

    diff = diff_documents(old, new)

    assert {op.op for op in diff.ops} == {"equal"}
    assert [(s.op, s.old_heading, s.new_heading) for s in diff.sections] == [
        ("equal", None, None),
        ("equal", "Fruit", "Fruit"),
        ("inserted", None, "Records"),
    ]


def test_a_clause_moved_and_edited_is_moved_with_its_word_changes() -> None:
    old = policy(("Fruit", [GNOME, PEARS, PLUMS]), ("Records", [LEDGER, BATS]))
    edited = PEARS.replace("blue paper", "green linen")
    new = policy(("Fruit", [GNOME, PLUMS]), ("Records", [LEDGER, edited, BATS]))

    diff = diff_documents(old, new)

    assert shape(diff) == [("equal", 1, 1), ("equal", 3, 2), ("equal", 4, 3), ("moved", 2, 4), ("equal", 5, 5)]
    moved = only(diff, "moved")
    assert moved.edited
    assert words(moved) == [
        ("equal", "Pears must be wrapped in"),
        ("delete", "blue paper"),
        ("insert", "green linen"),
        ("equal", "before the river ferry departs."),
    ]
    assert diff.summary == Summary(moved=1)


def test_an_edited_clause_is_changed_with_word_level_changes() -> None:
    old = policy(("Fruit", [GNOME, PEARS, PLUMS]))
    new = policy(("Fruit", [GNOME, PEARS.replace("blue", "waxed blue"), PLUMS]))

    diff = diff_documents(old, new)

    assert shape(diff) == [("equal", 1, 1), ("changed", 2, 2), ("equal", 3, 3)]
    assert words(only(diff, "changed")) == [
        ("equal", "Pears must be wrapped in"),
        ("insert", "waxed"),
        ("equal", "blue paper before the river ferry departs."),
    ]
    assert diff.summary == Summary(changed=1)
    assert diff.renumbered == 0


def test_duplicate_clauses_pair_up_in_place() -> None:
    old = policy(("Fruit", ["Reserved.", GNOME, "Reserved.", PEARS]))
    new = policy(("Fruit", ["Reserved.", GNOME, "Reserved.", LANTERN, "Reserved.", PEARS]))

    diff = diff_documents(old, new)

    assert shape(diff) == [
        ("equal", 1, 1),
        ("equal", 2, 2),
        ("equal", 3, 3),
        ("inserted", None, 4),
        ("inserted", None, 5),
        ("equal", 4, 6),
    ]


def test_unnumbered_passages_take_part_like_clauses() -> None:
    old = parse(f"""\
        ## Fruit

        1. {GNOME}
        2. {PEARS}

        Signed by the fictional orchard council on a rainy day.
        """)
    new = parse(f"""\
        ## Fruit

        1. {GNOME}
        2. {PEARS}

        Signed by the fictional orchard council on a sunny day.
        """)

    diff = diff_documents(old, new)

    assert [(op.op, op.old_number, op.new_number) for op in diff.ops] == [
        ("equal", 1, 1),
        ("equal", 2, 2),
        ("changed", None, None),
    ]
    assert words(diff.ops[2]) == [
        ("equal", "Signed by the fictional orchard council on a"),
        ("delete", "rainy"),
        ("insert", "sunny"),
        ("equal", "day."),
    ]


# --------------------------------------------------------------------------- split and merge


def test_a_clause_split_in_two_is_the_best_matching_part_changed_and_the_rest_inserted() -> None:
    old = policy(("Fruit", [GNOME, f"{PEARS} {PLUMS}", LEDGER]))
    new = policy(("Fruit", [GNOME, PEARS, PLUMS, LEDGER]))

    diff = diff_documents(old, new)

    assert shape(diff) == [("equal", 1, 1), ("changed", 2, 2), ("inserted", None, 3), ("equal", 3, 4)]
    changed, inserted = diff.ops[2], diff.ops[3]
    assert words(changed) == [("equal", PEARS), ("delete", PLUMS)]
    assert words(inserted) == [("insert", PLUMS)]
    assert inserted.split_from == 2
    assert diff.summary == Summary(changed=1, inserted=1)


def test_a_split_keeps_the_larger_part_as_the_changed_clause_wherever_it_is() -> None:
    long_part = f"{LEDGER} {BATS}"
    old = policy(("Fruit", [GNOME, f"{PEARS} {long_part}"]))
    new = policy(("Fruit", [GNOME, PEARS, long_part]))

    diff = diff_documents(old, new)

    assert shape(diff) == [("equal", 1, 1), ("inserted", None, 2), ("changed", 2, 3)]
    assert diff.ops[2].split_from == 2
    assert words(diff.ops[3]) == [("delete", PEARS), ("equal", long_part)]


def test_two_clauses_merged_are_the_best_matching_one_changed_and_the_other_deleted() -> None:
    old = policy(("Fruit", [GNOME, PEARS, PLUMS, LEDGER]))
    new = policy(("Fruit", [GNOME, f"{PEARS} {PLUMS}", LEDGER]))

    diff = diff_documents(old, new)

    assert shape(diff) == [("equal", 1, 1), ("changed", 2, 2), ("deleted", 3, None), ("equal", 4, 3)]
    changed, deleted = diff.ops[2], diff.ops[3]
    assert words(changed) == [("equal", PEARS), ("insert", PLUMS)]
    assert deleted.merged_into == 2
    assert deleted.split_from is None
    assert diff.summary == Summary(changed=1, deleted=1)


# --------------------------------------------------------------------------- headings


def test_a_renamed_heading_is_a_changed_section_and_its_clauses_stay_equal() -> None:
    old = policy(("Fruit Rules", [GNOME, PEARS]), ("Ledger Rules", [LEDGER]))
    new = policy(("Fruit Regulations", [GNOME, PEARS]), ("Ledger Rules", [LEDGER]))

    diff = diff_documents(old, new)

    assert {op.op for op in diff.ops} == {"equal"}
    assert diff.summary == Summary()
    assert not diff.identical
    renamed = diff.sections[1]
    assert (renamed.op, renamed.old_index, renamed.new_index) == ("changed", 1, 1)
    assert (renamed.old_heading, renamed.new_heading) == ("Fruit Rules", "Fruit Regulations")
    assert renamed.changes == (
        WordChange("equal", "Fruit"),
        WordChange("delete", "Rules"),
        WordChange("insert", "Regulations"),
    )
    assert [s.op for s in diff.sections] == ["equal", "changed", "equal"]


def test_a_heading_renamed_beyond_recognition_is_paired_by_its_clauses() -> None:
    old = policy(("Fruit", [GNOME, PEARS]), ("Ledger", [LEDGER]))
    new = policy(("Harvest and transport", [GNOME, PEARS]), ("Ledger", [LEDGER]))

    assert [(s.op, s.old_heading, s.new_heading) for s in diff_documents(old, new).sections][1] == (
        "changed",
        "Fruit",
        "Harvest and transport",
    )


def test_a_deleted_heading_is_placed_where_it_was() -> None:
    old = policy(("Fruit", [GNOME]), ("Bats", [BATS]), ("Ledger", [LEDGER]))
    new = policy(("Fruit", [GNOME]), ("Ledger", [LEDGER]))

    diff = diff_documents(old, new)

    assert [(s.op, s.old_heading, s.new_heading) for s in diff.sections] == [
        ("equal", None, None),
        ("equal", "Fruit", "Fruit"),
        ("deleted", "Bats", None),
        ("equal", "Ledger", "Ledger"),
    ]
    assert shape(diff) == [("equal", 1, 1), ("deleted", 2, None), ("equal", 3, 2)]


# --------------------------------------------------------------------------- words and blocks


def test_whitespace_and_rewrapping_are_no_change_at_all() -> None:
    old = parse(f"""\
        Fictional Orchard Cooperative

        ## Fruit

        1. {GNOME}
        2. Members may ask for copies:
           - by writing to the gnome
           - by asking the owl at the gate
        """)
    new = parse("""\
        Fictional   Orchard
        Cooperative

        ## Fruit

        1. The orchard gnome counts every apple
           on Tuesday   mornings before
           the market bell.
        2. Members may ask
           for copies:
            - by writing to the gnome
            - by asking the owl
              at the gate
        """)

    diff = diff_documents(old, new)

    assert diff.identical
    assert {op.op for op in diff.ops} == {"equal"}
    assert diff.summary == Summary()
    assert diff.renumbered == 0
    assert to_text(diff, color=False) == "No changes.\n"


def test_a_word_changed_inside_a_bullet_is_reported_in_that_bullet() -> None:
    old = parse("""\
        1. Members may ask for copies of their basket records:
           - by writing a letter to the gnome
           - by asking the owl at the gate
        """)
    new = parse("""\
        1. Members may ask for copies of their basket records:
           - by writing a polite letter to the gnome
           - by asking the owl at the gate
        """)

    diff = diff_documents(old, new)

    assert shape(diff) == [("changed", 1, 1)]
    assert diff.ops[0].blocks == (
        BlockDiff(
            "equal", "paragraph", 0, (WordChange("equal", "Members may ask for copies of their basket records:"),)
        ),
        BlockDiff(
            "changed",
            "bullet",
            0,
            (
                WordChange("equal", "by writing a"),
                WordChange("insert", "polite"),
                WordChange("equal", "letter to the gnome"),
            ),
        ),
        BlockDiff("equal", "bullet", 0, (WordChange("equal", "by asking the owl at the gate"),)),
    )


def test_a_bullet_added_and_one_removed_keep_their_boundaries() -> None:
    old = parse("""\
        1. The gnome accepts:
           - copper coins
           - polished acorns
           - river pebbles
        """)
    new = parse("""\
        1. The gnome accepts:
           - copper coins
           - river pebbles
           - lantern oil
        """)

    blocks = diff_documents(old, new).ops[0].blocks

    assert [(b.op, b.kind, [(c.op, c.text) for c in b.changes]) for b in blocks] == [
        ("equal", "paragraph", [("equal", "The gnome accepts:")]),
        ("equal", "bullet", [("equal", "copper coins")]),
        ("deleted", "bullet", [("delete", "polished acorns")]),
        ("equal", "bullet", [("equal", "river pebbles")]),
        ("inserted", "bullet", [("insert", "lantern oil")]),
    ]


def test_words_keep_their_punctuation_and_whitespace_is_ignored() -> None:
    assert diff_words("We keep  the records.", "We keep\nthe records, always.") == (
        WordChange("equal", "We keep the"),
        WordChange("delete", "records."),
        WordChange("insert", "records, always."),
    )
    assert diff_words("a  b\tc", "a b c") == (WordChange("equal", "a b c"),)


def test_a_kept_word_between_two_rewrites_is_folded_into_one_readable_rewrite() -> None:
    assert diff_words("one two three the four five six", "red green blue the pink grey gold") == (
        WordChange("delete", "one two three the four five six"),
        WordChange("insert", "red green blue the pink grey gold"),
    )
    # A single replaced word either side stays precise.
    assert diff_words("We collect your data", "We gather your details") == (
        WordChange("equal", "We"),
        WordChange("delete", "collect"),
        WordChange("insert", "gather"),
        WordChange("equal", "your"),
        WordChange("delete", "data"),
        WordChange("insert", "details"),
    )


@pytest.mark.parametrize("seed", range(8))
def test_word_changes_rebuild_both_texts_on_long_rewritten_passages(seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = [f"{a}{b}" for a in ("ka", "lo", "mi", "ru", "te") for b in ("bo", "di", "fu", "ga", "ze", "po")]
    old_words = [rng.choice(vocabulary) + rng.choice(["", "", ",", "."]) for _ in range(1500)]
    new_words: list[str] = []
    for word in old_words:
        roll = rng.random()
        if roll < 0.1:
            new_words.append(rng.choice(vocabulary))
        elif roll < 0.15:
            continue
        elif roll < 0.2:
            new_words += [word, rng.choice(vocabulary)]
        else:
            new_words.append(word)

    changes = diff_words(" ".join(old_words), " ".join(new_words))

    assert " ".join(c.text for c in changes if c.op != "insert").split() == old_words
    assert " ".join(c.text for c in changes if c.op != "delete").split() == new_words
    kept = sum(len(c.text.split()) for c in changes if c.op == "equal")
    assert kept >= 0.7 * len(old_words)  # a real alignment, not "delete all, insert all"
    assert all(a.op != b.op for a, b in pairwise(changes))  # runs are merged


def test_the_result_is_deterministic() -> None:
    old = policy(("Fruit", [GNOME, PEARS, PLUMS]), ("Records", [LEDGER, BATS, QUINCE]))
    new = policy(("Fruit", [PLUMS, GNOME]), ("Records", [LEDGER, PEARS.replace("blue", "red"), QUINCE, LANTERN]))

    assert diff_documents(old, new) == diff_documents(old, new)


def test_empty_documents() -> None:
    empty = Document(())
    full = policy(("Fruit", [GNOME]))

    assert diff_documents(empty, empty).identical
    assert [op.op for op in diff_documents(empty, full).ops] == ["inserted", "inserted"]
    assert diff_documents(full, empty).summary == Summary(deleted=2)


# --------------------------------------------------------------------------- output


def test_to_json_shape() -> None:
    old = policy(("Fruit Rules", [GNOME, PEARS, PLUMS]), ("Records", [LEDGER]))
    new = policy(("Fruit Regulations", [GNOME, LANTERN, PEARS.replace("blue", "red"), PLUMS]), ("Records", [LEDGER]))

    data = to_json(diff_documents(old, new), "1.0", "1.1")

    assert json.loads(json.dumps(data)) == data  # plain JSON types only
    assert list(data) == ["old", "new", "summary", "renumbered", "sections", "clauses"]
    assert data["old"] == "1.0" and data["new"] == "1.1"
    assert data["summary"] == {"changed": 1, "inserted": 1, "deleted": 0, "moved": 0}
    assert data["renumbered"] == 2
    assert data["sections"][1] == {
        "op": "changed",
        "old_index": 1,
        "new_index": 1,
        "old_heading": "Fruit Rules",
        "new_heading": "Fruit Regulations",
        "changes": [
            {"op": "equal", "text": "Fruit"},
            {"op": "delete", "text": "Rules"},
            {"op": "insert", "text": "Regulations"},
        ],
    }
    clauses = data["clauses"]
    assert [(c["op"], c["old_number"], c["new_number"]) for c in clauses] == [
        ("equal", None, None),
        ("equal", 1, 1),
        ("inserted", None, 2),
        ("changed", 2, 3),
        ("equal", 3, 4),
        ("equal", 4, 5),
    ]
    assert clauses[1] == {
        "op": "equal",
        "old_number": 1,
        "new_number": 1,
        "old_section": 1,
        "new_section": 1,
        "split_from": None,
        "merged_into": None,
        "blocks": [],
    }
    assert clauses[3]["blocks"] == [
        {
            "op": "changed",
            "kind": "paragraph",
            "depth": 0,
            "changes": [
                {"op": "equal", "text": "Pears must be wrapped in"},
                {"op": "delete", "text": "blue"},
                {"op": "insert", "text": "red"},
                {"op": "equal", "text": "paper before the river ferry departs."},
            ],
        }
    ]
    assert clauses[2]["blocks"][0]["changes"] == [{"op": "insert", "text": LANTERN}]


def test_to_text_is_a_readable_redline() -> None:
    old = policy(("Fruit", [GNOME, PEARS, PLUMS, LEDGER, BATS, QUINCE]))
    new = policy(("Fruit", [GNOME, LANTERN, PEARS.replace("blue", "red"), PLUMS, LEDGER, BATS, QUINCE]))

    text = to_text(diff_documents(old, new), color=False)

    assert text == textwrap.dedent(f"""\
        1 changed, 1 inserted, 0 deleted, 0 moved; 4 unchanged clauses renumbered
        … 2 unchanged clauses …

        ## Fruit

        § 2 inserted
            {{+{LANTERN}+}}

        § 2 → 3 changed
            Pears must be wrapped in [-blue-] {{+red+}} paper before the river ferry departs.
        … 4 unchanged clauses …
        """)
    colored = to_text(diff_documents(old, new), color=True)
    assert "\x1b[9;31mblue\x1b[0m" in colored and "\x1b[4;32mred\x1b[0m" in colored
    assert "[-" not in colored


def test_to_text_names_moves_splits_and_heading_changes() -> None:
    old = policy(("Fruit Rules", [GNOME, f"{PEARS} {PLUMS}"]), ("Records", [LEDGER, BATS]))
    new = policy(("Fruit Regulations", [PEARS, PLUMS]), ("Records", [LEDGER, GNOME, BATS]))

    text = to_text(diff_documents(old, new), color=False)

    assert "## Fruit [-Rules-] {+Regulations+}  (heading changed)" in text
    # PLUMS is the longer half, so it keeps the old clause's place; PEARS was split off.
    assert "§ 1 inserted (split from § 2)" in text
    assert "§ 2 changed" in text
    assert '§ 1 → 4 moved (from "Fruit Rules" to "Records")' in text
