"""How the bullets of an edited clause pair up (written for mutants of `_pair_blocks` that survived)."""

from __future__ import annotations

from smops_policy.compare.diff import diff_documents
from smops_policy.content.document import Document, structure


def clause(*bullets: str) -> Document:
    return structure("## Fruit\n\n1. The orchard keeps these rules:\n" + "".join(f"   - {b}\n" for b in bullets))


def block_ops(old: Document, new: Document) -> list[tuple[str, str]]:
    (op,) = diff_documents(old, new).ops
    return [(b.op, " ".join(c.text for c in b.changes)) for b in op.blocks]


def test_a_removed_bullet_before_two_reworded_ones_is_deleted_and_the_others_paired_by_their_words() -> None:
    old = clause("apples rest in the barn", "pears travel by ferry on monday", "plums wait for the frost")
    new = clause("pears travel by boat on monday", "plums wait for the first frost")

    assert block_ops(old, new) == [
        ("equal", "The orchard keeps these rules:"),
        ("deleted", "apples rest in the barn"),
        ("changed", "pears travel by ferry boat on monday"),
        ("changed", "plums wait for the first frost"),
    ]


def test_a_bullet_added_between_reworded_ones_is_inserted_where_it_stands() -> None:
    old = clause("pears travel by ferry on monday", "plums wait for the frost")
    new = clause("pears travel by boat on monday", "cherries belong to the bats", "plums wait for the first frost")

    assert [op for op, _ in block_ops(old, new)] == ["equal", "changed", "inserted", "changed"]


def test_a_bullet_unlike_any_other_is_not_paired_with_one() -> None:
    old = clause("pears travel by ferry on monday", "lanterns are lit at dusk")
    new = clause("pears travel by boat on monday", "quinces rest in the windmill")

    assert [op for op, _ in block_ops(old, new)] == ["equal", "changed", "deleted", "inserted"]


def test_hundreds_of_rewritten_bullets_pair_by_position() -> None:
    old = clause(*(f"rule {n} of the orchard" for n in range(25)))
    new = clause(*(f"rule {n} of the cooperative" for n in range(25)))

    ops = block_ops(old, new)

    assert [op for op, _ in ops] == ["equal"] + ["changed"] * 25
    assert ops[1] == ("changed", "rule 0 of the orchard cooperative")
    assert ops[25] == ("changed", "rule 24 of the orchard cooperative")


def test_a_one_paragraph_clause_that_gains_bullets_keeps_its_paragraph_and_inserts_the_bullets() -> None:
    old = structure("## Fruit\n\n1. The orchard keeps these rules:\n")
    new = clause("apples rest in the barn", "plums wait for the frost")

    assert block_ops(old, new) == [
        ("equal", "The orchard keeps these rules:"),
        ("inserted", "apples rest in the barn"),
        ("inserted", "plums wait for the frost"),
    ]
    assert block_ops(new, old) == [
        ("equal", "The orchard keeps these rules:"),
        ("deleted", "apples rest in the barn"),
        ("deleted", "plums wait for the frost"),
    ]
