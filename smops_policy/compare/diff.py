"""Compare two versions of a policy the way a lawyer reads them: clause by clause, then word by word.

Clauses are matched by their text, never by their number, so inserting one clause reports one
insertion (and a renumbering, once) instead of every later clause as changed. The steps:

1. identical clauses are paired by their exact token sequence, in order (patience diff on clause keys);
2. the clauses left over are paired by word similarity (multiset Dice >= `SIMILAR`), looking only at
   candidates that share a rare word pair, so the cost stays near linear in the number of clauses;
3. a longest increasing subsequence over all pairs tells clauses still in order (`equal`/`changed`)
   from clauses taken out of order (`moved`); a clause that lands under another existing heading is
   `moved` too;
4. inside each changed pair, blocks (paragraphs, bullets) are aligned, and words are compared with a
   patience diff on whitespace tokens, so re-wrapping or extra spaces never count as a change.

Split and merged clauses: the part that matches the old clause best is `changed` (its lost or gained
words show as deletions or insertions), and the rest is `inserted` with `split_from` set to the old
clause's number (or `deleted` with `merged_into` set to the new clause's number).

Pure functions over `Document` values: no I/O, and the same input always gives the same output.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from collections.abc import Container, Hashable, Sequence

    from smops_policy.content.document import Clause, Document

__all__ = [
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

_T = TypeVar("_T")

ClauseOpKind = Literal["equal", "changed", "inserted", "deleted", "moved"]
SectionOpKind = Literal["equal", "changed", "inserted", "deleted"]
BlockOpKind = Literal["equal", "changed", "inserted", "deleted"]
WordOpKind = Literal["equal", "insert", "delete"]

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
_SMALL_REGION = 2_500
_SPLIT_SHARE = 0.6


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True, slots=True)
class WordChange:
    """A run of words: kept (`equal`), added (`insert`) or removed (`delete`); words joined by one space."""

    op: WordOpKind
    text: str


@dataclass(frozen=True, slots=True)
class BlockDiff:
    """One paragraph or bullet of a clause pair; `kind`/`depth` are the new block's (the old one's if deleted)."""

    op: BlockOpKind
    kind: str
    depth: int
    changes: tuple[WordChange, ...]


@dataclass(frozen=True, slots=True)
class ClauseOp:
    """What happened to one clause. Sections are indices into `Document.sections` of each side.

    `blocks` is filled for every op except `equal`; for `moved` it shows the edits made as well, if any.
    """

    op: ClauseOpKind
    old_number: int | None
    new_number: int | None
    old: Clause | None
    new: Clause | None
    old_section: int | None
    new_section: int | None
    blocks: tuple[BlockDiff, ...] = ()
    split_from: int | None = None  # inserted: the old clause this text was split out of
    merged_into: int | None = None  # deleted: the new clause this text was merged into

    @property
    def edited(self) -> bool:
        """True when the words changed (a `moved` clause may or may not have been edited)."""
        return self.op in ("changed", "inserted", "deleted") or any(b.op != "equal" for b in self.blocks)

    @property
    def changes(self) -> tuple[WordChange, ...]:
        """All word changes of the clause, blocks run together."""
        return tuple(change for block in self.blocks for change in block.changes)


@dataclass(frozen=True, slots=True)
class SectionOp:
    """What happened to one heading; a heading of None is the text before the first heading."""

    op: SectionOpKind
    old_index: int | None
    new_index: int | None
    old_heading: str | None
    new_heading: str | None
    changes: tuple[WordChange, ...] = ()


@dataclass(frozen=True, slots=True)
class Summary:
    """How many clauses changed, were inserted, deleted or moved (a moved and edited clause counts as moved)."""

    changed: int = 0
    inserted: int = 0
    deleted: int = 0
    moved: int = 0


@dataclass(frozen=True, slots=True)
class DocumentDiff:
    """Clause ops in the reading order of the new version (deletions where they were), and heading ops.

    `renumbered` counts the equal clauses whose number changed, so a renumbering is noted once.
    """

    ops: tuple[ClauseOp, ...]
    sections: tuple[SectionOp, ...]
    summary: Summary
    renumbered: int

    @property
    def identical(self) -> bool:
        """True when no clause, heading or number changed."""
        return (
            self.renumbered == 0
            and all(op.op == "equal" for op in self.ops)
            and all(op.op == "equal" for op in self.sections)
        )


# --------------------------------------------------------------------------- sequence matching


def _lis(seq: Sequence[int]) -> list[int]:
    """Positions in `seq` of a longest strictly increasing subsequence (O(n log n), deterministic)."""
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(seq)
    for k, value in enumerate(seq):
        p = bisect_left(tails, value)
        if p == len(tails):
            tails.append(value)
            tail_at.append(k)
        else:
            tails[p] = value
            tail_at[p] = k
        back[k] = tail_at[p - 1] if p else -1
    out: list[int] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        out.append(k)
        k = back[k]
    out.reverse()
    return out


def _anchors(a: Sequence[int], alo: int, ahi: int, b: Sequence[int], blo: int, bhi: int) -> list[tuple[int, int, int]]:
    """Patience anchors `(i, j, width)`: runs occurring once on each side, in an order both sides agree on.

    Single words first; in repetitive text, where no word is unique, runs of 2 or 4 words usually
    are. Failing that, words occurring equally often (and rarely) on both sides pair up by
    occurrence, as histogram diff does.
    """
    for width in (1, 2, 4):
        keys_a: list[Hashable] = (
            [tuple(a[i : i + width]) for i in range(alo, ahi - width + 1)] if width > 1 else list(a[alo:ahi])
        )
        keys_b: list[Hashable] = (
            [tuple(b[j : j + width]) for j in range(blo, bhi - width + 1)] if width > 1 else list(b[blo:bhi])
        )
        count_a, count_b = Counter(keys_a), Counter(keys_b)
        first_a = {key: alo + k for k, key in enumerate(keys_a) if count_a[key] == 1}
        pairs = [(first_a[key], blo + k) for k, key in enumerate(keys_b) if count_b[key] == 1 and key in first_a]
        if pairs:
            return _chain(pairs, width)
    count_a, count_b = Counter(a[alo:ahi]), Counter(b[blo:bhi])
    rare = {item for item, n in count_b.items() if n <= 4 and count_a.get(item) == n}
    seen_a: dict[int, list[int]] = {}
    for i in range(alo, ahi):
        if a[i] in rare:
            seen_a.setdefault(a[i], []).append(i)
    taken: Counter[int] = Counter()
    for j in range(blo, bhi):
        item = b[j]
        if item in rare:
            pairs.append((seen_a[item][taken[item]], j))
            taken[item] += 1
    return _chain(pairs, 1)


def _chain(pairs: list[tuple[int, int]], width: int) -> list[tuple[int, int, int]]:
    """The longest run of pairs (given in b order) that also increases in a, without overlaps."""
    out: list[tuple[int, int, int]] = []
    for k in _lis([i for i, _ in pairs]):
        i, j = pairs[k]
        if not out or (i >= out[-1][0] + width and j >= out[-1][1] + width):
            out.append((i, j, width))
    return out


def _matching_blocks(a: Sequence[int], b: Sequence[int]) -> list[tuple[int, int, int]]:
    """Runs `(i, j, n)` with a[i:i+n] == b[j:j+n], increasing on both sides.

    Patience diff with recursion: common prefix and suffix, then anchors on unique items, then the
    gaps between anchors; only small anchor-less gaps use difflib's exact but quadratic search.
    """
    found: list[tuple[int, int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        start_a, start_b = alo, blo
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo += 1
            blo += 1
        if alo > start_a:
            found.append((start_a, start_b, alo - start_a))
        end_a = ahi
        while ahi > alo and bhi > blo and a[ahi - 1] == b[bhi - 1]:
            ahi -= 1
            bhi -= 1
        if ahi < end_a:
            found.append((ahi, bhi, end_a - ahi))
        if alo == ahi or blo == bhi:
            continue
        if ahi - alo == 1 or bhi - blo == 1:  # one word replaced or added: the commonest edit
            if ahi - alo == 1 and a[alo] in b[blo:bhi]:
                found.append((alo, b.index(a[alo], blo, bhi), 1))
            elif bhi - blo == 1 and b[blo] in a[alo:ahi]:
                found.append((a.index(b[blo], alo, ahi), blo, 1))
            continue
        if (ahi - alo) * (bhi - blo) <= _SMALL_REGION:
            if set(a[alo:ahi]).isdisjoint(b[blo:bhi]):
                continue
            matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            found.extend((alo + i, blo + j, n) for i, j, n in matcher.get_matching_blocks() if n)
            continue
        prev_a, prev_b = alo, blo
        for i, j, n in _anchors(a, alo, ahi, b, blo, bhi):
            found.append((i, j, n))
            stack.append((prev_a, i, prev_b, j))
            prev_a, prev_b = i + n, j + n
        if (prev_a, prev_b) != (alo, blo):
            stack.append((prev_a, ahi, prev_b, bhi))
    found.sort()
    merged: list[tuple[int, int, int]] = []
    for i, j, n in found:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + n)
        else:
            merged.append((i, j, n))
    return merged


# --------------------------------------------------------------------------- words


# A region is (is_equal, a_lo, a_hi, b_lo, b_hi).
_Region = tuple[bool, int, int, int, int]


def _regions(a: Sequence[int], b: Sequence[int]) -> list[_Region]:
    regions: list[_Region] = []
    ia = ib = 0
    for i, j, n in [*_matching_blocks(a, b), (len(a), len(b), 0)]:
        if ia < i or ib < j:
            regions.append((False, ia, i, ib, j))
        if n:
            regions.append((True, i, i + n, j, j + n))
        ia, ib = i + n, j + n
    return _readable(regions)


def _readable(regions: list[_Region]) -> list[_Region]:
    """Fold a word or two kept between two larger rewrites into the rewrite.

    "[-a b c-]{+x y z+} the [-d e f-]{+u v w+}" reads better as one rewrite; a single replaced word
    either side of a kept word stays as it is, because there the precise change is what matters.
    """
    out: list[_Region] = []
    for region in regions:
        if not region[0]:
            while len(out) >= 2 and out[-1][0] and not out[-2][0]:
                before, kept = out[-2], out[-1]
                size = kept[2] - kept[1]
                if size > 2 or 2 * size >= _span(before) or 2 * size >= _span(region):
                    break
                del out[-2:]
                region = (False, before[1], region[2], before[3], region[4])
        out.append(region)
    return out


def _span(region: _Region) -> int:
    return max(region[2] - region[1], region[4] - region[3])


def _changes(
    old_words: Sequence[str], old_ids: Sequence[int], new_words: Sequence[str], new_ids: Sequence[int]
) -> tuple[WordChange, ...]:
    changes: list[WordChange] = []
    for is_equal, alo, ahi, blo, bhi in _regions(old_ids, new_ids):
        if is_equal:
            changes.append(WordChange("equal", " ".join(new_words[blo:bhi])))
            continue
        if ahi > alo:
            changes.append(WordChange("delete", " ".join(old_words[alo:ahi])))
        if bhi > blo:
            changes.append(WordChange("insert", " ".join(new_words[blo:bhi])))
    return tuple(changes)


def diff_words(old: str, new: str) -> tuple[WordChange, ...]:
    """Word-level changes between two texts; words are whitespace-separated, punctuation stays on its word."""
    old_words, new_words = old.split(), new.split()
    vocab: dict[str, int] = {}
    old_ids = [vocab.setdefault(w, len(vocab)) for w in old_words]
    new_ids = [vocab.setdefault(w, len(vocab)) for w in new_words]
    return _changes(old_words, old_ids, new_words, new_ids)


# --------------------------------------------------------------------------- clauses as tokens


class _Item:
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


def _items(document: Document, vocab: dict[str, int], keys: dict[tuple[tuple[int, ...], ...], int]) -> list[_Item]:
    items: list[_Item] = []
    for s, section in enumerate(document.sections):
        for clause in section.clauses:
            items.append(_Item(clause, s, len(items), vocab, keys))
    return items


def _dice(a: Counter[_T], na: int, b: Counter[_T], nb: int) -> float:
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


def _pair_clauses(old: list[_Item], new: list[_Item], base: int) -> dict[int, int]:
    """new index → old index for every clause found on both sides (in order or not)."""
    pairs: dict[int, int] = {}
    for i, j, n in _matching_blocks([it.key for it in old], [it.key for it in new]):
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
            score = 1.0 if old[i].key == item.key else _dice(old[i].counts, n_old, item.counts, n_new)
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


def _block_diffs(old: _Item, new: _Item) -> tuple[BlockDiff, ...]:
    old_blocks, new_blocks = old.clause.blocks, new.clause.blocks
    if len(old_blocks) == 1 and len(new_blocks) == 1:
        block = new_blocks[0]
        op: BlockOpKind = "equal" if old.ids[0] == new.ids[0] else "changed"
        return (BlockDiff(op, block.kind, block.depth, _changes(old.words[0], old.ids[0], new.words[0], new.ids[0])),)
    local: dict[tuple[int, ...], int] = {}
    old_keys = [local.setdefault(tuple(ids), len(local)) for ids in old.ids]
    new_keys = [local.setdefault(tuple(ids), len(local)) for ids in new.ids]
    out: list[BlockDiff] = []
    ia = ib = 0
    for i, j, n in [*_matching_blocks(old_keys, new_keys), (len(old_keys), len(new_keys), 0)]:
        for a, b in _pair_blocks(old, ia, i, new, ib, j):
            if a is not None and b is not None:
                block = new_blocks[b]
                changes = _changes(old.words[a], old.ids[a], new.words[b], new.ids[b])
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


def _pair_blocks(old: _Item, alo: int, ahi: int, new: _Item, blo: int, bhi: int) -> list[tuple[int | None, int | None]]:
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
        [_dice(counts_a[x], len(old.ids[alo + x]), counts_b[y], len(new.ids[blo + y])) for y in range(m)]
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


def _whole(item: _Item, op: Literal["inserted", "deleted"]) -> tuple[BlockDiff, ...]:
    word_op: WordOpKind = "insert" if op == "inserted" else "delete"
    return tuple(
        BlockDiff(op, block.kind, block.depth, (WordChange(word_op, " ".join(words)),))
        for block, words in zip(item.clause.blocks, item.words, strict=True)
    )


# --------------------------------------------------------------------------- sections


def _pair_sections(old: Document, new: Document, links: Counter[tuple[int, int]]) -> dict[int, int]:
    """old section index → new section index: same heading first, then shared clauses or similar words."""
    keys: dict[str | None, int] = {}
    old_keys = [keys.setdefault(s.heading, len(keys)) for s in old.sections]
    new_keys = [keys.setdefault(s.heading, len(keys)) for s in new.sections]
    pairs: dict[int, int] = {}
    for i, j, n in _matching_blocks(old_keys, new_keys):
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
            score = max(_dice(words_a, words_a.total(), words_b, words_b.total()), links[s, t] / size)
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


def _section_ops(old: Document, new: Document, pairs: dict[int, int]) -> tuple[SectionOp, ...]:
    placed: list[tuple[tuple[int, int, int], SectionOp]] = []
    old_of = {t: s for s, t in pairs.items()}
    for t, section in enumerate(new.sections):
        s = old_of.get(t)
        changes: tuple[WordChange, ...]
        if s is None:
            changes = (WordChange("insert", section.heading),) if section.heading else ()
            placed.append(((t, 0, 0), SectionOp("inserted", None, t, None, section.heading, changes)))
            continue
        before = old.sections[s].heading
        if before == section.heading:
            placed.append(((t, 0, 0), SectionOp("equal", s, t, before, section.heading)))
        else:
            changes = diff_words(before or "", section.heading or "")
            placed.append(((t, 0, 0), SectionOp("changed", s, t, before, section.heading, changes)))
    for s, section in enumerate(old.sections):
        if s in pairs:
            continue
        after = max((pairs[p] for p in range(s) if p in pairs), default=-1)
        gone = (WordChange("delete", section.heading),) if section.heading else ()
        placed.append(((after, 1, s), SectionOp("deleted", s, None, section.heading, None, gone)))
    placed.sort(key=lambda entry: entry[0])
    return tuple(op for _, op in placed)


# --------------------------------------------------------------------------- the comparison


def diff_documents(old: Document, new: Document) -> DocumentDiff:
    """Compare two versions clause by clause (matched by content, not number) and word by word."""
    vocab: dict[str, int] = {}
    keys: dict[tuple[tuple[int, ...], ...], int] = {}
    old_items = _items(old, vocab, keys)
    new_items = _items(new, vocab, keys)
    pairs = _pair_clauses(old_items, new_items, len(vocab) + 1)

    links: Counter[tuple[int, int]] = Counter((old_items[i].section, new_items[j].section) for j, i in pairs.items())
    section_pairs = _pair_sections(old, new, links)
    paired_new_sections = set(section_pairs.values())

    def elsewhere(j: int) -> bool:
        # Landing under another heading that exists in both versions is a move; a heading added or
        # removed around a clause is reported once, as a heading op, not as a move of every clause.
        home = section_pairs.get(old_items[pairs[j]].section)
        section = new_items[j].section
        return home is not None and home != section and section in paired_new_sections

    # Clauses that changed section are moves whatever their order, so the longest run still in order is
    # sought among the others: a clause that stayed must not be reported moved for one that left.
    ordered = [j for j in sorted(pairs) if not elsewhere(j)]
    in_order = {ordered[k] for k in _lis([pairs[j] for j in ordered])}

    placed: list[tuple[tuple[int, int, int], ClauseOp]] = []
    renumbered = 0
    for j, item in enumerate(new_items):
        clause = item.clause
        i = pairs.get(j)
        if i is None:
            op = ClauseOp("inserted", None, clause.number, None, clause, None, item.section, _whole(item, "inserted"))
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
        blocks = () if kind == "equal" else _block_diffs(before, item)
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
        op = ClauseOp("deleted", clause.number, None, clause, None, item.section, None, _whole(item, "deleted"))
        placed.append(((last_in_place, 1, i), op))
    placed.sort(key=lambda entry: entry[0])
    ops = _note_splits([op for _, op in placed])

    counts = Counter(op.op for op in ops)
    summary = Summary(counts["changed"], counts["inserted"], counts["deleted"], counts["moved"])
    return DocumentDiff(tuple(ops), _section_ops(old, new, section_pairs), summary, renumbered)


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


# --------------------------------------------------------------------------- output


def _changes_json(changes: Sequence[WordChange]) -> list[dict[str, str]]:
    return [{"op": change.op, "text": change.text} for change in changes]


def to_json(diff: DocumentDiff, old_version: str, new_version: str) -> dict[str, Any]:
    """The diff as JSON-ready data: summary, renumbering, heading ops and clause ops with word changes."""
    return {
        "old": old_version,
        "new": new_version,
        "summary": {
            "changed": diff.summary.changed,
            "inserted": diff.summary.inserted,
            "deleted": diff.summary.deleted,
            "moved": diff.summary.moved,
        },
        "renumbered": diff.renumbered,
        "sections": [
            {
                "op": op.op,
                "old_index": op.old_index,
                "new_index": op.new_index,
                "old_heading": op.old_heading,
                "new_heading": op.new_heading,
                "changes": _changes_json(op.changes),
            }
            for op in diff.sections
        ],
        "clauses": [
            {
                "op": op.op,
                "old_number": op.old_number,
                "new_number": op.new_number,
                "old_section": op.old_section,
                "new_section": op.new_section,
                "split_from": op.split_from,
                "merged_into": op.merged_into,
                "blocks": [
                    {"op": block.op, "kind": block.kind, "depth": block.depth, "changes": _changes_json(block.changes)}
                    for block in op.blocks
                ],
            }
            for op in diff.ops
        ],
    }


_RED, _GREEN, _BOLD, _DIM, _RESET = "\x1b[9;31m", "\x1b[4;32m", "\x1b[1m", "\x1b[2m", "\x1b[0m"


def _redline(changes: Sequence[WordChange], color: bool, style: str = "") -> str:
    parts: list[str] = []
    for change in changes:
        if change.op == "equal":
            parts.append(change.text)
        elif color:
            # a reset ends every style at once, so the surrounding one (bold headings) is put back
            parts.append(f"{_RED if change.op == 'delete' else _GREEN}{change.text}{_RESET}{style}")
        else:
            parts.append(f"[-{change.text}-]" if change.op == "delete" else f"{{+{change.text}+}}")
    return " ".join(parts)


def _ref(number: int | None) -> str:
    return f"§ {number}" if number is not None else "unnumbered passage"


def clause_header(op: ClauseOp, headings: tuple[dict[int, str | None], dict[int, str | None]]) -> str:
    if op.op == "inserted":
        where = _ref(op.new_number)
    elif op.op == "deleted" or op.old_number == op.new_number:
        where = _ref(op.old_number)
    elif op.old_number is not None and op.new_number is not None:
        where = f"§ {op.old_number} → {op.new_number}"
    else:
        where = f"{_ref(op.old_number)} → {_ref(op.new_number)}"
    text = f"{where} {op.op}"
    if op.op == "moved":
        old_heading = headings[0].get(op.old_section) if op.old_section is not None else None
        new_heading = headings[1].get(op.new_section) if op.new_section is not None else None
        if old_heading != new_heading:
            text += f' (from "{old_heading or "the opening text"}" to "{new_heading or "the opening text"}")'
        if op.edited:
            text += " and changed"
    if op.split_from is not None:
        text += f" (split from § {op.split_from})"
    if op.merged_into is not None:
        text += f" (merged into § {op.merged_into})"
    return text


def summary_line(diff: DocumentDiff) -> str:
    """ "1 changed, 0 inserted, 0 deleted, 0 moved", and the renumbering if any (the text's first line)."""
    counts = diff.summary
    line = f"{counts.changed} changed, {counts.inserted} inserted, {counts.deleted} deleted, {counts.moved} moved"
    if diff.renumbered:
        line += f"; {diff.renumbered} unchanged clause{'s' if diff.renumbered != 1 else ''} renumbered"
    return line


def to_text(diff: DocumentDiff, color: bool) -> str:
    """A terminal redline: a header per changed clause, word changes marked, unchanged clauses folded.

    With `color`, deletions are red and struck through and insertions green and underlined (ANSI);
    without, they read `[-deleted-]` and `{+inserted+}`.
    """
    lines: list[str] = []
    if diff.identical:
        return "No changes.\n"
    summary = summary_line(diff)
    lines.append(f"{_BOLD}{summary}{_RESET}" if color else summary)

    by_new = {op.new_index: op for op in diff.sections if op.new_index is not None}
    by_old = {op.old_index: op for op in diff.sections if op.old_index is not None}
    headings = ({k: op.old_heading for k, op in by_old.items()}, {k: op.new_heading for k, op in by_new.items()})
    shown: set[SectionOp] = set()
    folded = 0

    def flush() -> None:
        nonlocal folded
        if folded:
            text = f"… {folded} unchanged clause{'s' if folded != 1 else ''} …"
            lines.append(f"{_DIM}{text}{_RESET}" if color else text)
            folded = 0

    def heading(op: SectionOp) -> None:
        shown.add(op)
        if op.old_heading is None and op.new_heading is None:
            return
        flush()
        lines.append("")
        text = "## " + ((op.new_heading or "") if op.op == "equal" else _redline(op.changes, color, _BOLD))
        if op.op != "equal":
            text += f"  (heading {op.op})"
        lines.append(f"{_BOLD}{text}{_RESET}" if color else text)

    current: SectionOp | None = None
    for op in diff.ops:
        # a deleted clause shows under its old heading, which is the new one too when the section stayed
        if op.new_section is not None:
            section = by_new.get(op.new_section)
        else:
            section = by_old.get(op.old_section) if op.old_section is not None else None
        if section is not current:
            current = section
            if section is not None and section.op != "equal":
                heading(section)
        if op.op == "equal":
            folded += 1
            continue
        if current is not None and current not in shown:
            heading(current)
        flush()
        lines.append("")
        header = clause_header(op, headings)
        lines.append(f"{_BOLD}{header}{_RESET}" if color else header)
        for block in op.blocks:
            indent = "    " + "  " * block.depth + ("• " if block.kind == "bullet" else "")
            lines.append(indent + _redline(block.changes, color))
    flush()
    for section in diff.sections:
        if section.op != "equal" and section not in shown:
            heading(section)
    return "\n".join(lines) + "\n"
