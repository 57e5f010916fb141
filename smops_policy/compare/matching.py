"""Sequence matching for the diff engine: patience diff with a longest increasing subsequence, and the
word-level comparison built on it. Pure functions over sequences of ints (interned words or keys).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from smops_policy.compare.ops import WordChange

if TYPE_CHECKING:
    from collections.abc import Hashable, Sequence

__all__ = ["changes", "diff_words", "lis", "matching_blocks"]

# Regions without a word unique to both sides are compared exactly only while this small.
_SMALL_REGION = 2_500


def lis(seq: Sequence[int]) -> list[int]:
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
    for k in lis([i for i, _ in pairs]):
        i, j = pairs[k]
        if not out or (i >= out[-1][0] + width and j >= out[-1][1] + width):
            out.append((i, j, width))
    return out


def matching_blocks(a: Sequence[int], b: Sequence[int]) -> list[tuple[int, int, int]]:
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
    for i, j, n in [*matching_blocks(a, b), (len(a), len(b), 0)]:
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


def changes(
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
    return changes(old_words, old_ids, new_words, new_ids)
