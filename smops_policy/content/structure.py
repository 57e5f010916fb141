"""The structure of a policy body: a tree of sections and the units in them, with their anchors.

Pure: `document.py` reads the body with markdown-it into an outline (headings and units in reading
order) and `build` turns it into a `Document`, checking the numbering and giving every heading and
unit its anchor (README, "The structure of a policy text"). Units are what the history, the diff,
the translations check and the anchors work on: a numbered clause (a top-level numbered list item),
or an unnumbered passage: a paragraph, a top-level bullet, an item of a list that is not the
document's numbering, a block quote or a table.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from smops_policy.content.passages import MARKER, MARKER_OPEN, fill_text

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from smops_policy.errors import Problems

__all__ = [
    "Block",
    "Clause",
    "Document",
    "Heading",
    "Section",
    "Unit",
    "build",
    "fill_document",
    "is_title",
    "passage_anchor",
    "placeholder_keys",
    "slugify",
    "with_anchors",
]


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, a bullet or a table row of a unit; `text` is its inline Markdown, whitespace folded
    (a row's cells joined by ' | ')."""

    kind: str  # "paragraph" | "bullet" | "row"
    text: str
    depth: int = 0


@dataclass(frozen=True, slots=True)
class Clause:
    """A unit: a numbered clause, or (number None) an unnumbered passage of kind `kind`."""

    number: int | None
    blocks: tuple[Block, ...]
    line: int
    kind: str = "clause"  # "clause" | "paragraph" | "bullet" | "item" | "quote" | "table"
    anchor: str = ""  # "" where the document gives it none (README, Anchors)

    @property
    def text(self) -> str:
        return " ".join(block.text for block in self.blocks)


@dataclass(frozen=True, slots=True)
class Section:
    heading: str | None  # None for the text before the first heading
    clauses: tuple[Clause, ...]
    line: int
    anchor: str = ""
    level: int = 2  # the heading's level, 1 to 6; 0 for the text before the first heading


@dataclass(frozen=True, slots=True)
class Document:
    """Sections in reading order (their levels make the tree), each with its units."""

    sections: tuple[Section, ...]
    numbering: str = "continuous"  # as the document numbers its clauses: continuous | per-section | none

    def clauses(self) -> Iterator[Clause]:
        for section in self.sections:
            yield from section.clauses

    def numbered(self) -> list[Clause]:
        return [c for c in self.clauses() if c.number is not None]

    def outline(self) -> tuple[int, ...]:
        """The section tree as the levels of the headings, in order (what a translation must keep)."""
        return tuple(s.level for s in self.sections if s.heading is not None)


# --------------------------------------------------------------------------- the outline document.py reads


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str  # inline Markdown, whitespace folded
    line: int


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit as read, before numbering: `kind` "ordered" for a top-level numbered list item."""

    kind: str  # "ordered" | "paragraph" | "bullet" | "quote" | "table"
    blocks: tuple[Block, ...]
    line: int
    written: int | None = None  # an ordered item: its number as written
    list_id: int = -1  # an ordered item: which list it belongs to


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.UNICODE)
    return re.sub(r"[\s_-]+", "-", slug).strip("-") or "section"


def is_title(outline: Sequence[Heading | Unit], title: str) -> bool:
    """True when the body opens with a heading (level 1 or 2) saying the title: the page shows the title
    once, so that heading is not a section."""
    if not outline or not isinstance(outline[0], Heading) or outline[0].level > 2 or not title:
        return False
    return _plain(outline[0].text) == _plain(title)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", text).split()).casefold()


def passage_anchor(blocks: Sequence[Block]) -> str:
    """An unnumbered passage's anchor: a short hash of its own text (case and whitespace folded), so an
    edit anywhere else in the document leaves it as it is (DECISIONS, Anchors)."""
    text = " ".join(" ".join(b.text for b in blocks).split()).casefold()
    return "passage-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


# --------------------------------------------------------------------------- building the document


@dataclass(frozen=True, slots=True)
class _Numbered:
    unit: int  # index into the units
    section: int  # index into the sections (its scope when numbering restarts per section)
    number: int  # as the reader sees it
    line: int


def build(
    outline: Sequence[Heading | Unit],
    *,
    numbering: str = "",
    path: str = "",
    problems: Problems | None = None,
    empty_sections: bool = True,
) -> Document:
    """The document an outline makes. `numbering` is the front matter's setting ("" when not set: the
    document's own consistent numbering is taken). Numbering problems and empty sections go to
    `problems` when given (empty sections only with `empty_sections`)."""
    headings: list[Heading | None] = []
    members: list[list[int]] = []
    units: list[Unit] = []
    for item in outline:
        if isinstance(item, Heading):
            headings.append(item)
            members.append([])
        else:
            if not headings:
                headings.append(None)
                members.append([])
            members[-1].append(len(units))
            units.append(item)
    numbered = _numbers(units, members)
    mode = numbering or _natural(numbered, headings, len(units))
    if mode != "none":
        for line, message, hint in _numbering_problems(numbered, headings, mode, explicit=bool(numbering)):
            if problems is not None:
                problems.add(path, message, line=line, hint=hint)
    used: set[str] = set()
    section_anchors = [_unique(f"section-{slugify(h.text)}", used) if h else "" for h in headings]
    number_of = {n.unit: n.number for n in numbered} if mode != "none" else {}
    sections: list[Section] = []
    for s, heading in enumerate(headings):
        clauses = []
        for u in members[s]:
            unit = units[u]
            number = number_of.get(u)
            if number is not None:
                scope = section_anchors[s] if mode == "per-section" else ""
                anchor = _unique(f"{scope}-clause-{number}" if scope else f"clause-{number}", used)
                clauses.append(Clause(number, unit.blocks, unit.line, "clause", anchor))
            else:
                kind = "item" if unit.kind == "ordered" else unit.kind
                # Where clauses are numbered through the document, the numbers are how it is cited.
                anchor = "" if mode == "continuous" else _unique(passage_anchor(unit.blocks), used)
                clauses.append(Clause(None, unit.blocks, unit.line, kind, anchor))
        if heading is None:
            sections.append(Section(None, tuple(clauses), units[members[s][0]].line, "", 0))
        else:
            sections.append(Section(heading.text, tuple(clauses), heading.line, section_anchors[s], heading.level))
    if problems is not None and empty_sections:
        _empty_sections(sections, path, problems)
    return Document(tuple(sections), mode)


def _numbers(units: Sequence[Unit], members: Sequence[Sequence[int]]) -> list[_Numbered]:
    """The top-level numbered items with the number a reader sees: as written, except in a list
    written '1. 1. 1.' (every item the same number), which Markdown numbers on from its first."""
    section_of = {u: s for s, us in enumerate(members) for u in us}
    lists: dict[int, list[int]] = {}
    for u, unit in enumerate(units):
        if unit.kind == "ordered" and unit.written is not None:
            lists.setdefault(unit.list_id, []).append(u)
    out: list[_Numbered] = []
    for items in lists.values():
        written = [units[u].written or 0 for u in items]
        lazy = len(items) > 1 and len(set(written)) == 1
        for k, u in enumerate(items):
            number = written[0] + k if lazy else written[k]
            out.append(_Numbered(u, section_of[u], number, units[u].line))
    out.sort(key=lambda n: n.unit)
    return out


def _natural(numbered: Sequence[_Numbered], headings: Sequence[Heading | None], units: int) -> str:
    """The numbering a document without a setting follows: none without numbered items; continuous when
    its numbers run 1..N through the document and number at least half its units (the seed's shape:
    the numbers are how it is cited), or run so and nothing else fits; else per-section when that fits
    (a numbered list in a section of prose is cited by its section, as in "A. Definitions"); else
    whichever breaks fewer rules."""
    if not numbered:
        return "none"
    continuous = _numbering_problems(numbered, headings, "continuous", explicit=False)
    per_section = _numbering_problems(numbered, headings, "per-section", explicit=False)
    if not continuous and 2 * len(numbered) >= units:
        return "continuous"
    if not per_section or len(per_section) < len(continuous):
        return "per-section"
    return "continuous"


def _numbering_problems(
    numbered: Sequence[_Numbered], headings: Sequence[Heading | None], mode: str, *, explicit: bool
) -> list[tuple[int, str, str]]:
    """(line, message, hint) for each number that skips or repeats within its scope."""
    out: list[tuple[int, str, str]] = []
    if mode == "continuous":
        hint = "number clauses 1, 2, 3, ... through the whole document"
        if not explicit:
            hint += ", or set numbering: per-section or none in the front matter"
    else:
        hint = "number the clauses of each section 1, 2, 3, ..."
        if not explicit:
            hint += ", or set numbering: continuous or none in the front matter"
    expected = 1
    scope = -1
    for item in numbered:
        if mode == "per-section" and item.section != scope:
            scope, expected = item.section, 1
        heading = headings[item.section] if mode == "per-section" else None
        where = f" in section '{heading.text}'" if heading is not None else ""
        if item.number < expected:
            out.append((item.line, f"clause {item.number} repeats or goes back{where} (expected {expected})", hint))
        elif item.number > expected:
            if expected == 1:
                out.append((item.line, f"clause numbering{where} starts at {item.number}, not 1", hint))
            else:
                out.append((item.line, f"clause numbering{where} jumps from {expected - 1} to {item.number}", hint))
        expected = item.number + 1
    return out


def _empty_sections(sections: Sequence[Section], path: str, problems: Problems) -> None:
    """A heading with no text before the next heading of its level or above (or the end) is an error."""
    for s, section in enumerate(sections):
        if section.heading is None or section.clauses:
            continue
        following = sections[s + 1] if s + 1 < len(sections) else None
        if following is None or following.level <= section.level:
            problems.add(
                path,
                f"section '{section.heading}' is empty",
                line=section.line,
                hint="write its text under the heading, or remove the heading",
            )


def _unique(anchor: str, used: set[str]) -> str:
    candidate, n = anchor, 2
    while candidate in used:
        candidate, n = f"{anchor}-{n}", n + 1
    used.add(candidate)
    return candidate


def with_anchors(document: Document, anchors: Sequence[str]) -> Document:
    """The document with its units' anchors replaced by `anchors`, in order (a translation takes its
    source's); unchanged where the counts differ."""
    units = [c for s in document.sections for c in s.clauses]
    if len(units) != len(anchors):
        return document
    given = iter(anchors)
    return replace(
        document,
        sections=tuple(
            replace(s, clauses=tuple(replace(c, anchor=next(given)) for c in s.clauses)) for s in document.sections
        ),
    )


# --------------------------------------------------------------------------- Site values


def fill_document(document: Document, variables: Mapping[str, str]) -> Document:
    """The structure with a Site's values in place of the markers (diffs read as that Site's text)."""

    def block(b: Block) -> Block:
        return replace(b, text=fill_text(b.text, variables)) if MARKER_OPEN in b.text else b

    return replace(
        document,
        sections=tuple(
            replace(
                section,
                heading=fill_text(section.heading, variables) if section.heading else section.heading,
                clauses=tuple(replace(c, blocks=tuple(block(b) for b in c.blocks)) for c in section.clauses),
            )
            for section in document.sections
        ),
    )


def placeholder_keys(document: Document) -> set[str]:
    """The Site variables a parsed document uses, in its headings and its units (`diff` without a Site
    shows each as written; one left out would read as nothing)."""
    texts = [s.heading for s in document.sections if s.heading] + [b.text for c in document.clauses() for b in c.blocks]
    found: set[str] = set()
    for text in texts:
        if MARKER_OPEN in text:
            found.update(m.group(1) for m in MARKER.finditer(text) if m.group(1))
    return found
