"""Which clause of one version is which clause of the other (compare/pairing.py: `pair_clauses`), as
the diff reports it: changed in place, moved, or deleted and inserted; the similarity floors tried from
both sides (`SIMILAR` in place, `SIMILAR_MOVED` elsewhere), the preference for an edit in place, and
clauses rewritten so heavily that only their place tells them apart. Pure: parsed in memory, no build.

The clauses are made of numbered words (`pear1 pear2 ...`) so that the share of words two clauses have
in common, which decides, can be read off the test: 2·common / (words of one + words of the other).
"""

from __future__ import annotations

from smops_policy.compare.diff import SIMILAR, SIMILAR_MOVED, diff_documents
from smops_policy.content.document import Document, structure


def words(stem: str, count: int) -> list[str]:
    return [f"{stem}{n}" for n in range(1, count + 1)]


def clause(*parts: list[str]) -> str:
    return " ".join(w for part in parts for w in part) + "."


def reordered(text: str) -> str:
    """The same words, back to front (no two neighbours as they were)."""
    return " ".join(reversed(text.rstrip(".").split())) + "."


def doc(paragraphs: list[str]) -> Document:
    return structure("## Rules\n\n" + "\n\n".join(paragraphs) + "\n")


def story(old: list[str], new: list[str]) -> list[tuple[str, int | None, int | None]]:
    """The clause ops as (op, place in `old`, place in `new`), counted from 0."""
    old_doc, new_doc = doc(old), doc(new)
    old_place = {id(c): k for k, c in enumerate(old_doc.sections[0].clauses)}
    new_place = {id(c): k for k, c in enumerate(new_doc.sections[0].clauses)}
    return [
        (op.op, old_place[id(op.old)] if op.old else None, new_place[id(op.new)] if op.new else None)
        for op in diff_documents(old_doc, new_doc).ops
    ]


# Unrelated clauses around the ones a test is about.
A, B, C, D = (clause(words(stem, 8)) for stem in ("apple", "bat", "cider", "dusk"))
PEARS = words("pear", 20)
ORIGINAL = clause(PEARS)


def keeping(kept: int) -> str:
    """ORIGINAL with all but its first `kept` of 20 words replaced: 2·kept / 40 words in common."""
    return clause(PEARS[:kept], words("plum", 20 - kept))


# --------------------------------------------------------------------------- the floors


def test_a_clause_edited_in_place_is_changed_from_half_its_words_kept() -> None:
    assert SIMILAR == 0.5
    assert story([A, ORIGINAL, B, C], [A, keeping(10), B, C]) == [
        ("equal", 0, 0),
        ("changed", 1, 1),
        ("equal", 2, 2),
        ("equal", 3, 3),
    ]
    assert story([A, ORIGINAL, B, C], [A, keeping(9), B, C]) == [
        ("equal", 0, 0),
        ("deleted", 1, None),
        ("inserted", None, 1),
        ("equal", 2, 2),
        ("equal", 3, 3),
    ]


def test_a_clause_taken_elsewhere_must_keep_more_of_its_words_to_count_as_moved() -> None:
    assert SIMILAR_MOVED == 0.6
    assert story([A, ORIGINAL, B, C, D], [A, B, C, keeping(12), D]) == [
        ("equal", 0, 0),
        ("equal", 2, 1),
        ("equal", 3, 2),
        ("moved", 1, 3),
        ("equal", 4, 4),
    ]
    # 0.55 is enough in place, not elsewhere: a false move misleads more than a deletion and an insertion
    assert story([A, ORIGINAL, B, C, D], [A, keeping(11), B, C, D])[1] == ("changed", 1, 1)
    assert story([A, ORIGINAL, B, C, D], [A, B, C, keeping(11), D]) == [
        ("equal", 0, 0),
        ("deleted", 1, None),
        ("equal", 2, 1),
        ("equal", 3, 2),
        ("inserted", None, 3),
        ("equal", 4, 4),
    ]


def test_a_much_longer_clause_holding_all_the_words_does_not_hide_the_reworded_one_beside_it() -> None:
    quinces = clause(words("quince", 10))
    longer = clause(words("quince", 10), words("lantern", 22))  # every word of the new clause and 22 more

    assert story([A, longer, reordered(quinces), B], [A, quinces, B]) == [
        ("equal", 0, 0),
        ("deleted", 1, None),
        ("changed", 2, 1),
        ("equal", 3, 2),
    ]


# --------------------------------------------------------------------------- in place or elsewhere


QUINCES = words("quince", 50)
NEW = clause(QUINCES)


def test_an_edit_in_place_wins_over_a_slightly_closer_clause_elsewhere() -> None:
    in_place = clause(QUINCES[:45], words("gnome", 5))  # 0.90
    elsewhere = clause(QUINCES[:46], words("heron", 4))  # 0.92

    assert story([A, in_place, B, C, elsewhere, D], [A, NEW, B, C, D]) == [
        ("equal", 0, 0),
        ("changed", 1, 1),
        ("equal", 2, 2),
        ("equal", 3, 3),
        ("deleted", 4, None),
        ("equal", 5, 4),
    ]


def test_a_much_closer_clause_elsewhere_wins_over_an_edit_in_place() -> None:
    in_place = clause(QUINCES[:30], words("gnome", 20))  # 0.60
    elsewhere = clause(QUINCES[:49], words("heron", 1))  # 0.98

    assert story([A, in_place, B, C, elsewhere, D], [A, NEW, B, C, D]) == [
        ("equal", 0, 0),
        ("deleted", 1, None),
        ("moved", 4, 1),
        ("equal", 2, 2),
        ("equal", 3, 3),
        ("equal", 5, 4),
    ]


def test_a_one_word_edit_in_place_wins_over_the_same_text_elsewhere() -> None:
    in_place = clause(QUINCES[:49], words("gnome", 1))  # 0.98

    assert story([A, in_place, B, C, NEW, D], [A, NEW, B, C, D]) == [
        ("equal", 0, 0),
        ("changed", 1, 1),
        ("equal", 2, 2),
        ("equal", 3, 3),
        ("deleted", 4, None),
        ("equal", 5, 4),
    ]


def test_of_two_copies_elsewhere_the_one_from_the_nearer_place_is_the_one_moved() -> None:
    copy = clause(words("yew", 8))

    assert story([copy, A, B, C, copy, D], [A, B, copy, C, D]) == [
        ("deleted", 0, None),
        ("equal", 1, 0),
        ("equal", 2, 1),
        ("moved", 4, 2),
        ("equal", 3, 3),
        ("equal", 5, 4),
    ]


# --------------------------------------------------------------------------- rewritten beyond their word pairs


FIG, GOURD = clause(words("fig", 8)), clause(words("gourd", 8))
OTHERS = [clause(words(stem, 8)) for stem in ("yew", "zest", "wren", "vine")]


def test_a_clause_with_its_words_reordered_is_changed_in_place() -> None:
    assert story([A, FIG, B], [A, reordered(FIG), B]) == [("equal", 0, 0), ("changed", 1, 1), ("equal", 2, 2)]


def test_reordered_clauses_after_one_inserted_keep_their_partners() -> None:
    yew, zest = OTHERS[:2]

    assert story([A, FIG, GOURD, yew, B], [A, zest, reordered(FIG), reordered(GOURD), B]) == [
        ("equal", 0, 0),
        ("inserted", None, 1),
        ("changed", 1, 2),
        ("changed", 2, 3),
        ("deleted", 3, None),
        ("equal", 4, 4),
    ]


def test_reordered_clauses_after_one_deleted_keep_their_partners() -> None:
    yew, zest = OTHERS[:2]

    assert story([A, yew, FIG, GOURD, B], [A, reordered(FIG), reordered(GOURD), zest, B]) == [
        ("equal", 0, 0),
        ("deleted", 1, None),
        ("changed", 2, 1),
        ("changed", 3, 2),
        ("inserted", None, 3),
        ("equal", 4, 4),
    ]


def test_a_reordered_clause_is_found_at_its_place_counted_from_the_start_of_the_rewrite() -> None:
    yew, zest, wren, vine = OTHERS

    assert story([A, yew, zest, FIG, wren, vine, B], [A, C, D, reordered(FIG), B]) == [
        ("equal", 0, 0),
        ("deleted", 1, None),
        ("deleted", 2, None),
        ("inserted", None, 1),
        ("inserted", None, 2),
        ("changed", 3, 3),
        ("deleted", 4, None),
        ("deleted", 5, None),
        ("equal", 6, 4),
    ]


def test_a_reordered_clause_is_found_at_its_place_counted_from_the_end_of_the_rewrite() -> None:
    yew, zest = OTHERS[:2]

    assert story([A, yew, zest, FIG, B], [A, reordered(FIG), B]) == [
        ("equal", 0, 0),
        ("deleted", 1, None),
        ("deleted", 2, None),
        ("changed", 3, 1),
        ("equal", 4, 2),
    ]


def test_eight_clauses_alike_each_edited_the_same_way_pair_with_their_own_old_text() -> None:
    kinds = ["invoices", "payslips", "contracts", "emails", "photos", "logs", "backups", "letters"]
    old = [
        f"We keep your {k} for seven years after the year in which they were made, then destroy them." for k in kinds
    ]
    new = [
        f"We keep your {k} for ten years after the year in which they were made, then destroy them safely."
        for k in kinds
    ]

    assert story([A, *old, B], [A, *new, B]) == [
        ("equal", 0, 0),
        *[("changed", k, k) for k in range(1, 9)],
        ("equal", 9, 9),
    ]
