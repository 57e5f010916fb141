"""Properties of the document model and the clause diff, over generated fictional policies.

Policies are built from sections of clauses whose words come from a small vocabulary, so that two
versions share many words (the hard case for matching clauses), and pairs of versions are related by
a few edits: clauses inserted, deleted, moved (within or across sections) and reworded.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from hypothesis import assume, given
from hypothesis import strategies as st

from smops_policy.compare.diff import SIMILAR, DocumentDiff, diff_documents, to_text
from smops_policy.content.document import Document, structure

from .hypothesis_profiles import PURE

WORDS = ("apple", "pear", "basket", "ledger", "ferry", "mill", "the", "of", "gnome", "frost", "lamp", "river")

HEADINGS = ("Fruit", "Records", "Boats", "Weather", "Lights")

Clause = tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    """A generated policy: (heading, clauses) per section; clauses are numbered 1..N across sections."""

    sections: tuple[tuple[str, tuple[Clause, ...]], ...]

    def clauses(self) -> list[Clause]:
        return [clause for _, clauses in self.sections for clause in clauses]

    def markdown(self, *, first: int = 1, wrap: int = 0, spaces: int = 1) -> str:
        """The body as an editor would write it; `wrap` > 0 breaks clauses after that many words, `spaces`
        puts that many spaces between words, `first` is the number of the first clause."""
        lines = ["Fictional Orchard Cooperative", ""]
        number = first
        gap = " " * spaces
        for heading, clauses in self.sections:
            lines += [f"## {heading}", ""]
            for clause in clauses:
                parts = [clause[k : k + wrap] for k in range(0, len(clause), wrap)] if wrap else [clause]
                lines.append(f"{number}. " + gap.join(parts[0]))
                lines += ["   " + gap.join(part) for part in parts[1:]]
                number += 1
            lines.append("")
        return "\n".join(lines)

    def document(self, **layout: int) -> Document:
        return structure(self.markdown(**layout))


clauses_st = st.lists(st.sampled_from(WORDS), min_size=3, max_size=9).map(tuple)
# Clauses from a wider vocabulary, no word twice: two of them rarely look alike.
WIDE = (
    *WORDS,
    *(
        f"{a}{b}"
        for a in ("ka", "lo", "mi", "ru", "se", "ta")
        for b in ("bo", "di", "fu", "ga", "ze", "po", "ni", "vu")
    ),
)
wide_clauses_st = st.lists(st.sampled_from(WIDE), min_size=4, max_size=8, unique=True).map(tuple)


@st.composite
def policy_st(draw: st.DrawFn, clauses: st.SearchStrategy[Clause]) -> Policy:
    """A policy names each section once (its headings are drawn first, so no section's clauses are drawn
    only to be thrown away for a repeated heading); clauses may repeat (the diff pairs repeats in place)."""
    headings = draw(st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=4, unique=True))
    return Policy(tuple((heading, tuple(draw(st.lists(clauses, min_size=1, max_size=5)))) for heading in headings))


policies = policy_st(clauses_st)
wide_policies = policy_st(wide_clauses_st)


@st.composite
def edited(
    draw: st.DrawFn, *, wide: bool = False, kinds: tuple[str, ...] = ("insert", "delete", "move", "reword")
) -> tuple[Policy, Policy]:
    """A policy and a later version of it, a few clause edits apart."""
    old = draw(wide_policies if wide else policies)
    sections = [(heading, list(clauses)) for heading, clauses in old.sections]

    def spot(extra: int = 0) -> tuple[int, int]:
        """A clause's place (extra=0) or a place to put one (extra=1)."""
        s = draw(st.sampled_from([s for s, (_, clauses) in enumerate(sections) if len(clauses) + extra > 0]))
        return s, draw(st.integers(0, len(sections[s][1]) - 1 + extra))

    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(kinds))
        if edit == "rename":
            s = draw(st.integers(0, len(sections) - 1))
            # a fresh name: one the old version had elsewhere would make it a swap or a move
            taken = {heading for heading, _ in sections} | {heading for heading, _ in old.sections}
            unused = [h for h in HEADINGS if h not in taken]
            if unused:
                sections[s] = (draw(st.sampled_from(unused)), sections[s][1])
            continue
        if edit == "insert":
            s, k = spot(extra=1)
            sections[s][1].insert(k, draw(wide_clauses_st if wide else clauses_st))
            continue
        if not any(clauses for _, clauses in sections):
            continue
        s, k = spot()
        if edit == "delete":
            del sections[s][1][k]
        elif edit == "move":
            clause = sections[s][1].pop(k)
            t, m = spot(extra=1)
            sections[t][1].insert(m, clause)
        else:
            words = list(sections[s][1][k])
            at = draw(st.integers(0, len(words) - 1))
            how = draw(st.sampled_from(("replace", "add", "drop")))
            if how == "replace":
                words[at] = draw(st.sampled_from(WORDS))
            elif how == "add":
                words.insert(at, draw(st.sampled_from(WORDS)))
            elif len(words) > 1:
                del words[at]
            sections[s][1][k] = tuple(words)
    new = Policy(tuple((heading, tuple(clauses)) for heading, clauses in sections if clauses))
    return old, new if new.sections else old


def headings_of(document: Document) -> list[str | None]:
    return [section.heading for section in document.sections]


def words_of(diff: DocumentDiff, side: str) -> list[list[str]]:
    """Each clause's words as the ops tell them: the old side (kept and deleted words) or the new side
    (kept and inserted words). An equal clause carries no word changes: its text is the same on both sides."""
    skip = "insert" if side == "old" else "delete"
    out: list[list[str]] = []
    for op in diff.ops:
        clause = op.old if side == "old" else op.new
        if clause is None:
            continue
        if op.op == "equal":
            out.append(clause.text.split())
        else:
            out.append(" ".join(c.text for c in op.changes if c.op != skip).split())
    return out


# --------------------------------------------------------------------------- the document model


@PURE
@given(policies)
def test_structure_numbers_the_generated_clauses_one_to_n_in_order(policy: Policy) -> None:
    document = policy.document()

    numbered = document.numbered()
    assert [c.number for c in numbered] == list(range(1, len(policy.clauses()) + 1))
    assert [c.text.split() for c in numbered] == [list(c) for c in policy.clauses()]
    assert [s.heading for s in document.sections if s.heading is not None] == [h for h, _ in policy.sections]
    assert [c.line for c in document.clauses()] == sorted(c.line for c in document.clauses())


@PURE
@given(policies, st.integers(1, 4), st.integers(2, 3))
def test_rewrapping_lines_and_extra_spaces_change_nothing(policy: Policy, wrap: int, spaces: int) -> None:
    diff = diff_documents(policy.document(), policy.document(wrap=wrap, spaces=spaces))

    assert diff.identical
    assert to_text(diff, color=False) == "No changes.\n"


# --------------------------------------------------------------------------- the diff


@PURE
@given(policies)
def test_a_text_compared_with_itself_is_all_equal(policy: Policy) -> None:
    diff = diff_documents(policy.document(), policy.document())

    assert {op.op for op in diff.ops} <= {"equal"}
    assert {op.op for op in diff.sections} <= {"equal"}
    assert diff.renumbered == 0
    assert diff.identical


@PURE
@given(edited())
def test_each_side_of_the_ops_rebuilds_its_version_clause_by_clause(pair: tuple[Policy, Policy]) -> None:
    old, new = pair[0].document(), pair[1].document()

    diff = diff_documents(old, new)

    # every clause of each version appears once, the new ones in reading order
    assert [op.new for op in diff.ops if op.new is not None] == list(new.clauses())
    assert sorted((op.old for op in diff.ops if op.old is not None), key=lambda c: c.line) == list(old.clauses())
    old_in_op_order = [op.old for op in diff.ops if op.old is not None]
    assert words_of(diff, "old") == [c.text.split() for c in old_in_op_order]
    assert words_of(diff, "new") == [c.text.split() for c in new.clauses()]


@PURE
@given(edited())
def test_the_summary_counts_the_ops(pair: tuple[Policy, Policy]) -> None:
    diff = diff_documents(pair[0].document(), pair[1].document())

    counts = Counter(op.op for op in diff.ops)
    summary = diff.summary
    assert (summary.changed, summary.inserted, summary.deleted, summary.moved) == (
        counts["changed"],
        counts["inserted"],
        counts["deleted"],
        counts["moved"],
    )
    assert diff.renumbered == sum(1 for op in diff.ops if op.op == "equal" and op.old_number != op.new_number)
    # an equal clause is word for word the same; anything else differs in its words, place or section
    for op in diff.ops:
        assert op.old is not None or op.op == "inserted"
        assert op.new is not None or op.op == "deleted"
        if op.op == "equal":
            assert op.old is not None and op.new is not None and op.old.blocks == op.new.blocks
        if op.op == "changed":
            assert op.edited


def unambiguous(pair: tuple[Policy, Policy]) -> bool:
    """No clause repeated within a version, and no two different clauses alike enough to be taken for
    one edited clause (a word share below the diff's SIMILAR): then which clause is which is not a guess."""
    if any(len(set(p.clauses())) != len(p.clauses()) for p in pair):
        return False
    distinct = sorted({*pair[0].clauses(), *pair[1].clauses()})
    for k, a in enumerate(distinct):
        for b in distinct[k + 1 :]:
            common = (Counter(a) & Counter(b)).total()
            if 2 * common >= SIMILAR * (len(a) + len(b)):
                return False
    return True


@PURE
@given(edited(wide=True, kinds=("insert", "delete", "move")))
def test_diffing_backwards_moves_as_many_clauses(pair: tuple[Policy, Policy]) -> None:
    # Repeated or near-identical clauses make "which one moved" a guess, and a guess need not be the
    # same both ways; so the clauses here are distinct and not alike, and none is reworded.
    assume(unambiguous(pair))
    old, new = pair[0].document(), pair[1].document()

    forward, backward = diff_documents(old, new), diff_documents(new, old)

    assert forward.summary.moved == backward.summary.moved
    assert forward.summary.inserted == backward.summary.deleted
    assert forward.summary.deleted == backward.summary.inserted


@PURE
@given(policies, st.integers(2, 40))
def test_renumbering_alone_is_only_renumbered(policy: Policy, first: int) -> None:
    diff = diff_documents(policy.document(), policy.document(first=first))

    assert {op.op for op in diff.ops} == {"equal"}
    assert diff.summary == type(diff.summary)()
    assert diff.renumbered == len(policy.clauses())
    assert not diff.identical
    count = len(policy.clauses())
    assert to_text(diff, color=False).startswith(
        f"0 changed, 0 inserted, 0 deleted, 0 moved; {count} unchanged clause{'s' if count != 1 else ''} renumbered"
    )


A = ("apple", "apple", "apple")
P = ("apple", "apple", "pear")


def test_a_repeated_clause_moved_to_another_section_is_one_move_both_ways() -> None:
    """Found by the property above: one copy of a repeated clause moves from Fruit to Records.

    The diff used to pair the repeated clause with the copy that changed section and then keep it "in
    order", so the unique clause that stayed was reported moved as well (2 moves forwards, 1 backwards).
    """
    old = Policy((("Fruit", (A, P)), ("Records", (A,))))
    new = Policy((("Fruit", (P,)), ("Records", (A, A))))

    assert diff_documents(new.document(), old.document()).summary.moved == 1
    assert diff_documents(old.document(), new.document()).summary.moved == 1


# --------------------------------------------------------------------------- bullets of one clause

bullets_st = st.lists(clauses_st, min_size=1, max_size=6)


def bulleted(intro: Clause, bullets: list[Clause]) -> Document:
    lines = ["## Fruit", "", "1. " + " ".join(intro)]
    lines += ["   - " + " ".join(bullet) for bullet in bullets]
    return structure("\n".join(lines) + "\n")


@st.composite
def edited_bullets(draw: st.DrawFn) -> tuple[list[Clause], list[Clause]]:
    """The bullets of a clause and a later version of them, a few bullet edits apart."""
    old = draw(bullets_st)
    new = list(old)
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(("insert", "delete", "reword")))
        if edit == "insert" or len(new) < 2:
            new.insert(draw(st.integers(0, len(new))), draw(clauses_st))
            continue
        k = draw(st.integers(0, len(new) - 1))
        if edit == "delete":
            del new[k]
        else:
            words = list(new[k])
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(WORDS))
            new[k] = tuple(words)
    return old, new


@PURE
@given(clauses_st, edited_bullets())
def test_the_blocks_of_a_changed_clause_rebuild_each_bullet_of_both_versions(
    intro: Clause, pair: tuple[list[Clause], list[Clause]]
) -> None:
    old, new = bulleted(intro, pair[0]), bulleted(intro, pair[1])

    diff = diff_documents(old, new)

    (op,) = diff.ops
    old_blocks, new_blocks = next(old.clauses()).blocks, next(new.clauses()).blocks
    if op.op == "equal":
        assert old_blocks == new_blocks
        return
    assert op.op == "changed"
    assert {b.op for b in op.blocks} != {"equal"}
    told_old = [b for b in op.blocks if b.op != "inserted"]
    told_new = [b for b in op.blocks if b.op != "deleted"]
    assert [" ".join(c.text for c in b.changes if c.op != "insert").split() for b in told_old] == [
        b.text.split() for b in old_blocks
    ]
    assert [" ".join(c.text for c in b.changes if c.op != "delete").split() for b in told_new] == [
        b.text.split() for b in new_blocks
    ]
    assert [(b.kind, b.depth) for b in told_new] == [(b.kind, b.depth) for b in new_blocks]
    for block in op.blocks:
        words = {c.op for c in block.changes}
        expected = {"equal": {"equal"}, "inserted": {"insert"}, "deleted": {"delete"}}.get(block.op)
        if expected is not None:
            assert words == expected
        else:
            assert words - {"equal"}, block  # a changed block changed some word


# --------------------------------------------------------------------------- headings


@PURE
@given(edited(kinds=("insert", "delete", "move", "reword", "rename")))
def test_the_heading_ops_rebuild_the_headings_of_both_versions(pair: tuple[Policy, Policy]) -> None:
    old, new = pair[0].document(), pair[1].document()

    diff = diff_documents(old, new)

    ops = diff.sections
    assert [op.new_index for op in ops if op.new_index is not None] == list(range(len(new.sections)))
    assert sorted(op.old_index for op in ops if op.old_index is not None) == list(range(len(old.sections)))
    assert [op.new_heading for op in ops if op.new_index is not None] == headings_of(new)
    assert [
        op.old_heading
        for op in sorted(ops, key=lambda op: -1 if op.old_index is None else op.old_index)
        if op.old_index is not None
    ] == headings_of(old)
    for op in ops:
        assert (op.op == "equal") == (
            op.old_index is not None and op.new_index is not None and op.old_heading == op.new_heading
        )
        assert (op.op == "inserted") == (op.old_index is None)
        assert (op.op == "deleted") == (op.new_index is None)
        if op.op == "changed":
            old_side = " ".join(c.text for c in op.changes if c.op != "insert")
            new_side = " ".join(c.text for c in op.changes if c.op != "delete")
            assert (old_side, new_side) == (op.old_heading, op.new_heading)
    # sections are never reordered here, so a deleted heading is told right after the one that preceded it
    told_old = [op.old_index for op in ops if op.old_index is not None]
    assert told_old == sorted(told_old)


@PURE
@given(edited(kinds=("rename",)))
def test_a_renamed_heading_alone_is_one_changed_heading_and_no_clause_change(pair: tuple[Policy, Policy]) -> None:
    old, new = pair[0].document(), pair[1].document()
    renames = [(a, b) for a, b in zip(headings_of(old), headings_of(new), strict=True) if a != b]

    diff = diff_documents(old, new)

    assert {op.op for op in diff.ops} == {"equal"}
    assert diff.renumbered == 0
    renamed = len(renames)
    assert [op.op for op in diff.sections].count("changed") == renamed
    assert {op.op for op in diff.sections} <= {"equal", "changed"}
