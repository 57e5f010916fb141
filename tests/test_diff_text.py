"""The terminal redline of a diff, word for word, plain and in colour (pure: no build needed)."""

from __future__ import annotations

import textwrap

from smops_policy.compare.diff import diff_documents, to_text
from smops_policy.content.document import Document, analyse

OLD = """\
Fictional Orchard Cooperative keeps these rules.

## Fruit

1. The orchard gnome counts every apple on Tuesday mornings before the market bell.
2. Pears must be wrapped in blue paper before the river ferry departs:
   - on weekdays by the miller
     - with string from the mill
3. Plums are never shipped to the northern islands while storms are forecast.
4. Plums ride the ferry in baskets.

## Bats

5. Cherries picked after dusk belong to the bats of the valley by ancient custom.
6. Lantern oil for the night watch is bought only from the lighthouse keeper.
"""
NEW = """\
Fictional Orchard Cooperative keeps these rules.

## Fruit

1. Plums are never shipped to the northern islands while storms or frost are forecast, and plums ride the ferry in baskets.
2. Pears must be wrapped in blue paper before the river ferry departs:
   - on weekdays by the miller
     - with twine from the mill

## Night

3. Lantern oil for the night watch is bought only from the lighthouse keeper.
4. The orchard gnome counts every apple on Tuesday mornings before the market bell.
"""


def parse(body: str) -> Document:
    return analyse(textwrap.dedent(body))[0]


def test_the_plain_redline_names_every_kind_of_change_and_folds_the_rest() -> None:
    assert to_text(diff_documents(parse(OLD), parse(NEW)), color=False) == textwrap.dedent("""\
        1 changed, 0 inserted, 2 deleted, 2 moved; 1 unchanged clause renumbered
        … 1 unchanged clause …

        ## Fruit

        § 3 → 1 moved and changed
            Plums are never shipped to the northern islands while storms {+or frost+} are [-forecast.-] {+forecast, and plums ride the ferry in baskets.+}

        § 2 changed
            Pears must be wrapped in blue paper before the river ferry departs:
            • on weekdays by the miller
              • with [-string-] {+twine+} from the mill

        § 4 deleted
            [-Plums ride the ferry in baskets.-]

        ## [-Bats-] {+Night+}  (heading changed)

        § 5 deleted
            [-Cherries picked after dusk belong to the bats of the valley by ancient custom.-]
        … 1 unchanged clause …

        § 1 → 4 moved (from "Fruit" to "Night")
            The orchard gnome counts every apple on Tuesday mornings before the market bell.
        """)


def test_the_colour_redline_strikes_deletions_underlines_insertions_and_restores_bold_headings() -> None:
    text = to_text(diff_documents(parse(OLD), parse(NEW)), color=True)

    bold, red, green, dim, reset = "\x1b[1m", "\x1b[9;31m", "\x1b[4;32m", "\x1b[2m", "\x1b[0m"
    lines = text.split("\n")
    assert lines[0] == f"{bold}1 changed, 0 inserted, 2 deleted, 2 moved; 1 unchanged clause renumbered{reset}"
    assert lines[1] == f"{dim}… 1 unchanged clause …{reset}"
    assert f"{bold}## {red}Bats{reset}{bold} {green}Night{reset}{bold}  (heading changed){reset}" in lines
    assert f"      • with {red}string{reset} {green}twine{reset} from the mill" in lines
    assert f"{bold}§ 3 → 1 moved and changed{reset}" in lines
    assert text.replace(bold, "").replace(dim, "").replace(reset, "").count(red) == 5


def test_unnumbered_passages_and_a_merge_are_named_in_the_headers() -> None:
    old = parse("""\
        A fictional note on apples.

        ## Fruit

        1. Pears must be wrapped in blue paper before the river ferry departs.
        2. Pears travel on the ferry in baskets of willow.

        A closing note on lamps.
        """)
    new = parse("""\
        ## Fruit

        1. Pears must be wrapped in blue paper before the river ferry departs and travel on the ferry in baskets of willow.

        The lighthouse keeper sells lantern oil.
        """)

    assert to_text(diff_documents(old, new), color=False) == textwrap.dedent("""\
        1 changed, 1 inserted, 3 deleted, 0 moved

        unnumbered passage deleted
            [-A fictional note on apples.-]

        ## Fruit

        § 1 changed
            Pears must be wrapped in blue paper before the river ferry [-departs.-] {+departs and travel on the ferry in baskets of willow.+}

        § 2 deleted (merged into § 1)
            [-Pears travel on the ferry in baskets of willow.-]

        unnumbered passage deleted
            [-A closing note on lamps.-]

        unnumbered passage inserted
            {+The lighthouse keeper sells lantern oil.+}
        """)


def test_a_passage_that_gains_a_number_under_a_heading_is_moved_from_the_opening_text_and_back() -> None:
    before = parse("""\
        Members keep their baskets clean and dry at all times.

        ## Fruit

        1. Pears must be wrapped in blue paper before the river ferry departs.
        2. Plums are never shipped to the northern islands while storms are forecast.
        """)
    after = parse("""\
        ## Fruit

        1. Pears must be wrapped in blue paper before the river ferry departs.
        2. Plums are never shipped to the northern islands while storms are forecast.
        3. Members keep their baskets clean and dry at all times.
        """)

    forward = to_text(diff_documents(before, after), color=False).split("\n")
    backward = to_text(diff_documents(after, before), color=False).split("\n")

    assert 'unnumbered passage → § 3 moved (from "the opening text" to "Fruit")' in forward
    assert '§ 3 → unnumbered passage moved (from "Fruit" to "the opening text")' in backward
    assert forward[0] == backward[0] == "0 changed, 0 inserted, 0 deleted, 1 moved"
