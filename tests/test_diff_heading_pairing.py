"""Which heading of one version is which heading of the other (compare/pairing.py: `pair_sections`,
`moved_sections`, `section_ops`), as the diff reports it: renamed, moved (and under which heading it
sat), inserted or deleted, with its level; the similarity thresholds tried from both sides. Pure: the
documents are parsed in memory, no build."""

from __future__ import annotations

from smops_policy.compare.diff import SIMILAR, DocumentDiff, SectionOp, WordChange, diff_documents
from smops_policy.content.document import Document, structure

# Fictional clauses, no two alike.
APPLES = "Apples are counted every Tuesday morning before the market bell rings."
PEARS = "Pears are wrapped in blue paper before the river ferry departs."
PLUMS = "Plums are never shipped north while the autumn storms last."
LEDGER = "The ledger of baskets sold is kept under the mill stairs."
BATS = "Cherries picked after dusk belong to the bats of the valley."
QUINCES = "Quinces rest in the old windmill until the last frost."
LANTERNS = "Lantern oil for the night watch comes only from the lighthouse keeper."
GEESE = "Geese graze the lower meadow from the first of May."


def doc(*sections: tuple[str, list[str]], opening: str | None = None) -> Document:
    """A body of headings (written out, `## Fruit`) each followed by its paragraphs."""
    lines = [opening, ""] if opening else []
    for heading, paragraphs in sections:
        lines += [heading, ""]
        for paragraph in paragraphs:
            lines += [paragraph, ""]
    return structure("\n".join(lines))


def headings(diff: DocumentDiff) -> list[tuple[str, str | None, str | None]]:
    return [(s.op, s.old_heading, s.new_heading) for s in diff.sections]


def clause_ops(diff: DocumentDiff) -> list[str]:
    return [op.op for op in diff.ops]


# --------------------------------------------------------------------------- moved


def test_a_section_moved_is_one_heading_op_where_it_now_stands_and_its_text_is_not_moved() -> None:
    old = doc(("## Fruit", [APPLES]), ("## Records", [LEDGER]), ("## Night", [BATS]))
    new = doc(("## Night", [BATS]), ("## Fruit", [APPLES]), ("## Records", [LEDGER]))

    diff = diff_documents(old, new)

    assert diff.sections == (
        SectionOp("moved", 2, 0, "Night", "Night", (), 2, None, None),
        SectionOp("equal", 0, 1, "Fruit", "Fruit", (), 2),
        SectionOp("equal", 1, 2, "Records", "Records", (), 2),
    )
    assert clause_ops(diff) == ["equal", "equal", "equal"]
    assert not diff.identical


def test_a_subsection_moved_names_the_section_it_left_and_the_one_it_joined_not_a_sibling() -> None:
    old = doc(
        ("## Who we are", [APPLES]),
        ("### Contact", [PEARS]),
        ("### Address", [PLUMS]),
        ("## Your rights", [LEDGER]),
        ("### Appeals", [BATS]),
    )
    new = doc(
        ("## Who we are", [APPLES]),
        ("### Contact", [PEARS]),
        ("## Your rights", [LEDGER]),
        ("### Appeals", [BATS]),
        ("### Address", [PLUMS]),
    )

    diff = diff_documents(old, new)

    assert diff.sections == (
        SectionOp("equal", 0, 0, "Who we are", "Who we are", (), 2),
        SectionOp("equal", 1, 1, "Contact", "Contact", (), 3),
        SectionOp("equal", 3, 2, "Your rights", "Your rights", (), 2),
        SectionOp("equal", 4, 3, "Appeals", "Appeals", (), 3),
        SectionOp("moved", 2, 4, "Address", "Address", (), 3, "Who we are", "Your rights"),
    )
    assert clause_ops(diff) == ["equal"] * 5


def test_a_sub_subsection_moved_sits_under_the_nearest_higher_heading_on_each_side() -> None:
    winter, records = ("#### Winter", [PLUMS]), ("## Records", [LEDGER])
    old = doc(("## Fruit", [APPLES]), ("### Storage", [PEARS]), winter, ("## Night", [BATS]), records)
    new = doc(("## Fruit", [APPLES]), ("### Storage", [PEARS]), ("## Night", [BATS]), records, winter)

    (moved,) = [s for s in diff_documents(old, new).sections if s.op != "equal"]

    assert moved == SectionOp("moved", 2, 4, "Winter", "Winter", (), 4, "Storage", "Records")


def test_a_section_moved_and_renamed_is_one_move_that_shows_the_rename() -> None:
    old = doc(("## Fruit", [APPLES]), ("## Records", [LEDGER]), ("## Your rights", [BATS]))
    new = doc(("## Your rights and choices", [BATS]), ("## Fruit", [APPLES]), ("## Records", [LEDGER]))

    (moved, *rest) = diff_documents(old, new).sections

    assert moved == SectionOp(
        "moved",
        2,
        0,
        "Your rights",
        "Your rights and choices",
        (WordChange("equal", "Your rights"), WordChange("insert", "and choices")),
        2,
    )
    assert [s.op for s in rest] == ["equal", "equal"]


# --------------------------------------------------------------------------- levels


def test_every_kind_of_heading_op_keeps_the_level_of_its_heading() -> None:
    old = doc(
        ("## Fruit", [APPLES]),
        ("### Storage rules", [PEARS]),
        ("### Ferry times", [PLUMS]),
        ("### Records", [LEDGER]),
    )
    new = doc(
        ("## Fruit", [APPLES]),
        ("### Storage regulations", [PEARS]),
        ("### Records", [LEDGER]),
        ("### Bat customs", [BATS]),
    )

    assert diff_documents(old, new).sections == (
        SectionOp("equal", 0, 0, "Fruit", "Fruit", (), 2),
        SectionOp(
            "changed",
            1,
            1,
            "Storage rules",
            "Storage regulations",
            (WordChange("equal", "Storage"), WordChange("delete", "rules"), WordChange("insert", "regulations")),
            3,
        ),
        SectionOp("deleted", 2, None, "Ferry times", None, (WordChange("delete", "Ferry times"),), 3),
        SectionOp("equal", 3, 2, "Records", "Records", (), 3),
        SectionOp("inserted", None, 3, None, "Bat customs", (WordChange("insert", "Bat customs"),), 3),
    )


# --------------------------------------------------------------------------- the opening text


def test_opening_text_put_under_a_new_first_heading_is_a_heading_inserted_not_a_rename() -> None:
    old = doc(("## Fruit", [PEARS]), opening=APPLES)
    new = doc(("## Preface", [APPLES]), ("## Fruit", [PEARS]))

    diff = diff_documents(old, new)

    assert diff.sections == (
        SectionOp("deleted", 0, None, None, None, (), 0),
        SectionOp("inserted", None, 0, None, "Preface", (WordChange("insert", "Preface"),), 2),
        SectionOp("equal", 1, 1, "Fruit", "Fruit", (), 2),
    )
    assert clause_ops(diff) == ["equal", "equal"]

    back = diff_documents(new, old)

    assert back.sections == (
        SectionOp("deleted", 0, None, "Preface", None, (WordChange("delete", "Preface"),), 2),
        SectionOp("inserted", None, 0, None, None, (), 0),
        SectionOp("equal", 1, 1, "Fruit", "Fruit", (), 2),
    )


# --------------------------------------------------------------------------- renamed beyond recognition


def test_the_one_heading_left_between_two_kept_ones_was_renamed_even_with_all_its_text_new() -> None:
    old = doc(("## Fruit", [APPLES]), ("## Ferry", [PEARS]), ("## Records", [LEDGER]))
    new = doc(("## Fruit", [APPLES]), ("## Night watch", [LANTERNS]), ("## Records", [LEDGER]))

    diff = diff_documents(old, new)

    assert headings(diff) == [
        ("equal", "Fruit", "Fruit"),
        ("changed", "Ferry", "Night watch"),
        ("equal", "Records", "Records"),
    ]
    assert clause_ops(diff) == ["equal", "deleted", "inserted", "equal"]


def test_the_first_and_the_last_heading_renamed_beyond_recognition_are_renamed() -> None:
    old = doc(("## Ferry", [PEARS]), ("## Fruit", [APPLES]), ("## Records", [LEDGER]), ("## Bats", [BATS]))
    new = doc(("## Meadow", [GEESE]), ("## Fruit", [APPLES]), ("## Records", [LEDGER]), ("## Lanterns", [LANTERNS]))

    assert headings(diff_documents(old, new)) == [
        ("changed", "Ferry", "Meadow"),
        ("equal", "Fruit", "Fruit"),
        ("equal", "Records", "Records"),
        ("changed", "Bats", "Lanterns"),
    ]


def test_two_headings_renamed_apart_are_each_renamed() -> None:
    old = doc(
        ("## Fruit", [APPLES]),
        ("## Ferry", [PEARS]),
        ("## Records", [LEDGER]),
        ("## Bats", [BATS]),
        ("## Geese", [GEESE]),
    )
    new = doc(
        ("## Fruit", [APPLES]),
        ("## Meadow", [PLUMS]),
        ("## Records", [LEDGER]),
        ("## Lanterns", [LANTERNS]),
        ("## Geese", [GEESE]),
    )

    assert headings(diff_documents(old, new)) == [
        ("equal", "Fruit", "Fruit"),
        ("changed", "Ferry", "Meadow"),
        ("equal", "Records", "Records"),
        ("changed", "Bats", "Lanterns"),
        ("equal", "Geese", "Geese"),
    ]


def test_two_neighbouring_headings_renamed_beyond_recognition_cannot_be_told_apart() -> None:
    old = doc(("## Fruit", [APPLES]), ("## Ferry", [PEARS]), ("## Bats", [BATS]), ("## Records", [LEDGER]))
    new = doc(("## Fruit", [APPLES]), ("## Meadow", [GEESE]), ("## Lanterns", [LANTERNS]), ("## Records", [LEDGER]))

    assert headings(diff_documents(old, new)) == [
        ("equal", "Fruit", "Fruit"),
        ("deleted", "Ferry", None),
        ("deleted", "Bats", None),
        ("inserted", None, "Meadow"),
        ("inserted", None, "Lanterns"),
        ("equal", "Records", "Records"),
    ]


# --------------------------------------------------------------------------- renamed, by words or by text


def test_neighbouring_headings_keeping_half_their_words_are_renamed_and_fewer_are_not() -> None:
    old = doc(
        ("## Fruit", [APPLES]), ("## Storage rules", [PEARS]), ("## Ferry rules", [PLUMS]), ("## Records", [LEDGER])
    )
    half = doc(
        ("## Fruit", [APPLES]),
        ("## Storage regulations", [BATS]),  # 2·1 / (2 + 2) words in common: SIMILAR
        ("## Ferry regulations", [QUINCES]),
        ("## Records", [LEDGER]),
    )
    fewer = doc(
        ("## Fruit", [APPLES]),
        ("## Storage of regulations", [BATS]),  # 2·1 / (2 + 3): below
        ("## Ferry of regulations", [QUINCES]),
        ("## Records", [LEDGER]),
    )
    assert SIMILAR == 0.5

    assert headings(diff_documents(old, half))[1:3] == [
        ("changed", "Storage rules", "Storage regulations"),
        ("changed", "Ferry rules", "Ferry regulations"),
    ]
    assert [s.op for s in diff_documents(old, fewer).sections] == [
        "equal",
        "deleted",
        "deleted",
        "inserted",
        "inserted",
        "equal",
    ]


def test_neighbouring_headings_renamed_beyond_recognition_are_paired_by_half_their_text() -> None:
    old = doc(
        ("## Fruit", [APPLES]), ("## Ferry", [PEARS, PLUMS]), ("## Night", [BATS, QUINCES]), ("## Records", [LEDGER])
    )
    new = doc(
        ("## Fruit", [APPLES]),
        ("## Transport", [PEARS, GEESE]),  # keeps one of two passages: SIMILAR
        ("## After dark", [LANTERNS, QUINCES]),
        ("## Records", [LEDGER]),
    )

    assert headings(diff_documents(old, new))[1:3] == [
        ("changed", "Ferry", "Transport"),
        ("changed", "Night", "After dark"),
    ]


def test_a_heading_keeping_one_of_its_four_passages_is_not_the_same_heading_whichever_side_has_four() -> None:
    four = ("## Ferry", [PEARS, PLUMS, QUINCES, GEESE])
    one = ("## Transport", [PEARS])
    night, after_dark = ("## Night", [BATS]), ("## After dark", [LANTERNS])
    fruit, records = ("## Fruit", [APPLES]), ("## Records", [LEDGER])

    forward = diff_documents(doc(fruit, four, night, records), doc(fruit, one, after_dark, records))
    backward = diff_documents(doc(fruit, one, night, records), doc(fruit, four, after_dark, records))

    for diff in (forward, backward):
        assert [s.op for s in diff.sections] == ["equal", "deleted", "deleted", "inserted", "inserted", "equal"]


def test_of_two_similar_new_headings_the_more_similar_one_is_the_renamed_one() -> None:
    old = doc(("## Fruit", [APPLES]), ("## Storage and transport", [PEARS]), ("## Records", [LEDGER]))
    new = doc(
        ("## Fruit", [APPLES]),
        ("## Storage", [BATS]),  # 2·1 / (1 + 3) = 0.5
        ("## Storage and transport rules", [QUINCES]),  # 2·3 / (3 + 4) = 0.86
        ("## Records", [LEDGER]),
    )

    assert headings(diff_documents(old, new)) == [
        ("equal", "Fruit", "Fruit"),
        ("inserted", None, "Storage"),
        ("changed", "Storage and transport", "Storage and transport rules"),
        ("equal", "Records", "Records"),
    ]


def test_of_two_similar_old_headings_the_more_similar_one_was_renamed_and_the_other_deleted() -> None:
    old = doc(
        ("## Fruit", [APPLES]),
        ("## Storage rules", [BATS]),  # 2·2 / (2 + 4) = 0.67
        ("## Storage and transport", [PEARS]),  # 2·3 / (3 + 4) = 0.86
        ("## Records", [LEDGER]),
    )
    new = doc(("## Fruit", [APPLES]), ("## Storage and transport rules", [QUINCES]), ("## Records", [LEDGER]))

    assert headings(diff_documents(old, new)) == [
        ("equal", "Fruit", "Fruit"),
        ("deleted", "Storage rules", None),
        ("changed", "Storage and transport", "Storage and transport rules"),
        ("equal", "Records", "Records"),
    ]


def test_a_heading_whose_text_went_under_a_new_name_was_renamed_even_if_another_name_is_closer() -> None:
    old = doc(("## Fruit", [APPLES]), ("## Storage rules", [PEARS]), ("## Records", [LEDGER]))
    new = doc(
        ("## Fruit", [APPLES]),
        ("## Storage rules for winter", [QUINCES]),  # 2·2 / (2 + 4) = 0.67 of its words
        ("## Transport", [PEARS]),  # all of its text
        ("## Records", [LEDGER]),
    )

    assert headings(diff_documents(old, new)) == [
        ("equal", "Fruit", "Fruit"),
        ("inserted", None, "Storage rules for winter"),
        ("changed", "Storage rules", "Transport"),
        ("equal", "Records", "Records"),
    ]


def test_headings_without_text_of_their_own_are_renamed_like_any_other() -> None:
    old = doc(
        ("## Fruit", [APPLES]),
        ("## Storage rules", []),
        ("## Ferry rules", []),
        ("### Summer", [PLUMS]),
    )
    new = doc(
        ("## Fruit", [APPLES]),
        ("## Storage regulations", []),
        ("## Ferry regulations", []),
        ("### Summer", [PLUMS]),
    )

    assert [s.op for s in diff_documents(old, new).sections] == ["equal", "changed", "changed", "equal"]


def test_a_heading_left_empty_is_not_taken_for_a_rename_of_another() -> None:
    old = doc(("## Fruit", [APPLES]), ("## Ferry", [PEARS]), ("## Bats", [BATS]), ("## Records", [LEDGER]))
    new = doc(("## Fruit", [APPLES]), ("##", [GEESE]), ("## Lanterns", [LANTERNS]), ("## Records", [LEDGER]))

    assert headings(diff_documents(old, new))[1:5] == [
        ("deleted", "Ferry", None),
        ("deleted", "Bats", None),
        ("inserted", None, ""),
        ("inserted", None, "Lanterns"),
    ]
