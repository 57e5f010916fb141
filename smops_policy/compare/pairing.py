"""Pairing for the diff engine: which clause of one version is which clause of the other, which block of
a clause pair is which, and which heading is which. Pure functions over `Document` values.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import TYPE_CHECKING, Literal, TypeVar

from smops_policy.compare.matching import changes as word_changes
from smops_policy.compare.matching import diff_words, lis, matching_blocks
from smops_policy.compare.ops import BlockDiff, BlockOpKind, SectionOp, WordChange, WordOpKind

if TYPE_CHECKING:
    from collections.abc import Container, Sequence

    from smops_policy.content.document import Clause, Document

__all__ = [
    "SIMILAR",
    "SIMILAR_BLOCK",
    "SIMILAR_MOVED",
    "Item",
    "block_diffs",
    "dice",
    "items",
    "moved_sections",
    "pair_clauses",
    "pair_sections",
    "section_ops",
    "whole",
]

_T = TypeVar("_T")

# Two clauses are "the same clause, edited" from this share of common words (2·common / (len a + len b)).
# Unrelated clauses of a real privacy policy score at most ~0.43; one split into halves scores ~0.67.
SIMILAR = 0.5
# A pair that would also have to be reported as moved must look more alike: a false move misleads more.
SIMILAR_MOVED = 0.6
# Blocks of one clause pair up more readily: they already belong to the same clause.
SIMILAR_BLOCK = 0.3
# Word pairs shared by more clauses than this say nothing about which clause is which.
_MAX_SHINGLE_DF = 8
_CANDIDATES = 6
# Regions without a word unique to both sides are compared exactly only while this small.


# --------------------------------------------------------------------------- clauses as tokens


class Item:
    """A clause with its words as strings (for output) and as interned ids (for comparing)."""

    __slots__ = ("_counts", "clause", "flat", "ids", "index", "key", "section", "words")

    def __init__(
        self,
        clause: Clause,
        section: int,
        index: int,
        vocab: dict[str, int],
        keys: dict[tuple[tuple[int, ...], ...], int],
    ) -> None:
        self.clause = clause
        self.section = section
        self.index = index
        self.words = [block.text.split() for block in clause.blocks]
        self.ids = [[vocab.setdefault(w, len(vocab)) for w in words] for words in self.words]
        self.flat = [i for ids in self.ids for i in ids]
        # Block boundaries are part of the key: words moved from one bullet to the next are a change.
        key = tuple(tuple(ids) for ids in self.ids)
        self.key = keys.setdefault(key, len(keys))
        self._counts: Counter[int] | None = None

    @property
    def counts(self) -> Counter[int]:
        if self._counts is None:
            self._counts = Counter(self.flat)
        return self._counts


def items(document: Document, vocab: dict[str, int], keys: dict[tuple[tuple[int, ...], ...], int]) -> list[Item]:
    items: list[Item] = []
    for s, section in enumerate(document.sections):
        for clause in section.clauses:
            items.append(Item(clause, s, len(items), vocab, keys))
    return items


def dice(a: Counter[_T], na: int, b: Counter[_T], nb: int) -> float:
    if not na or not nb:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    common = 0
    for item, n in a.items():
        m = b.get(item)
        if m:
            common += min(m, n)
    return 2 * common / (na + nb)


def _shingles(ids: Sequence[int], base: int) -> set[int]:
    """Word pairs of a clause, as ints; long clauses keep a content-defined quarter of them.

    Sampling by value keeps the same pairs on both sides, so a shared pair is still shared.
    """
    if len(ids) < 2:
        return {-1 - i for i in ids}
    every = {x * base + y for x, y in pairwise(ids)}
    if len(every) < 16:
        return every
    sample = {v for v in every if not (v * 0x9E3779B1) & 0x300}
    return sample if len(sample) >= 4 else every


# --------------------------------------------------------------------------- pairing clauses


def _gaps(count: int, matched: Container[int]) -> tuple[list[int], list[int]]:
    """For each of `count` clauses, the gap it lies in (gap g follows the g-th matched clause), and
    where each gap starts."""
    gap: list[int] = []
    start = [0]
    for i in range(count):
        if i in matched:
            start.append(i + 1)
        gap.append(len(start) - 1)
    start.append(count + 1)
    return gap, start


def pair_clauses(old: list[Item], new: list[Item], base: int) -> dict[int, int]:
    """new index → old index for every clause found on both sides (in order or not)."""
    pairs: dict[int, int] = {}
    for i, j, n in matching_blocks([it.key for it in old], [it.key for it in new]):
        for k in range(n):
            pairs[j + k] = i + k
    if len(pairs) == len(new) or len(pairs) == len(old):
        return pairs

    # Gap g lies between the g-th and (g+1)-th identical clause: there an edit in place is expected.
    matched_old = set(pairs.values())
    gap_old, start_old = _gaps(len(old), matched_old)
    gap_new, start_new = _gaps(len(new), pairs.keys())

    by_key: dict[int, list[int]] = {}
    postings: dict[int, list[int]] = {}
    for i in range(len(old)):
        if i not in matched_old:
            by_key.setdefault(old[i].key, []).append(i)
            for shingle in _shingles(old[i].flat, base):
                postings.setdefault(shingle, []).append(i)

    scored: list[tuple[float, int, int, int, int]] = []
    for j, item in enumerate(new):
        if j in pairs:
            continue
        gap = gap_new[j]
        candidates: dict[int, None] = {}
        for i in sorted(by_key.get(item.key, ()), key=lambda i: (abs(gap_old[i] - gap), abs(i - j), i))[:16]:
            candidates[i] = None
        mine = _shingles(item.flat, base)
        shared: dict[int, int] = {}
        for shingle in mine:
            posting = postings.get(shingle)
            if posting is not None and len(posting) <= _MAX_SHINGLE_DF:
                for i in posting:
                    shared[i] = shared.get(i, 0) + 1
        most = max(shared.values(), default=0)
        strong = [i for i, n in shared.items() if 2 * n >= most]
        strong.sort(key=lambda i: (-shared[i], abs(gap_old[i] - gap), abs(i - j), i))
        candidates.update(dict.fromkeys(strong[:_CANDIDATES]))
        if 2 * most < len(mine):
            # Few shared word pairs (a heavy rewrite): try the clauses in the same place of the gap,
            # counted from its start and from its end.
            low, high = start_old[gap], start_old[gap + 1] - 1
            offset = j - start_new[gap]
            for i in (low + offset - 1, low + offset, low + offset + 1, high - (start_new[gap + 1] - 1 - j)):
                if low <= i < high:
                    candidates[i] = None
        n_new = len(item.flat)
        for i in candidates:
            n_old = len(old[i].flat)
            same_gap = gap_old[i] == gap
            floor = SIMILAR if same_gap else SIMILAR_MOVED
            if 2 * min(n_old, n_new) < floor * (n_old + n_new):
                continue  # too different in length to reach the floor
            score = 1.0 if old[i].key == item.key else dice(old[i].counts, n_old, item.counts, n_new)
            if score >= floor:
                # An edit in place beats an equally good match elsewhere: prefer the same gap, then nearness.
                rank = score + (0.05 if same_gap else 0.0)
                scored.append((-rank, abs(gap_old[i] - gap), abs(i - j), i, j))
    scored.sort()
    taken: set[int] = set()
    for _, _, _, i, j in scored:
        if i not in taken and j not in pairs:
            pairs[j] = i
            taken.add(i)
    return pairs


# --------------------------------------------------------------------------- blocks of a clause pair


def block_diffs(old: Item, new: Item) -> tuple[BlockDiff, ...]:
    old_blocks, new_blocks = old.clause.blocks, new.clause.blocks
    if len(old_blocks) == 1 and len(new_blocks) == 1:
        block = new_blocks[0]
        op: BlockOpKind = "equal" if old.ids[0] == new.ids[0] else "changed"
        return (
            BlockDiff(op, block.kind, block.depth, word_changes(old.words[0], old.ids[0], new.words[0], new.ids[0])),
        )
    local: dict[tuple[int, ...], int] = {}
    old_keys = [local.setdefault(tuple(ids), len(local)) for ids in old.ids]
    new_keys = [local.setdefault(tuple(ids), len(local)) for ids in new.ids]
    out: list[BlockDiff] = []
    ia = ib = 0
    for i, j, n in [*matching_blocks(old_keys, new_keys), (len(old_keys), len(new_keys), 0)]:
        for a, b in _pair_blocks(old, ia, i, new, ib, j):
            if a is not None and b is not None:
                block = new_blocks[b]
                changes = word_changes(old.words[a], old.ids[a], new.words[b], new.ids[b])
                out.append(BlockDiff("changed", block.kind, block.depth, changes))
            elif a is not None:
                block = old_blocks[a]
                out.append(
                    BlockDiff("deleted", block.kind, block.depth, (WordChange("delete", " ".join(old.words[a])),))
                )
            elif b is not None:
                block = new_blocks[b]
                out.append(
                    BlockDiff("inserted", block.kind, block.depth, (WordChange("insert", " ".join(new.words[b])),))
                )
        for k in range(n):
            block = new_blocks[j + k]
            out.append(BlockDiff("equal", block.kind, block.depth, (WordChange("equal", " ".join(new.words[j + k])),)))
        ia, ib = i + n, j + n
    return tuple(out)


def _pair_blocks(old: Item, alo: int, ahi: int, new: Item, blo: int, bhi: int) -> list[tuple[int | None, int | None]]:
    """Pair the unequal blocks between two equal ones, in order, maximising total similarity."""
    k, m = ahi - alo, bhi - blo
    if k == 0 or m == 0:
        return [(a, None) for a in range(alo, ahi)] + [(None, b) for b in range(blo, bhi)]
    if k == 1 and m == 1:
        return [(alo, blo)]
    if k * m > 400:  # a clause with hundreds of rewritten bullets: pair by position
        pairs: list[tuple[int | None, int | None]] = [(alo + d, blo + d) for d in range(min(k, m))]
        pairs += [(a, None) for a in range(alo + min(k, m), ahi)]
        return pairs + [(None, b) for b in range(blo + min(k, m), bhi)]
    counts_a = [Counter(old.ids[a]) for a in range(alo, ahi)]
    counts_b = [Counter(new.ids[b]) for b in range(blo, bhi)]
    sim = [
        [dice(counts_a[x], len(old.ids[alo + x]), counts_b[y], len(new.ids[blo + y])) for y in range(m)]
        for x in range(k)
    ]
    best = [[0.0] * (m + 1) for _ in range(k + 1)]
    for x in range(k - 1, -1, -1):
        for y in range(m - 1, -1, -1):
            pair = sim[x][y] + best[x + 1][y + 1] if sim[x][y] >= SIMILAR_BLOCK else -1.0
            best[x][y] = max(pair, best[x + 1][y], best[x][y + 1])
    out: list[tuple[int | None, int | None]] = []
    x = y = 0
    while x < k and y < m:
        if sim[x][y] >= SIMILAR_BLOCK and best[x][y] == sim[x][y] + best[x + 1][y + 1]:
            out.append((alo + x, blo + y))
            x, y = x + 1, y + 1
        elif best[x][y] == best[x + 1][y]:
            out.append((alo + x, None))
            x += 1
        else:
            out.append((None, blo + y))
            y += 1
    out += [(alo + r, None) for r in range(x, k)]
    return out + [(None, blo + r) for r in range(y, m)]


def whole(item: Item, op: Literal["inserted", "deleted"]) -> tuple[BlockDiff, ...]:
    word_op: WordOpKind = "insert" if op == "inserted" else "delete"
    return tuple(
        BlockDiff(op, block.kind, block.depth, (WordChange(word_op, " ".join(words)),))
        for block, words in zip(item.clause.blocks, item.words, strict=True)
    )


# --------------------------------------------------------------------------- sections


def _parent(document: Document, index: int) -> str | None:
    """The heading a section sits under: the nearest heading before it at a higher level."""
    level = document.sections[index].level
    for section in reversed(document.sections[:index]):
        if section.heading is not None and section.level < level:
            return section.heading
    return None


def pair_sections(old: Document, new: Document, links: Counter[tuple[int, int]]) -> dict[int, int]:
    """old section index → new section index: same heading first, then shared clauses or similar words."""
    keys: dict[str | None, int] = {}
    old_keys = [keys.setdefault(s.heading, len(keys)) for s in old.sections]
    new_keys = [keys.setdefault(s.heading, len(keys)) for s in new.sections]
    pairs: dict[int, int] = {}
    for i, j, n in matching_blocks(old_keys, new_keys):
        for k in range(n):
            pairs[i + k] = j + k
    taken = set(pairs.values())
    free_old = [s for s in range(len(old.sections)) if s not in pairs and old.sections[s].heading is not None]
    free_new = [t for t in range(len(new.sections)) if t not in taken and new.sections[t].heading is not None]
    words_new = {t: Counter((new.sections[t].heading or "").split()) for t in free_new}
    scored: list[tuple[float, int, int]] = []
    for s in free_old:
        words_a = Counter((old.sections[s].heading or "").split())
        for t in free_new:
            words_b = words_new[t]
            size = max(len(old.sections[s].clauses), len(new.sections[t].clauses), 1)
            score = max(dice(words_a, words_a.total(), words_b, words_b.total()), links[s, t] / size)
            if score >= SIMILAR:
                scored.append((-score, s, t))
    scored.sort()
    for _, s, t in scored:
        if s not in pairs and t not in taken:
            pairs[s] = t
            taken.add(t)
    # The one heading left between the same two neighbours on each side was renamed.
    by_new = {t: s for s, t in pairs.items()}
    run: list[int] = []
    previous = -1
    for t in [*range(len(new.sections)), len(new.sections)]:
        if t < len(new.sections) and t not in by_new:
            run.append(t)
            continue
        following = by_new[t] if t < len(new.sections) else len(old.sections)
        between = [s for s in range(previous + 1, following) if s not in pairs]
        if (
            len(run) == 1
            and len(between) == 1
            and old.sections[between[0]].heading is not None
            and new.sections[run[0]].heading is not None
        ):
            pairs[between[0]] = run[0]
        run = []
        previous = following
    return pairs


def moved_sections(old: Document, pairs: dict[int, int]) -> set[int]:
    """The old headings whose pair is out of the order the others keep (a longest increasing run)."""
    headed = sorted((t, s) for s, t in pairs.items() if old.sections[s].heading is not None)
    keep = {headed[k][1] for k in lis([s for _, s in headed])}
    return {s for _, s in headed if s not in keep}


def section_ops(old: Document, new: Document, pairs: dict[int, int], moved: set[int]) -> tuple[SectionOp, ...]:
    placed: list[tuple[tuple[int, int, int], SectionOp]] = []
    old_of = {t: s for s, t in pairs.items()}
    for t, section in enumerate(new.sections):
        s = old_of.get(t)
        changes: tuple[WordChange, ...]
        level = section.level
        if s is None:
            changes = (WordChange("insert", section.heading),) if section.heading else ()
            placed.append(((t, 0, 0), SectionOp("inserted", None, t, None, section.heading, changes, level)))
            continue
        before = old.sections[s].heading
        changes = () if before == section.heading else diff_words(before or "", section.heading or "")
        if s in moved:
            parents = (_parent(old, s), _parent(new, t))
            placed.append(((t, 0, 0), SectionOp("moved", s, t, before, section.heading, changes, level, *parents)))
        elif before == section.heading:
            placed.append(((t, 0, 0), SectionOp("equal", s, t, before, section.heading, (), level)))
        else:
            placed.append(((t, 0, 0), SectionOp("changed", s, t, before, section.heading, changes, level)))
    for s, section in enumerate(old.sections):
        if s in pairs:
            continue
        after = max((pairs[p] for p in range(s) if p in pairs), default=-1)
        gone = (WordChange("delete", section.heading),) if section.heading else ()
        placed.append(((after, 1, s), SectionOp("deleted", s, None, section.heading, None, gone, section.level)))
    placed.sort(key=lambda entry: entry[0])
    return tuple(op for _, op in placed)
