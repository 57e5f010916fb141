"""Issue 16: diffs on real structure, clause-aligned and word by word. Pure and fast (no git, no build).

A "clause" in the summary is any unit: a numbered clause, a paragraph, a top-level bullet, a block
quote or a table (README, "The structure of a policy text").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smops_policy.compare.diff import DocumentDiff, diff_documents, to_text
from smops_policy.compare.gfm import to_markdown
from smops_policy.content.document import analyse

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import PolicyRepo

BASE = """\
## Who we are

We are Acme. We make anvils.

We answer letters within a week.

### Contact

Write to the Acme office.

## What we collect

We collect your name and address.

- your email address
- your payment details

| Data | Kept for |
| --- | --- |
| Name | one year |
| Address | two years |

## Your rights

You may ask for a copy of your data.
"""


def diff(old: str, new: str) -> DocumentDiff:
    return diff_documents(analyse(old)[0], analyse(new)[0])


def counts(result: DocumentDiff) -> tuple[int, int, int, int]:
    s = result.summary
    return s.changed, s.inserted, s.deleted, s.moved


def headings(result: DocumentDiff) -> list[tuple[str, str | None, str | None]]:
    return [(op.op, op.old_heading, op.new_heading) for op in result.sections if op.op != "equal"]


def test_a_renamed_section_is_one_heading_change_and_its_text_stays_equal() -> None:
    result = diff(BASE, BASE.replace("## What we collect", "## Information we collect"))
    assert headings(result) == [("changed", "What we collect", "Information we collect")]
    assert counts(result) == (0, 0, 0, 0)
    assert "## [-What-] {+Information+} we collect  (heading changed)" in to_text(result, color=False)


def test_a_section_split_in_two_is_a_heading_inserted_and_nothing_else() -> None:
    new = BASE.replace("- your email address", "## Your payments\n\n- your email address")
    result = diff(BASE, new)
    assert headings(result) == [("inserted", None, "Your payments")]
    assert counts(result) == (0, 0, 0, 0)


def test_two_sections_merged_is_a_heading_deleted_and_nothing_else() -> None:
    result = diff(BASE, BASE.replace("## Your rights\n\n", ""))
    assert headings(result) == [("deleted", "Your rights", None)]
    assert counts(result) == (0, 0, 0, 0)


def test_a_section_moved_with_its_text_is_one_move_of_its_heading() -> None:
    rights = "## Your rights\n\nYou may ask for a copy of your data.\n"
    new = BASE.replace(rights, "").replace("## What we collect", rights + "\n## What we collect")
    result = diff(BASE, new)
    assert headings(result) == [("moved", "Your rights", "Your rights")]
    assert counts(result) == (0, 0, 0, 0)
    assert not result.identical
    assert "## Your rights  (heading moved)" in to_text(result, color=False)


def test_a_subsection_moved_to_another_section_says_from_under_which_heading() -> None:
    contact = "### Contact\n\nWrite to the Acme office.\n\n"
    new = BASE.replace(contact, "") + "\n" + contact
    result = diff(BASE, new)
    (moved,) = [op for op in result.sections if op.op != "equal"]
    assert (moved.op, moved.level, moved.old_parent, moved.new_parent) == ("moved", 3, "Who we are", "Your rights")
    assert counts(result) == (0, 0, 0, 0)
    assert '### Contact  (heading moved from under "Who we are" to under "Your rights")' in to_text(result, False)


def test_a_paragraph_rewritten_is_one_changed_unit_word_by_word() -> None:
    result = diff(BASE, BASE.replace("within a week", "within two working days"))
    assert counts(result) == (1, 0, 0, 0)
    (changed,) = [op for op in result.ops if op.op != "equal"]
    assert [(c.op, c.text) for c in changed.changes if c.op != "equal"] == [
        ("delete", "a week."),
        ("insert", "two working days."),
    ]
    assert changed.old is not None and changed.new is not None
    assert changed.old.kind == "paragraph"


def test_a_list_item_inserted_is_one_insertion() -> None:
    result = diff(BASE, BASE.replace("- your payment details", "- your phone number\n- your payment details"))
    assert counts(result) == (0, 1, 0, 0)
    (inserted,) = [op for op in result.ops if op.op != "equal"]
    assert inserted.new is not None and inserted.new.kind == "bullet"
    assert inserted.new.anchor.startswith("passage-")
    assert "{+your phone number+}" in to_text(result, color=False)


def test_a_table_row_changed_shows_that_row_changed_and_the_others_equal() -> None:
    result = diff(BASE, BASE.replace("| Address | two years |", "| Address | three years |"))
    assert counts(result) == (1, 0, 0, 0)
    (table,) = [op for op in result.ops if op.op != "equal"]
    assert [(b.op, b.kind) for b in table.blocks] == [("equal", "row"), ("equal", "row"), ("changed", "row")]
    assert [(c.op, c.text) for c in table.blocks[2].changes if c.op != "equal"] == [
        ("delete", "two"),
        ("insert", "three"),
    ]


def test_a_passage_moved_to_another_section_is_moved_and_keeps_its_anchor() -> None:
    line = "We answer letters within a week.\n\n"
    new = BASE.replace(line, "").replace("You may ask", line + "You may ask")
    result = diff(BASE, new)
    assert counts(result) == (0, 0, 0, 1)
    (moved,) = [op for op in result.ops if op.op != "equal"]
    assert moved.old is not None and moved.new is not None
    assert moved.old.anchor == moved.new.anchor


def test_the_title_heading_is_no_section_of_either_version() -> None:
    old, new = analyse("# Terms\n\nText.\n", title="Terms")[0], analyse("# Terms\n\nText, changed.\n", title="Terms")[0]
    result = diff_documents(old, new)
    assert [op.op for op in result.sections] == ["equal"]
    assert result.sections[0].new_heading is None


def test_a_moved_section_in_the_pull_request_markdown_names_its_heading() -> None:
    rights = "## Your rights\n\nYou may ask for a copy of your data.\n"
    new = BASE.replace(rights, "").replace("## What we collect", rights + "\n## What we collect")
    assert "**Your rights** (heading moved)" in to_markdown(diff(BASE, new))


def test_the_redline_page_shows_a_moved_section_once_and_its_text_unmarked(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    front = '---\ntitle: Anvils\nversion: "{v}"\neffective: {d}\nsummary: Version {v}.\n---\n\n'
    rights = "## Your rights\n\nYou may ask for a copy of your data.\n"
    moved = BASE.replace(rights, "").replace("## What we collect", rights + "\n## What we collect")
    policy_repo.write("policies/privacy/en.md", front.format(v="1.0", d="2020-01-01") + BASE)
    policy_repo.write("policies/privacy/nl.md", front.format(v="1.0", d="2020-01-01") + BASE)
    policy_repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    policy_repo.write("policies/privacy/en.md", front.format(v="1.1", d="2021-01-01") + moved)
    policy_repo.commit("1.1", "2020-12-01T10:00:00+01:00")
    out = tmp_path / "site"
    policy_repo.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)
    page = (out / "beta" / "en" / "privacy" / "changes" / "1.0...1.1" / "index.html").read_text(encoding="utf-8")
    assert (
        '<h2 class="redline-heading redline-heading--moved">Your rights <span class="redline-heading-note">(Moved)</span></h2>'
        in page
    )
    assert '<h3 class="redline-heading">Contact</h3>' in page  # a subsection keeps its level
    assert "<ins>" not in page.split('<div class="redline">')[1]
    assert "<del>" not in page.split('<div class="redline">')[1]
    assert "<li>0 moved</li>" in page
