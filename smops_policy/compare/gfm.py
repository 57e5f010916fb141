"""GitHub-flavoured Markdown for pull requests: escaping untrusted text, redlines, and fitting a size.

Pure string functions, no I/O. Text from policies/ or sites.yml never becomes markup: in Markdown it
is escaped character by character (a policy saying `</details>`, `|` or `**` shows those characters),
and whitespace is folded to single spaces, so no value can start a new line, block or table row.
Insertions and deletions read without colour: `<ins>` and `<del>` (GitHub keeps both: underlined and
struck through) around textual markers `[+ … +]` and `[- … -]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from smops_policy.compare.diff import ClauseOp, DocumentDiff, SectionOp, WordChange

__all__ = ["Budget", "html_text", "md_code", "md_text", "redline_chunks", "to_markdown"]

# Characters that mean something in (GitHub-flavoured) Markdown inline text or in HTML (`$` starts
# GitHub's math). Each becomes a numeric character reference: that reads as the character in Markdown,
# in a table cell and in a raw HTML block alike (a backslash escape would show as a backslash inside
# HTML), and is never structure.
_SPECIAL = frozenset("\\`*_[]<>&|~!$")
# A value may begin a line (a quoted paragraph): it must not open a block there (a heading, a list
# item, a quote, a setext underline).
_LEADING = re.compile(r"^(?:(>)|(#){1,6}(?:\s|$)|([-+])(?:\s|$)|\d{1,9}([.)])(?:\s|$)|([-=])[-=]*$)")


def md_text(value: str) -> str:
    """`value` as literal text anywhere in the Markdown (inline, table cell, HTML block), on one line."""
    folded = " ".join(value.split())
    leading = _LEADING.match(folded)
    # the character that would make it a block
    cut = next(leading.start(g) for g in range(1, 6) if leading.group(g)) if leading else -1
    return "".join(f"&#{ord(char)};" if char in _SPECIAL or index == cut else char for index, char in enumerate(folded))


def html_text(value: str) -> str:
    """`value` as literal text inside raw HTML (a `<summary>`), on one line."""
    return md_text(value)


def md_code(value: str) -> str:
    """`value` shown as code (a path, a command) that cannot end the code span: `` ` `` is replaced."""
    folded = " ".join(value.split()).replace("`", "'")
    return f"<code>{md_text(folded)}</code>"


def _redline(changes: Sequence[WordChange]) -> str:
    parts: list[str] = []
    for change in changes:
        text = md_text(change.text)
        if change.op == "equal":
            parts.append(text)
        elif change.op == "insert":
            parts.append(f"<ins>&#91;+ {text} +&#93;</ins>")
        else:
            parts.append(f"<del>&#91;- {text} -&#93;</del>")
    return " ".join(parts)


def _folded(count: int) -> str:
    return f"*… {count} unchanged clause{'s' if count != 1 else ''} …*\n\n"


def _section_chunk(op: SectionOp) -> str:
    if op.op == "equal":
        return f"**{md_text(op.new_heading or '')}**\n\n"
    words = _redline(op.changes) if op.changes else md_text(op.new_heading or "")  # moved, not renamed
    return f"**{words}** (heading {op.op})\n\n"


def _clause_chunk(op: ClauseOp, header: str) -> str:
    lines = [f"**{md_text(header)}**", ""]
    for block in op.blocks:
        bullet = "- " if block.kind == "bullet" else ""
        indent = "  " * block.depth
        # a paragraph added to or taken from a clause that stays; a whole inserted clause says so above
        partly = block.op in ("inserted", "deleted") and op.op in ("changed", "moved")
        marker = f"*(paragraph {block.op})* " if partly else ""
        lines.append(f"> {indent}{bullet}{marker}{_redline(block.changes)}")
        lines.append(">")
    if lines[-1] == ">":
        lines.pop()
    return "\n".join(lines) + "\n\n"


def redline_chunks(diff: DocumentDiff, *, counts: bool = True) -> list[str]:
    """The redline as Markdown pieces, each a whole paragraph (a place where it may be cut short):
    the counts (unless the caller gives them), changed headings, each changed clause, and
    "… N unchanged clauses …" for the runs between them."""
    from smops_policy.compare.diff import (  # the headers the text redline gives, for one wording everywhere
        clause_header,
        summary_line,
    )

    if diff.identical:
        return ["No changes.\n\n"]
    chunks = [f"*{summary_line(diff)}*\n\n"] if counts else []
    by_new = {op.new_index: op for op in diff.sections if op.new_index is not None}
    by_old = {op.old_index: op for op in diff.sections if op.old_index is not None}
    headings = ({k: op.old_heading for k, op in by_old.items()}, {k: op.new_heading for k, op in by_new.items()})
    shown: set[SectionOp] = set()
    folded = 0
    current: SectionOp | None = None
    for op in diff.ops:
        section = by_new.get(op.new_section) if op.new_section is not None else None
        if op.new_section is None and op.old_section is not None:
            section = by_old.get(op.old_section)
        if section is not current:
            current = section
        if op.op == "equal":
            folded += 1
            continue
        if folded:
            chunks.append(_folded(folded))
            folded = 0
        if current is not None and current not in shown and (current.old_heading or current.new_heading):
            shown.add(current)
            chunks.append(_section_chunk(current))
        chunks.append(_clause_chunk(op, clause_header(op, headings)))
    if folded:
        chunks.append(_folded(folded))
    for section in diff.sections:
        if section.op != "equal" and section not in shown and (section.old_heading or section.new_heading):
            chunks.append(_section_chunk(section))
    return chunks


def to_markdown(diff: DocumentDiff) -> str:
    """The whole redline as GitHub-flavoured Markdown."""
    return "".join(redline_chunks(diff))


@dataclass
class Budget:
    """Markdown written up to a size in UTF-8 bytes (GitHub counts a comment's 65,536 characters and a
    job summary's 1 MiB; bytes are never fewer than characters), keeping `reserve` for closing what is
    open and for the note saying that the rest was cut."""

    limit: int
    reserve: int = 0
    parts: list[str] = field(default_factory=list)
    size: int = 0
    cut: bool = False

    def add(self, text: str) -> bool:
        """Append `text` if it fits; once one piece did not fit, nothing more is added."""
        if self.cut:
            return False
        length = len(text.encode())
        if self.size + length > self.limit - self.reserve:
            self.cut = True
            return False
        self.parts.append(text)
        self.size += length
        return True

    def close(self, text: str) -> None:
        """Append what must end the document (closing tags, the note), out of the reserve."""
        self.parts.append(text)
        self.size += len(text.encode())

    def text(self) -> str:
        return "".join(self.parts)
