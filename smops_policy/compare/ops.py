"""What a comparison says: word, block, clause and heading operations, and their summary. Plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from smops_policy.content.document import Clause

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
]

ClauseOpKind = Literal["equal", "changed", "inserted", "deleted", "moved"]
SectionOpKind = Literal["equal", "changed", "inserted", "deleted", "moved"]
BlockOpKind = Literal["equal", "changed", "inserted", "deleted"]
WordOpKind = Literal["equal", "insert", "delete"]


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
    """What happened to one heading; a heading of None is the text before the first heading.

    `moved`: the heading (and the text under it) now comes elsewhere in the order of the headings; its
    `changes` show a rename made as well. `old_parent`/`new_parent` are the headings it sat under.
    """

    op: SectionOpKind
    old_index: int | None
    new_index: int | None
    old_heading: str | None
    new_heading: str | None
    changes: tuple[WordChange, ...] = ()
    level: int = 2  # the heading's level (the old one's if deleted)
    old_parent: str | None = None
    new_parent: str | None = None


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
