"""A `DocumentDiff` → the redline page body: readable without colour, announced by screen readers.

Insertions are <ins> (underlined), deletions <del> (struck through), each preceded by a visually
hidden label; unchanged clauses fold into <details> with a clause of context on each side.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from smops_policy.content.document import fill_html
from smops_policy.urls import relative, version_url

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from smops_policy.compare.diff import BlockDiff, ClauseOp, DocumentDiff, SectionOp, WordChange
    from smops_policy.content.document import Clause, Document
    from smops_policy.model import Version

__all__ = ["redline_html"]

CONTEXT = 1  # unchanged clauses shown beside a change before the rest fold away


def _marks(t: Callable[..., str]) -> dict[str, tuple[str, str]]:
    """Opening and closing markup of insertions and deletions, labelled for screen readers."""

    def hidden(text: str) -> str:
        return f'<span class="visually-hidden">{escape(text)}</span>'

    return {
        "insert": (f"<ins>{hidden(t('[inserted:]') + ' ')}", f"{hidden(' ' + t('[end of insertion]'))}</ins>"),
        "delete": (f"<del>{hidden(t('[deleted:]') + ' ')}", f"{hidden(' ' + t('[end of deletion]'))}</del>"),
    }


def _words(changes: Sequence[WordChange], marks: Mapping[str, tuple[str, str]]) -> str:
    out = []
    for change in changes:
        text = escape(change.text)
        mark = marks.get(change.op)
        out.append(f"{mark[0]}{text}{mark[1]}" if mark else text)
    return " ".join(out)


def _blocks(blocks: Sequence[BlockDiff], marks: Mapping[str, tuple[str, str]]) -> str:
    parts = []
    for block in blocks:
        body = _words(block.changes, marks)
        if block.kind == "row":
            parts.append(f'<p class="redline-row">{body}</p>')
        elif block.kind == "bullet":
            parts.append(f'<p class="redline-bullet" style="--depth: {block.depth}">• {body}</p>')
        else:
            parts.append(f"<p>{body}</p>")
    return "".join(parts)


def _id(clause: Clause) -> str:
    """What follows 'new-' or 'change-OP-' in a redline id: the number of a clause numbered through the
    document (as ever), else the unit's own anchor."""
    return clause.anchor.removeprefix("clause-")


def _plain_clause(clause_text: Sequence[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in clause_text)


def redline_html(
    diff: DocumentDiff,
    old: Version,
    new: Version,
    new_document: Document,
    here: str,
    lang: str,
    t: Callable[..., str],
    values: Mapping[str, str] | None,
    *,
    texts: tuple[str, str] | None = None,
) -> str:
    """The body of a diff page between `old` and `new` (links relative to `here`). `texts`: the URLs
    of the two texts when they are not the versions' permalinks (two wordings of one translation)."""
    marks = _marks(t)
    old_url, new_url = texts or (version_url(lang, old.policy, old.number), version_url(lang, new.policy, new.number))
    old_link, new_link = relative(here, old_url), relative(here, new_url)
    summary = diff.summary
    counts = [
        (summary.changed, t("{n} changed")),
        (summary.inserted, t("{n} added")),
        (summary.deleted, t("{n} removed")),
        (summary.moved, t("{n} moved")),
    ]
    summary_items = "".join(f"<li>{escape(label.format(n=n))}</li>" for n, label in counts)
    parts = [
        f'<section class="redline-summary" aria-label="{escape(t("Summary of changes"))}">',
        f"<p>{escape(t('Clauses'))}:</p><ul>{summary_items}</ul>",
    ]
    if diff.renumbered:
        parts.append(f"<p>{escape(t('Unchanged clauses with a new number: {n}', n=diff.renumbered))}</p>")
    if diff.identical:
        parts.append(f"<p>{escape(t('The text did not change.'))}</p>")
    parts.append(
        f'<p class="redline-legend">{escape(t("How to read this"))}: <ins>{escape(t("inserted text is underlined"))}</ins>, '
        f"<del>{escape(t('deleted text is struck through'))}</del>.</p></section>"
    )
    headings = {s.new_index: s for s in diff.sections if s.new_index is not None}
    deleted_headings = [s for s in diff.sections if s.op == "deleted"]
    if deleted_headings:
        parts.append('<section class="redline-headings">')
        for removed in deleted_headings:
            parts.append(
                f'<p class="redline-heading-deleted">{escape(t("Section removed"))}: <del>{escape(removed.old_heading or "")}</del></p>'
            )
        parts.append("</section>")
    parts.append('<div class="redline">')
    current_section: int | None = -1
    ops = list(diff.ops)
    interesting = [i for i, op in enumerate(ops) if op.op != "equal"]
    near: set[int] = set()
    for i in interesting:
        near.update(range(i - CONTEXT, i + CONTEXT + 1))
    fold: list[ClauseOp] = []

    def flush() -> None:
        if not fold:
            return
        numbers = [op.new_number for op in fold if op.new_number is not None]
        label = t("{n} unchanged clauses", n=len(fold)) if len(fold) != 1 else t("1 unchanged clause")
        if numbers:
            label += f" ({numbers[0]}–{numbers[-1]})" if len(numbers) > 1 else f" ({numbers[0]})"
        inner = "".join(_equal(op) for op in fold)
        parts.append(f'<details class="redline-fold"><summary>{escape(label)}</summary>{inner}</details>')
        fold.clear()

    def _equal(op: ClauseOp) -> str:
        clause = op.new
        assert clause is not None
        number = f"{op.new_number}. " if op.new_number is not None else ""
        anchor = f' id="new-{_id(clause)}"' if clause.anchor else ""
        return f'<div class="redline-clause redline-clause--equal"{anchor}><p class="redline-number">{escape(number)}</p>{_plain_clause([b.text for b in clause.blocks])}</div>'

    for i, op in enumerate(ops):
        section = op.new_section if op.new_section is not None else None
        if section is not None and section != current_section:
            flush()
            current_section = section
            heading_op: SectionOp | None = headings.get(section)
            heading = new_document.sections[section].heading
            # the section tree shows as it reads on the page: level 2 and deeper keep their level
            tag = f"h{min(max(new_document.sections[section].level, 2), 6)}"
            if heading:
                if heading_op is not None and heading_op.op == "moved":
                    words = _words(heading_op.changes, marks) if heading_op.changes else escape(heading)
                    parts.append(
                        f'<{tag} class="redline-heading redline-heading--moved">{words} '
                        f'<span class="redline-heading-note">({escape(t("Moved"))})</span></{tag}>'
                    )
                elif heading_op is not None and heading_op.op == "changed":
                    parts.append(
                        f'<{tag} class="redline-heading redline-heading--changed">{_words(heading_op.changes, marks)}</{tag}>'
                    )
                elif heading_op is not None and heading_op.op == "inserted":
                    parts.append(
                        f'<{tag} class="redline-heading"><ins><span class="visually-hidden">{escape(t("[inserted:]"))} </span>{escape(heading)}</ins></{tag}>'
                    )
                else:
                    parts.append(f'<{tag} class="redline-heading">{escape(heading)}</{tag}>')
        if op.op == "equal" and i not in near:
            fold.append(op)
            continue
        flush()
        if op.op == "equal":
            parts.append(_equal(op))
            continue
        parts.append(_changed(op, old_link, new_link, t, marks))
    flush()
    parts.append("</div>")
    html = "".join(parts)
    # Site values go in last, HTML-escaped; without `values` the markers stay, for a caller that
    # renders once and fills each Site's values itself.
    return fill_html(html, values) if values is not None else html


def _changed(
    op: ClauseOp,
    old_link: str,
    new_link: str,
    t: Callable[..., str],
    marks: Mapping[str, tuple[str, str]],
) -> str:
    labels = {
        "changed": t("Changed"),
        "inserted": t("Added"),
        "deleted": t("Removed"),
        "moved": t("Moved"),
    }
    facts = []
    # Each side links to the passage's own anchor on its version's page (README, Anchors).
    for clause, number, link, label in (
        (op.old, op.old_number, old_link, "old"),
        (op.new, op.new_number, new_link, "new"),
    ):
        if clause is None or not clause.anchor:
            continue
        if number is not None and label == "old":
            text = t("clause {n} in the old version", n=number)
        elif number is not None:
            text = t("clause {n} in the new version", n=number)
        else:
            text = t("Old version") if label == "old" else t("New version")
        facts.append(f'<a href="{link}#{clause.anchor}">{escape(text)}</a>')
    if op.split_from is not None:
        facts.append(escape(t("split from clause {n}", n=op.split_from)))
    if op.merged_into is not None:
        facts.append(escape(t("merged into clause {n}", n=op.merged_into)))
    number = op.new_number if op.new_number is not None else op.old_number
    clause = op.new or op.old
    anchor = f' id="change-{op.op}-{_id(clause)}"' if clause is not None and clause.anchor else ""
    if op.blocks:
        body = _blocks(op.blocks, marks)
    else:
        clause = op.new or op.old
        assert clause is not None
        body = _plain_clause([b.text for b in clause.blocks])
    if op.op == "inserted" and not op.blocks:
        body = f"<ins>{body}</ins>"
    if op.op == "deleted" and not op.blocks:
        body = f"<del>{body}</del>"
    heading = f"{number}. " if number is not None else ""
    return (
        f'<div class="redline-clause redline-clause--{op.op}"{anchor}>'
        f'<p class="redline-op"><strong>{escape(heading)}{escape(labels[op.op])}</strong> — {" · ".join(facts)}</p>'
        f"{body}</div>"
    )
