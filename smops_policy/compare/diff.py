"""Compare two versions of a policy the way a lawyer reads them: clause by clause, then word by word.

Clauses are matched by their text, never by their number, so inserting one clause reports one
insertion (and a renumbering, once) instead of every later clause as changed. The steps:

1. identical clauses are paired by their exact token sequence, in order (patience diff on clause keys);
2. the clauses left over are paired by word similarity (multiset Dice >= `SIMILAR`), looking only at
   candidates that share a rare word pair, so the cost stays near linear in the number of clauses;
3. a longest increasing subsequence over all pairs tells clauses still in order (`equal`/`changed`)
   from clauses taken out of order (`moved`); a clause that lands under another existing heading is
   `moved` too; a heading whose pair is out of the headings' order is `moved` (section op), and its
   clauses are judged in order where it now stands;
4. inside each changed pair, blocks (paragraphs, bullets, table rows) are aligned, and words are compared
   with a patience diff on whitespace tokens, so re-wrapping or extra spaces never count as a change.

A "clause" here is any unit of the document model (content/structure.py): numbered or not. The engine
lives in compare/matching.py (sequences, words) and compare/pairing.py (clauses, blocks, headings); the
data in compare/ops.py and the text and JSON output in compare/output.py, re-exported here.

Split and merged clauses: the part that matches the old clause best is `changed` (its lost or gained
words show as deletions or insertions), and the rest is `inserted` with `split_from` set to the old
clause's number (or `deleted` with `merged_into` set to the new clause's number).

Pure functions over `Document` values: no I/O, and the same input always gives the same output.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from smops_policy.compare.matching import diff_words, lis
from smops_policy.compare.ops import (
    BlockDiff,
    BlockOpKind,
    ClauseOp,
    ClauseOpKind,
    DocumentDiff,
    SectionOp,
    SectionOpKind,
    Summary,
    WordChange,
    WordOpKind,
)
from smops_policy.compare.output import clause_header, summary_line, to_json, to_text
from smops_policy.compare.pairing import (
    SIMILAR,
    SIMILAR_BLOCK,
    SIMILAR_MOVED,
    Item,
    block_diffs,
    items,
    moved_sections,
    pair_clauses,
    pair_sections,
    section_ops,
    whole,
)

if TYPE_CHECKING:
    from smops_policy.content.document import Document
__all__ = [
    "SIMILAR",
    "SIMILAR_BLOCK",
    "SIMILAR_MOVED",
    "BlockDiff",
    "BlockOpKind",
    "ClauseOp",
    "ClauseOpKind",
    "DocumentDiff",
    "SectionOp",
    "SectionOpKind",
    "Summary",
    "WordChange",
    "WordOpKind",
    "clause_header",
    "diff_documents",
    "diff_words",
    "summary_line",
    "to_json",
    "to_text",
]

_SPLIT_SHARE = 0.6


# --------------------------------------------------------------------------- the comparison


def diff_documents(old: Document, new: Document) -> DocumentDiff:
    """Compare two versions clause by clause (matched by content, not number) and word by word."""
    vocab: dict[str, int] = {}
    keys: dict[tuple[tuple[int, ...], ...], int] = {}
    old_items = items(old, vocab, keys)
    new_items = items(new, vocab, keys)
    pairs = pair_clauses(old_items, new_items, len(vocab) + 1)

    links: Counter[tuple[int, int]] = Counter((old_items[i].section, new_items[j].section) for j, i in pairs.items())
    section_pairs = pair_sections(old, new, links)
    paired_new_sections = set(section_pairs.values())

    def elsewhere(j: int) -> bool:
        # Landing under another heading that exists in both versions is a move; a heading added or
        # removed around a clause is reported once, as a heading op, not as a move of every clause.
        home = section_pairs.get(old_items[pairs[j]].section)
        section = new_items[j].section
        return home is not None and home != section and section in paired_new_sections

    # Clauses that changed section are moves whatever their order, so the longest run still in order is
    # sought among the others: a clause that stayed must not be reported moved for one that left.
    # A section moved as a whole is one heading op: its clauses are judged in order where it now stands.
    moved = moved_sections(old, section_pairs)
    place = _places(old, old_items, section_pairs)
    ordered = [j for j in sorted(pairs) if not elsewhere(j)]
    in_order = {ordered[k] for k in lis([place[pairs[j]] for j in ordered])}

    placed: list[tuple[tuple[int, int, int], ClauseOp]] = []
    renumbered = 0
    for j, item in enumerate(new_items):
        clause = item.clause
        i = pairs.get(j)
        if i is None:
            op = ClauseOp("inserted", None, clause.number, None, clause, None, item.section, whole(item, "inserted"))
            placed.append(((j, 0, 0), op))
            continue
        before = old_items[i]
        kind: ClauseOpKind
        if j not in in_order:
            kind = "moved"
        elif before.key == item.key:
            kind = "equal"
        else:
            kind = "changed"
        blocks = () if kind == "equal" else block_diffs(before, item)
        if kind == "equal" and before.clause.number != clause.number:
            renumbered += 1
        op = ClauseOp(
            kind, before.clause.number, clause.number, before.clause, clause, before.section, item.section, blocks
        )
        placed.append(((j, 0, 0), op))

    # A deletion goes right after the clause that preceded it and is still in its place.
    partner_of_old = {i: j for j, i in pairs.items() if j in in_order}
    paired_old = set(pairs.values())
    last_in_place = -1
    for i, item in enumerate(old_items):
        if i in partner_of_old:
            last_in_place = partner_of_old[i]
            continue
        if i in paired_old:
            continue
        clause = item.clause
        op = ClauseOp("deleted", clause.number, None, clause, None, item.section, None, whole(item, "deleted"))
        placed.append(((last_in_place, 1, i), op))
    placed.sort(key=lambda entry: entry[0])
    ops = _note_splits([op for _, op in placed])

    counts = Counter(op.op for op in ops)
    summary = Summary(counts["changed"], counts["inserted"], counts["deleted"], counts["moved"])
    return DocumentDiff(tuple(ops), section_ops(old, new, section_pairs, moved), summary, renumbered)


def _places(old: Document, old_items: list[Item], section_pairs: dict[int, int]) -> list[int]:
    """Each old clause's rank with the old sections put in the new order of their headings (a section
    not in the new version stays after the one before it), so the clauses of a moved section count as
    in order; without moved sections this is the old order."""
    rank: list[tuple[int, int, int]] = []
    last = -1
    for s in range(len(old.sections)):
        if s in section_pairs:
            last = section_pairs[s]
            rank.append((last, 0, s))
        else:
            rank.append((last, 1, s))
    keys = [(rank[item.section], item.index) for item in old_items]
    order = {key: k for k, key in enumerate(sorted(keys))}
    return [order[key] for key in keys]


def _note_splits(ops: list[ClauseOp]) -> list[ClauseOp]:
    """Mark inserted text split out of a neighbouring changed clause, and deleted text merged into one.

    An inserted (deleted) clause next to a changed or moved one counts as split off (merged in) when
    most of its words are among the words that clause lost (gained).
    """
    for k, op in enumerate(ops):
        if op.op not in ("changed", "moved") or not op.edited:
            continue
        for word_op, side in (("delete", "inserted"), ("insert", "deleted")):
            if not any(0 <= n < len(ops) and ops[n].op == side for n in (k - 1, k + 1)):
                continue
            pool = Counter(w for change in op.changes if change.op == word_op for w in change.text.split())
            for step in (1, -1):
                n = k + step
                while pool and 0 <= n < len(ops) and ops[n].op == side:
                    other = ops[n]
                    clause = other.new if side == "inserted" else other.old
                    words = Counter(clause.text.split()) if clause is not None else Counter[str]()
                    common = words & pool
                    if words and common.total() >= _SPLIT_SHARE * words.total():
                        pool -= common
                        if side == "inserted":
                            ops[n] = replace(other, split_from=op.old_number)
                        else:
                            ops[n] = replace(other, merged_into=op.new_number)
                    n += step
    return ops
