"""How the paragraphs and bullets of an edited clause pair up (compare/pairing.py: `block_diffs`,
`_pair_blocks`), as the diff shows them: a block changed, deleted or inserted where it stood; the
`SIMILAR_BLOCK` floor tried from both sides, and where a huge rewrite falls back to pairing by position.
Pure: parsed in memory, no build. (More cases in test_diff_blocks.py.)"""

from __future__ import annotations

from smops_policy.compare.diff import SIMILAR_BLOCK, diff_documents
from smops_policy.content.document import Document, structure

# A long lead-in keeps the clause paired with itself however much its bullets change.
LEAD = (
    "The orchard cooperative of the lower valley keeps these rules for every member, every season and"
    " every harvest, and writes them down in the ledger:"
)


def clause(lead: str, *bullets: str) -> Document:
    return structure("## Fruit\n\n1. " + lead + "\n" + "".join(f"   - {b}\n" for b in bullets))


def block_ops(old: Document, new: Document) -> list[tuple[str, str]]:
    (op,) = diff_documents(old, new).ops
    return [(b.op, " ".join(c.text for c in b.changes)) for b in op.blocks]


def words(stem: str, count: int) -> str:
    return " ".join(f"{stem}{n}" for n in range(1, count + 1))


def test_two_paragraphs_of_a_clause_run_together_are_one_changed_and_one_deleted() -> None:
    two = structure("## Fruit\n\n1. The orchard keeps these rules.\n\n   Pears travel by ferry.\n")
    one = structure("## Fruit\n\n1. The orchard keeps these rules. Pears travel by ferry.\n")

    assert block_ops(two, one) == [
        ("changed", "The orchard keeps these rules. Pears travel by ferry."),
        ("deleted", "Pears travel by ferry."),
    ]
    assert block_ops(one, two) == [
        ("changed", "The orchard keeps these rules. Pears travel by ferry."),
        ("inserted", "Pears travel by ferry."),
    ]


def test_a_paragraph_that_gains_one_bullet_keeps_the_paragraph_and_inserts_the_bullet() -> None:
    bare = structure(f"## Fruit\n\n1. {LEAD}\n")

    assert block_ops(bare, clause(LEAD, "apples rest in the barn")) == [
        ("equal", LEAD),
        ("inserted", "apples rest in the barn"),
    ]


def test_a_reworded_lead_in_over_unchanged_bullets_is_the_one_change() -> None:
    bullets = ("apples rest in the barn", "pears travel by ferry")
    reworded = LEAD.replace("the ledger", "the red ledger")

    assert block_ops(clause(LEAD, *bullets), clause(reworded, *bullets)) == [
        ("changed", LEAD.replace("the ledger", "the red ledger")),
        ("equal", "apples rest in the barn"),
        ("equal", "pears travel by ferry"),
    ]


def test_bullets_keeping_three_tenths_of_their_words_are_paired_and_fewer_are_not() -> None:
    assert SIMILAR_BLOCK == 0.3
    old = clause(LEAD, words("fig", 10), "pears travel by ferry")

    assert block_ops(old, clause(LEAD, f"{words('fig', 3)} {words('yew', 7)}", "plums wait for the frost")) == [
        ("equal", LEAD),
        ("changed", f"{words('fig', 10)} {words('yew', 7)}"),
        ("deleted", "pears travel by ferry"),
        ("inserted", "plums wait for the frost"),
    ]
    assert block_ops(old, clause(LEAD, f"{words('fig', 2)} {words('yew', 8)}", "plums wait for the frost")) == [
        ("equal", LEAD),
        ("deleted", words("fig", 10)),
        ("deleted", "pears travel by ferry"),
        ("inserted", f"{words('fig', 2)} {words('yew', 8)}"),
        ("inserted", "plums wait for the frost"),
    ]


def test_bullets_removed_and_added_after_a_kept_one_stay_in_their_places() -> None:
    old = clause(
        LEAD,
        "apples rest in the barn",
        "pears travel by ferry on monday",
        "lanterns are lit at dusk",
        "geese graze the meadow",
    )
    new = clause(
        LEAD,
        "apples rest in the barn",
        "pears travel by boat on monday",
        "quinces rest in the windmill",
        "bats own the cherries after dark",
    )

    assert block_ops(old, new) == [
        ("equal", LEAD),
        ("equal", "apples rest in the barn"),
        ("changed", "pears travel by ferry boat on monday"),
        ("deleted", "lanterns are lit at dusk"),
        ("deleted", "geese graze the meadow"),
        ("inserted", "quinces rest in the windmill"),
        ("inserted", "bats own the cherries after dark"),
    ]


def test_two_bullets_removed_before_a_reworded_one_and_two_added_after_it() -> None:
    old = clause(LEAD, "lanterns are lit at dusk", "geese graze the meadow", "pears travel by ferry on monday")
    new = clause(
        LEAD, "pears travel by boat on monday", "quinces rest in the windmill", "bats own the cherries after dark"
    )

    assert block_ops(old, new) == [
        ("equal", LEAD),
        ("deleted", "lanterns are lit at dusk"),
        ("deleted", "geese graze the meadow"),
        ("changed", "pears travel by ferry boat on monday"),
        ("inserted", "quinces rest in the windmill"),
        ("inserted", "bats own the cherries after dark"),
    ]


def rules(numbers: range, where: str) -> list[str]:
    return [f"rule {n} of the {where}" for n in numbers]


def test_twenty_rewritten_bullets_are_still_paired_by_their_words() -> None:
    old = clause(LEAD, *rules(range(20), "orchard"))
    new = clause(LEAD, *rules(range(1, 20), "cooperative"), "a rule for the cooperative")

    ops = block_ops(old, new)

    assert [op for op, _ in ops] == ["equal", "deleted"] + ["changed"] * 19 + ["inserted"]
    assert ops[1] == ("deleted", "rule 0 of the orchard")
    assert ops[2] == ("changed", "rule 1 of the orchard cooperative")


def test_more_than_twenty_by_twenty_rewritten_bullets_are_paired_by_position() -> None:
    old = clause(LEAD, *rules(range(21), "orchard"))
    new = clause(LEAD, *rules(range(1, 21), "cooperative"))

    ops = block_ops(old, new)

    assert [op for op, _ in ops] == ["equal"] + ["changed"] * 20 + ["deleted"]
    assert ops[1] == ("changed", "rule 0 1 of the orchard cooperative")
    assert ops[21] == ("deleted", "rule 20 of the orchard")


def test_a_bullet_added_between_two_reworded_ones_shows_its_own_words() -> None:
    old = clause(LEAD, "pears travel by ferry on monday", "plums wait for the frost")
    new = clause(
        LEAD, "pears travel by boat on monday", "cherries belong to the bats", "plums wait for the first frost"
    )

    assert block_ops(old, new) == [
        ("equal", LEAD),
        ("changed", "pears travel by ferry boat on monday"),
        ("inserted", "cherries belong to the bats"),
        ("changed", "plums wait for the first frost"),
    ]


def test_bullets_removed_after_a_reworded_one_are_each_deleted_with_their_own_words() -> None:
    old = clause(LEAD, "pears travel by ferry on monday", "lanterns are lit at dusk", "geese graze the meadow")
    new = clause(LEAD, "pears travel by boat on monday")

    assert block_ops(old, new) == [
        ("equal", LEAD),
        ("changed", "pears travel by ferry boat on monday"),
        ("deleted", "lanterns are lit at dusk"),
        ("deleted", "geese graze the meadow"),
    ]
