"""What all Sites share: each distinct policy body is parsed and rendered once (`BodyCache`), each
pair of distinct bodies compared once (`DiffCache`), whatever the number of Sites showing them.
Both are keyed by content (the sha1 of the body's text), never by an object's id. No I/O."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from smops_policy.compare.diff import DocumentDiff, Summary, WordChange, diff_documents, diff_words
from smops_policy.content.document import Document, analyse, fill_text, has_markers, select_site_passages

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from smops_policy.model import Site, Version

__all__ = ["BodyCache", "DiffCache", "RenderedBody", "fill_diff"]


@dataclass(frozen=True, slots=True)
class RenderedBody:
    key: str  # sha1 of what it is rendered from: the text (a Site's passages selected), title, numbering, anchors
    document: Document
    html: str


class BodyCache:
    """Each distinct body is parsed and rendered once, whatever the number of Sites showing it."""

    def __init__(self, source_of: Callable[[Version], Version | None] = lambda _version: None) -> None:
        """`source_of(translation)`: the source-language version it translates, whose units' anchors the
        translation's units take (README, Anchors: one anchor for a clause in every language)."""
        self._bodies: dict[str, RenderedBody] = {}
        self._source_of = source_of

    def body(self, version: Version, site: Site) -> RenderedBody:
        text = select_site_passages(version.body, site.id, path=version.path, body_line=version.body_line)
        source = self._source_of(version)
        anchors = tuple(c.anchor for c in self.body(source, site).document.clauses()) if source else None
        key = hashlib.sha1("\0".join([text, version.title, version.numbering, *(anchors or ())]).encode()).hexdigest()
        found = self._bodies.get(key)
        if found is None:
            document, html = analyse(
                text,
                path=version.path,
                body_line=version.body_line,
                title=version.title,
                numbering=version.numbering,
                unit_anchors=anchors,
            )
            found = self._bodies[key] = RenderedBody(key, document, html)
        return found


class DiffCache:
    """Each pair of distinct bodies is compared once for all Sites.

    Clauses are aligned on the text as written; a Site's values go in afterwards, and only the word
    changes of clauses that touch a Site value are recomputed with that Site's text, so each Site's
    redline reads as its own text without a full comparison per Site.
    """

    def __init__(self) -> None:
        self._diffs: dict[tuple[str, str], tuple[DocumentDiff, bool]] = {}  # → (diff, touches Site values)
        self._redlines: dict[tuple[str, str, str, str], str] = {}

    def diff(self, old: RenderedBody, new: RenderedBody, site: Site) -> DocumentDiff:
        found = self._diffs.get((old.key, new.key))
        if found is None:
            base = diff_documents(old.document, new.document)
            found = self._diffs[old.key, new.key] = (base, _touches_values(base))
        base, touches = found
        # A Site's own version serves one page only: made when asked, never kept (memory stays flat
        # however many Sites there are).
        return fill_diff(base, site.variables) if touches else base

    def redline(
        self, old: RenderedBody, new: RenderedBody, diff: DocumentDiff, lang: str, here: str, make: Callable[[], str]
    ) -> str:
        """A redline body with Site values still as markers: kept when `diff` is the comparison all
        Sites share (not one Site's own, filled in)."""
        key = (old.key, new.key, lang, here)
        found = self._redlines.get(key)
        if found is None:
            found = make()
            shared = self._diffs.get((old.key, new.key))
            if shared is not None and shared[0] is diff:
                self._redlines[key] = found
        return found


def _touches_values(diff: DocumentDiff) -> bool:
    return any(has_markers(c.text) for op in diff.ops for c in op.changes) or any(
        has_markers(c.text) for op in diff.sections for c in op.changes
    )


def fill_diff(diff: DocumentDiff, values: Mapping[str, str]) -> DocumentDiff:
    """`diff` as one Site reads it: word changes that touch a Site value are compared again, filled in."""

    def words(changes: tuple[WordChange, ...]) -> tuple[WordChange, ...]:
        if not any(has_markers(c.text) for c in changes):
            return changes
        old = " ".join(fill_text(c.text, values) for c in changes if c.op != "insert")
        new = " ".join(fill_text(c.text, values) for c in changes if c.op != "delete")
        return diff_words(old, new)

    ops = []
    for op in diff.ops:
        if op.op in ("changed", "moved") and op.blocks:
            blocks = tuple(replace(b, changes=words(b.changes)) for b in op.blocks)
            blocks = tuple(
                replace(b, op="equal") if b.op == "changed" and all(c.op == "equal" for c in b.changes) else b
                for b in blocks
            )
            if op.op == "changed" and all(b.op == "equal" for b in blocks):
                op = replace(op, op="equal", blocks=())
            else:
                op = replace(op, blocks=blocks)
        ops.append(op)
    sections = tuple(replace(s, changes=words(s.changes)) if s.op == "changed" else s for s in diff.sections)
    sections = tuple(
        replace(s, op="equal", changes=()) if s.op == "changed" and all(c.op == "equal" for c in s.changes) else s
        for s in sections
    )
    counts = Counter(op.op for op in ops)
    summary = Summary(counts["changed"], counts["inserted"], counts["deleted"], counts["moved"])
    return replace(diff, ops=tuple(ops), sections=sections, summary=summary)
