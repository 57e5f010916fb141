"""Word changes in long repetitive text, where no word and no run of 2 or 4 words occurs once on each
side (a list of the same terms repeated, a table written out as prose): the diff still keeps every word
it can pair by occurrence (as histogram diff does), and both texts are rebuilt from its changes."""

from __future__ import annotations

import pytest

from smops_policy.compare.diff import WordChange, diff_words

TERMS = [f"term{i}" for i in range(1, 31)]
# Each pair of neighbours swapped: no word, pair or run of four is in both texts exactly once.
SWAPPED = [word for k in range(0, len(TERMS), 2) for word in (TERMS[k + 1], TERMS[k])]


def rebuilt(changes: tuple[WordChange, ...]) -> tuple[str, str]:
    old = " ".join(c.text for c in changes if c.op != "insert")
    new = " ".join(c.text for c in changes if c.op != "delete")
    return old, new


def kept(changes: tuple[WordChange, ...]) -> int:
    return sum(len(c.text.split()) for c in changes if c.op == "equal")


@pytest.mark.parametrize(("repeats", "words_kept"), [(2, 30), (3, 45), (4, 60)])
def test_swapped_neighbours_in_a_repeated_list_keep_every_other_word(repeats: int, words_kept: int) -> None:
    old, new = " ".join(TERMS * repeats), " ".join(SWAPPED * repeats)
    changes = diff_words(old, new)
    assert rebuilt(changes) == (old, new)
    assert kept(changes) == words_kept  # one of each swapped pair
    assert [(c.op, c.text) for c in changes[:6]] == [
        ("insert", "term2"),
        ("equal", "term1"),
        ("delete", "term2"),
        ("insert", "term4"),
        ("equal", "term3"),
        ("delete", "term4"),
    ]
    assert [(c.op, c.text) for c in changes[-3:]] == [("insert", "term30"), ("equal", "term29"), ("delete", "term30")]


def test_words_repeated_more_than_four_times_are_not_paired_by_occurrence() -> None:
    """Pairing by occurrence is for rare words; a list repeated five times is one rewrite."""
    old, new = " ".join(TERMS * 5), " ".join(SWAPPED * 5)
    changes = diff_words(old, new)
    assert [c.op for c in changes] == ["delete", "insert"]
    assert rebuilt(changes) == (old, new)


def test_a_word_that_occurs_more_often_on_one_side_is_not_paired() -> None:
    old, new = " ".join([*TERMS, *TERMS, "term1"]), " ".join(SWAPPED * 2)
    changes = diff_words(old, new)
    assert rebuilt(changes) == (old, new)
    assert "term1" not in [c.text for c in changes if c.op == "equal"]
    assert kept(changes) == 30


def test_a_long_rewrite_with_shared_rare_words_keeps_them_in_order() -> None:
    old = " ".join(["alpha", "beta", *TERMS, "gamma", "delta", *TERMS])
    new = " ".join(["delta", "beta", *SWAPPED, "gamma", "alpha", *SWAPPED])
    changes = diff_words(old, new)
    assert rebuilt(changes) == (old, new)
    assert kept(changes) >= 30
