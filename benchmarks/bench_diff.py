"""Benchmark the clause diff engine against Python's difflib on synthetic policies.

Run from the repository root:  python benchmarks/bench_diff.py [--runs 15]

The policies are plainly fictional: seeded random words made of nonsense syllables, with a Zipf-like
word frequency so that common and rare words occur as in real prose. Three scenarios:

* 10,000 words, ~5% of words changed, 3 clauses inserted, 3 deleted, 3 moved   (target < 50 ms)
* 40,000 words, the same kinds of change                                          (target < 250 ms)
* one 5,000-word clause rewritten at 20%, among ordinary clauses                  (target < 50 ms)

Times are medians of several runs of `diff_documents` on documents already parsed; parsing (both
versions with `analyse`) is timed separately. difflib runs on the same Markdown: `unified_diff`
over lines, and `SequenceMatcher` (default autojunk) over all words.
"""

from __future__ import annotations

import argparse
import difflib
import platform
import random
import statistics
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smops_policy.compare.diff import diff_documents
from smops_policy.content.document import analyse, structure

if TYPE_CHECKING:
    from collections.abc import Callable

# Nonsense syllables: consonant + vowel, so no word can be mistaken for real (legal) text.
SYLLABLES = tuple(c + v for c in "bdfgklmnprstvz" for v in "aeiou")


@dataclass
class Block:
    kind: str  # "paragraph" | "bullet"
    depth: int
    words: list[str]


@dataclass
class Section:
    heading: str
    clauses: list[list[Block]]


class Lorem:
    """Seeded nonsense prose with a Zipf-like word distribution."""

    def __init__(self, seed: int, size: int = 4000) -> None:
        self.rng = random.Random(seed)
        words: set[str] = set()
        while len(words) < size:
            words.add("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(1, 4))))
        self.vocab = sorted(words)
        self.rng.shuffle(self.vocab)
        weights = [1 / (rank + 1) ** 1.05 for rank in range(size)]
        total = 0.0
        self.cum: list[float] = []
        for w in weights:
            total += w
            self.cum.append(total)

    def word(self) -> str:
        return self.rng.choices(self.vocab, cum_weights=self.cum)[0]

    def sentence(self, low: int = 8, high: int = 24) -> list[str]:
        words = self.rng.choices(self.vocab, cum_weights=self.cum, k=self.rng.randint(low, high))
        words[0] = words[0].capitalize()
        for k in range(2, len(words) - 2):
            if self.rng.random() < 0.06:
                words[k] += ","
        words[-1] += "."
        return words

    def clause(self) -> list[Block]:
        paragraph: list[str] = []
        for _ in range(self.rng.randint(1, 4)):
            paragraph += self.sentence()
        blocks = [Block("paragraph", 0, paragraph)]
        if self.rng.random() < 0.2:
            for _ in range(self.rng.randint(2, 5)):
                depth = 1 if len(blocks) > 1 and self.rng.random() < 0.2 else 0
                blocks.append(Block("bullet", depth, self.sentence(5, 15)))
        return blocks

    def heading(self) -> str:
        return " ".join(self.word().capitalize() for _ in range(self.rng.randint(2, 4)))


def words_in(sections: list[Section]) -> int:
    return sum(len(b.words) for s in sections for c in s.clauses for b in c)


def make_policy(lorem: Lorem, target_words: int) -> list[Section]:
    sections: list[Section] = []
    while not sections or words_in(sections) < target_words:
        sections.append(Section(lorem.heading(), [lorem.clause() for _ in range(lorem.rng.randint(4, 10))]))
    return sections


def render(sections: list[Section]) -> str:
    """Markdown as an author writes it: clauses numbered 1..N, long lines wrapped at 100 columns."""
    lines = ["Fictional Example Cooperative (synthetic benchmark text)", ""]
    number = 0
    for section in sections:
        lines += [f"## {section.heading}", ""]
        for clause in section.clauses:
            number += 1
            marker = f"{number}. "
            pad = " " * len(marker)
            for block in clause:
                if block.kind == "paragraph":
                    wrapped = textwrap.wrap(" ".join(block.words), 100) or [""]
                    lines.append(marker + wrapped[0])
                    lines += [pad + line for line in wrapped[1:]]
                else:
                    indent = pad + "  " * block.depth
                    wrapped = textwrap.wrap(" ".join(block.words), 100) or [""]
                    lines.append(f"{indent}- {wrapped[0]}")
                    lines += [f"{indent}  {line}" for line in wrapped[1:]]
            lines.append("")
    return "\n".join(lines)


def mutate_words(lorem: Lorem, words: list[str], rate: float) -> list[str]:
    out: list[str] = []
    for word in words:
        roll = lorem.rng.random()
        if roll >= rate:
            out.append(word)
            continue
        kind = lorem.rng.random()
        if kind < 0.6:
            out.append(lorem.word() + ("." if word.endswith(".") else ""))
        elif kind < 0.8:
            if word.endswith(".") and out:
                out[-1] += "."
        else:
            out += [word, lorem.word()]
    return out or [lorem.word() + "."]


def edit_policy(lorem: Lorem, sections: list[Section], rate: float, structural: int) -> list[Section]:
    """A new version: `rate` of words changed, and `structural` clauses each inserted, deleted and moved."""
    rng = lorem.rng
    new = [
        Section(s.heading, [[Block(b.kind, b.depth, mutate_words(lorem, b.words, rate)) for b in c] for c in s.clauses])
        for s in sections
    ]
    for _ in range(structural):
        section = rng.choice(new)
        section.clauses.insert(rng.randrange(len(section.clauses) + 1), lorem.clause())
    for _ in range(structural):
        section = rng.choice([s for s in new if len(s.clauses) > 1])
        del section.clauses[rng.randrange(len(section.clauses))]
    for _ in range(structural):
        source, target = rng.sample(new, 2)
        clause = source.clauses.pop(rng.randrange(len(source.clauses)))
        target.clauses.insert(rng.randrange(len(target.clauses) + 1), clause)
    return new


def long_clause_policy(lorem: Lorem) -> tuple[list[Section], list[Section]]:
    ordinary = [lorem.clause() for _ in range(10)]
    long_words: list[str] = []
    while len(long_words) < 5000:
        long_words += lorem.sentence()
    long_words = long_words[:5000]
    long_words[-1] += "."
    old = [
        Section("Ordinary Matters", ordinary[:5]),
        Section("The Long Clause", [[Block("paragraph", 0, long_words)]]),
        Section("More Matters", ordinary[5:]),
    ]
    rewritten = mutate_words(lorem, long_words, 0.2)
    new = [Section(s.heading, [list(c) for c in s.clauses]) for s in old]
    new[1] = Section("The Long Clause", [[Block("paragraph", 0, rewritten)]])
    return old, new


def median_ms(fn: Callable[[], object], runs: int, budget_s: float = 10.0) -> float:
    """Median wall time over `runs` runs (fewer if a run is so slow that the budget would be exceeded)."""
    fn()  # warm-up: imports, caches
    times: list[float] = []
    started = time.perf_counter()
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        if len(times) >= 3 and time.perf_counter() - started > budget_s:
            break
    return statistics.median(times)


def measure(
    name: str, old_sections: list[Section], new_sections: list[Section], target_ms: float, runs: int
) -> tuple[str, str]:
    """One table row (times on the same input for every contender) and a line on what the engine found."""
    old_md, new_md = render(old_sections), render(new_sections)
    parse_ms = median_ms(lambda: (analyse(old_md), analyse(new_md)), max(3, runs // 3))
    old_doc, _ = analyse(old_md)
    new_doc, _ = analyse(new_md)
    ours = median_ms(lambda: diff_documents(old_doc, new_doc), runs)
    # from Markdown to the comparison, as `smops-policy diff` does it (structure without HTML)
    whole = median_ms(lambda: diff_documents(structure(old_md), structure(new_md)), runs)
    old_lines, new_lines = old_md.splitlines(), new_md.splitlines()
    lines_ms = median_ms(lambda: list(difflib.unified_diff(old_lines, new_lines, lineterm="")), runs)
    old_words, new_words = old_md.split(), new_md.split()
    words_ms = median_ms(lambda: difflib.SequenceMatcher(None, old_words, new_words).get_opcodes(), runs)
    met = "yes" if ours < target_ms else "no"
    row = (
        f"| {name} | {words_in(old_sections):,} | {parse_ms:.1f} | {ours:.1f} | {whole:.1f} | {lines_ms:.1f} | {words_ms:.1f} "
        f"| < {target_ms:.0f} ms | {met} |"
    )
    diff = diff_documents(old_doc, new_doc)
    s = diff.summary
    note = (
        f"- {name}: {sum(1 for _ in old_doc.clauses())} → {sum(1 for _ in new_doc.clauses())} clauses; "
        f"{s.changed} changed, {s.inserted} inserted, {s.deleted} deleted, {s.moved} moved, {diff.renumbered} renumbered"
    )
    return row, note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    scenarios: list[tuple[str, list[Section], list[Section], float]] = []
    lorem = Lorem(seed=20161213)
    for target_words, target_ms in ((10_000, 50.0), (40_000, 250.0)):
        old = make_policy(lorem, target_words)
        new = edit_policy(lorem, old, rate=0.05, structural=3)
        scenarios.append((f"{target_words // 1000}k-word policy, 5% words, 3 ins/del/moves", old, new, target_ms))
    old, new = long_clause_policy(lorem)
    scenarios.append(("one 5,000-word clause rewritten at 20%", old, new, 50.0))

    rows: list[str] = []
    notes: list[str] = []
    for name, old_sections, new_sections, target_ms in scenarios:
        row, note = measure(name, old_sections, new_sections, target_ms, args.runs)
        rows.append(row)
        notes.append(note)

    print(f"Python {platform.python_version()} on {platform.machine()}, median of {args.runs} runs (ms)\n")
    print(
        "| scenario | words | analyse ms (both, with HTML) | smops-policy diff ms | parse + diff ms "
        "| difflib lines ms | difflib words ms | target (diff) | met |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|---|")
    print("\n".join(rows))
    print("\nWhat the engine reported (a check that it found the edits, not only that it was fast):")
    print("\n".join(notes))


if __name__ == "__main__":
    main()
