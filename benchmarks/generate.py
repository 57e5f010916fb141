"""Generate a synthetic, plainly fictional policy repository for benchmarking smops-policy.

S Sites × P policies × V versions × L languages; every policy 3,000-10,000 words of lorem-like text in
the project's content format, ~5% of words edited between versions plus a few clauses inserted,
deleted and moved, committed as real git history with dated commits. Deterministic for a given size.

    python benchmarks/generate.py medium benchmarks/work/medium
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SIZES", "Size", "generate", "plain_words", "sentence", "vocabulary"]

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Size:
    sites: int
    policies: int
    versions: int
    languages: int


SIZES = {
    "small": Size(3, 1, 3, 2),
    "medium": Size(12, 2, 6, 2),
    "large": Size(30, 3, 10, 3),
}
LANGS = ["en", "nl", "de", "fr", "es", "it"]
POLICY_IDS = ["privacy", "terms", "cookies", "acceptable-use", "refunds"]

_SYLLABLES = {
    "en": [
        "lo",
        "rem",
        "ip",
        "sum",
        "do",
        "lor",
        "sit",
        "am",
        "et",
        "con",
        "sec",
        "tet",
        "ur",
        "ad",
        "ip",
        "is",
        "cing",
        "el",
        "it",
        "sed",
    ],
    "nl": [
        "va",
        "ren",
        "de",
        "lo",
        "ijk",
        "sch",
        "aal",
        "ond",
        "er",
        "mee",
        "gen",
        "dra",
        "ver",
        "heid",
        "lijk",
        "tij",
        "bij",
    ],
    "de": [
        "schw",
        "ung",
        "keit",
        "lich",
        "bar",
        "ver",
        "ge",
        "stand",
        "ung",
        "ein",
        "halt",
        "ber",
        "ach",
        "tet",
        "reich",
    ],
    "fr": [
        "rou",
        "lé",
        "mou",
        "sson",
        "teau",
        "ville",
        "pré",
        "cieu",
        "ment",
        "ais",
        "lon",
        "gue",
        "bor",
        "deau",
        "tié",
    ],
    "es": ["ca", "mi", "no", "sal", "ver", "de", "rro", "llo", "ción", "tra", "ba", "jo", "pue", "blo", "nu", "ra"],
    "it": [
        "gio",
        "ca",
        "tto",
        "lo",
        "pi",
        "zza",
        "rel",
        "la",
        "men",
        "to",
        "sta",
        "gio",
        "ne",
        "cam",
        "pa",
        "gna",
        "ri",
    ],
}


def vocabulary(lang: str, count: int = 1200) -> list[str]:
    rng = random.Random(f"vocab-{lang}")
    syllables = _SYLLABLES[lang]
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def plain_words(rng: random.Random, vocab: list[str], n: int) -> list[str]:
    return [rng.choice(vocab) for _ in range(n)]


def sentence(rng: random.Random, vocab: list[str], n: int) -> str:
    words = plain_words(rng, vocab, n)
    return " ".join(words).capitalize() + "."


# A clause is a list of words; token "{{ site.name }}" stands for itself.
Clause = list[str]


def _first_version(rng: random.Random, vocab: list[str], words: int) -> list[tuple[str | None, Clause, list[Clause]]]:
    """Sections as (heading, clause words, bullets) triples flattened: one entry per clause."""
    clauses: list[tuple[str | None, Clause, list[Clause]]] = []
    total = 0
    while total < words:
        new_section = not clauses or rng.random() < 0.15
        heading = sentence(rng, vocab, rng.randint(2, 5)).rstrip(".") if new_section else None
        body = plain_words(rng, vocab, rng.randint(40, 140))
        if rng.random() < 0.1:
            body.insert(rng.randrange(len(body)), "{{ site.name }}")
        bullets = (
            [plain_words(rng, vocab, rng.randint(6, 20)) for _ in range(rng.randint(2, 4))]
            if rng.random() < 0.12
            else []
        )
        clauses.append((heading, body, bullets))
        total += len(body) + sum(map(len, bullets))
    return clauses


def _edit(rng: random.Random, vocab: list[str], clauses: list[tuple[str | None, Clause, list[Clause]]]) -> list:
    """About 5% of words changed, a few clauses inserted, deleted and moved."""
    out = [(h, list(b), [list(x) for x in bl]) for h, b, bl in clauses]
    for _h, body, _bl in out:
        for i in range(len(body)):
            if body[i] != "{{ site.name }}" and rng.random() < 0.05:
                body[i] = rng.choice(vocab)
    for _ in range(rng.randint(1, 3)):  # delete (never the first clause: it carries a heading)
        if len(out) > 5:
            del out[rng.randrange(1, len(out))]
    for _ in range(rng.randint(1, 3)):  # insert
        out.insert(rng.randrange(1, len(out)), (None, plain_words(rng, vocab, rng.randint(40, 120)), []))
    for _ in range(rng.randint(1, 2)):  # move a clause without a heading
        i = rng.randrange(1, len(out))
        if out[i][0] is None:
            item = out.pop(i)
            out.insert(rng.randrange(1, len(out)), item)
    return out


def _render(title: str, number: str, effective: dt.date, summary: str, clauses: list) -> str:
    lines = [
        "---",
        f"title: {title}",
        f'version: "{number}"',
        f"effective: {effective.isoformat()}",
        f"summary: {summary}",
        "---",
        "",
    ]
    for n, (heading, body, bullets) in enumerate(clauses, start=1):
        if heading:
            lines += [f"## {heading}", ""]
        lines.append(f"{n}. {' '.join(body)}")
        lines += [f"   - {' '.join(b)}" for b in bullets]
        lines.append("")
    return "\n".join(lines)


def _translate(structure: list, vocab_from: dict[str, int], vocab_to: list[str]) -> list:
    """Same structure, different fictional words: a word maps to a fixed word of the target list."""

    def tr(words: Clause) -> Clause:
        return [w if w == "{{ site.name }}" else vocab_to[vocab_from[w.lower()] % len(vocab_to)] for w in words]

    return [(" ".join(tr(h.split())).capitalize() if h else None, tr(b), [tr(x) for x in bl]) for h, b, bl in structure]


def _git(repo: Path, *args: str, date: dt.datetime | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench Editor",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "Bench Editor",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    }
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date.isoformat()
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, stdout=subprocess.DEVNULL)


def generate(size: Size, dest: Path, *, seed: int = 7) -> Path:
    """Write the repository at `dest` (replaced if present); returns `dest`."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "policies").mkdir(parents=True)
    langs = LANGS[: size.languages]
    vocabs = {lang: vocabulary(lang) for lang in langs}
    index = {w: i for i, w in enumerate(vocabs["en"])}
    policies = POLICY_IDS[: size.policies]
    sites = ["timezone: Europe/Amsterdam", "source_language: en", "sites:"]
    for s in range(size.sites):
        sid = f"site-{s + 1:02d}"
        sites += [
            f"  {sid}:",
            f"    name: Fictional Site {s + 1}",
            f"    url: https://{sid}.example.invalid/",
            f"    support_url: https://{sid}.example.invalid/support",
            f"    languages: [{', '.join(langs)}]",
            f"    policies: [{', '.join(policies)}]",
        ]
    (dest / "policies" / "sites.yml").write_text("\n".join(sites) + "\n", encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / ".gitignore").write_text("/site/\n.smops-cache/\n", encoding="utf-8")
    _git(dest, "init", "-q", "-b", "main")
    _git(dest, "add", "-A")
    start = dt.datetime(2018, 1, 10, 10, 0, tzinfo=dt.UTC)
    _git(dest, "commit", "-q", "-m", "Sites", date=start)
    rng = random.Random(seed)
    texts = {p: _first_version(random.Random(f"{seed}-{p}"), vocabs["en"], rng.randint(3000, 10000)) for p in policies}
    for v in range(size.versions):
        number = f"{1 + v // 4}.{v % 4}"
        # effective dates increase; the last version takes effect after the benchmark's as-of date
        effective = dt.date(2018, 2, 1) + dt.timedelta(days=240 * v) if v < size.versions - 1 else dt.date(2031, 1, 1)
        committed = dt.datetime.combine(effective - dt.timedelta(days=30), dt.time(9), tzinfo=dt.UTC)
        for p in policies:
            if v:
                texts[p] = _edit(random.Random(f"{seed}-{p}-{v}"), vocabs["en"], texts[p])
            summary = sentence(random.Random(f"{p}{v}"), vocabs["en"], 12)
            for lang in langs:
                structure = texts[p] if lang == "en" else _translate(texts[p], index, vocabs[lang])
                title = (
                    f"{p.replace('-', ' ').title()} Policy"
                    if lang == "en"
                    else sentence(random.Random(p + lang), vocabs[lang], 2).rstrip(".")
                )
                folder = dest / "policies" / p
                folder.mkdir(exist_ok=True)
                (folder / f"{lang}.md").write_text(
                    _render(title, number, effective, summary, structure), encoding="utf-8"
                )
        _git(dest, "add", "-A")
        _git(dest, "commit", "-q", "-m", f"Version {number}", date=committed)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("dest", type=Path)
    args = parser.parse_args()
    generate(SIZES[args.size], args.dest)


if __name__ == "__main__":
    main()
