"""Site variables and Site-only passages in a policy body, on its text (no Markdown parsing).

Placeholders travel through Markdown as private-use characters (markers), so that a body is
rendered once for all Sites and each Site's values go in afterwards.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from smops_policy.errors import PolicyError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "MARKER",
    "MARKER_CLOSE",
    "MARKER_OPEN",
    "PASSAGE_END",
    "PASSAGE_START",
    "PLACEHOLDER",
    "fill_placeholders",
    "fill_text",
    "has_markers",
    "mark_placeholders",
    "passage_site_ids",
    "placeholders",
    "select_site_passages",
]

PLACEHOLDER = re.compile(r"\{\{\s*site\.([A-Za-z0-9_-]+)\s*\}\}")
# Site-only passages: `<!-- only: calcitnow, verifythisemail -->` ... `<!-- end only -->`
# (or `<!-- except: calcitnow -->` ... `<!-- end except -->`), each marker on a line of its own.
PASSAGE_START = re.compile(r"^\s*<!--\s*(only|except)\s*:\s*([a-z0-9,\s-]+?)\s*-->\s*$")
PASSAGE_END = re.compile(r"^\s*<!--\s*end\s+(only|except)\s*-->\s*$")
# Placeholders travel through Markdown as private-use characters, so that rendering is done once
# for all Sites and `fill_html` can put in each Site's values afterwards.
MARKER_OPEN, MARKER_CLOSE = "\ue000", "\ue001"


MARKER = re.compile(f"{MARKER_OPEN}([A-Za-z0-9_-]+){MARKER_CLOSE}|%EE%80%80([A-Za-z0-9_-]+)%EE%80%81")


def placeholders(body: str, body_line: int) -> list[tuple[str, int]]:
    """Every `{{ site.KEY }}` in the body, with its line in the file."""
    found: list[tuple[str, int]] = []
    for offset, line in enumerate(body.split("\n")):
        found.extend((m.group(1), body_line + offset) for m in PLACEHOLDER.finditer(line))
    return found


def select_site_passages(body: str, site_id: str, *, path: str = "", body_line: int = 1) -> str:
    """Keep the passages meant for `site_id`; line numbers are kept (markers become blank lines)."""
    if "<!--" not in body:
        return body
    out: list[str] = []
    keep_stack: list[tuple[str, bool, int]] = []
    for offset, line in enumerate(body.split("\n")):
        start = PASSAGE_START.match(line)
        end = PASSAGE_END.match(line)
        if start:
            ids = {s for s in re.split(r"[,\s]+", start.group(2)) if s}
            keep = (site_id in ids) if start.group(1) == "only" else (site_id not in ids)
            keep_stack.append((start.group(1), keep, body_line + offset))
            out.append("")
        elif end:
            if not keep_stack or keep_stack[-1][0] != end.group(1):
                raise PolicyError.at(
                    path,
                    f"'end {end.group(1)}' without a matching start",
                    line=body_line + offset,
                    hint=f"add a line <!-- {end.group(1)}: SITE-ID --> before the passage, or remove this one",
                )
            keep_stack.pop()
            out.append("")
        else:
            out.append(line if all(k for _, k, _ in keep_stack) else "")
    if keep_stack:
        kind, _, line_no = keep_stack[-1]
        raise PolicyError.at(
            path, f"'{kind}:' passage is not closed", line=line_no, hint=f"add a line <!-- end {kind} -->"
        )
    return "\n".join(out)


def passage_site_ids(body: str) -> set[str]:
    """The Site ids that passage markers name (so that `check` can catch a misspelt one)."""
    ids: set[str] = set()
    for line in body.split("\n"):
        if m := PASSAGE_START.match(line):
            ids.update(s for s in re.split(r"[,\s]+", m.group(2)) if s)
    return ids


def fill_text(text: str, variables: Mapping[str, str]) -> str:
    """Put a Site's values in place of the markers in structure text (used before diffing)."""
    if MARKER_OPEN not in text:
        return text
    return MARKER.sub(lambda m: variables.get(m.group(1) or m.group(2), ""), text)


def has_markers(text: str) -> bool:
    return MARKER_OPEN in text


def fill_placeholders(text: str, variables: Mapping[str, str]) -> str:
    """A front-matter text (title, summary) with a Site's values in place of `{{ site.KEY }}`."""
    if "{{" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: variables.get(m.group(1), m.group(0)), text)


def mark_placeholders(body: str) -> str:
    """`{{ site.KEY }}` as a marker, which Markdown leaves as it is."""
    return PLACEHOLDER.sub(lambda m: f"{MARKER_OPEN}{m.group(1)}{MARKER_CLOSE}", body)
