"""A `DocumentDiff` as JSON-ready data and as a terminal redline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from smops_policy.compare.ops import ClauseOp, DocumentDiff, SectionOp, WordChange

__all__ = ["clause_header", "summary_line", "to_json", "to_text"]


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
        words = _redline(op.changes, color, _BOLD) if op.changes else (op.new_heading or "")
        text = "#" * max(op.level, 2) + " " + words
        if op.op == "moved" and op.old_parent != op.new_parent:
            text += f'  (heading moved from under "{op.old_parent or "the opening text"}" to under "{op.new_parent or "the opening text"}")'
        elif op.op != "equal":
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
