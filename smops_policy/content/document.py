"""A policy body read with markdown-it-py (the only module that imports it): its structure and its HTML.

A body is parsed once into an outline of headings and units (`structure.build` makes the `Document`,
with numbering checked and anchors given) and rendered once to HTML carrying those anchors; Site
variables stay as markers until `fill_html` / `fill_text` put each Site's values in. Front matter,
Site passages, raw HTML rules and the model live in their own modules and are re-exported here.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from smops_policy.content.frontmatter import (
    CANONICAL_VERSION,
    DATE_PATTERN,
    MAX_VERSION,
    NUMBERING,
    VERSION_PATTERN,
    FrontMatter,
    PolicyText,
    read_policy_text,
)
from smops_policy.content.passages import (
    MARKER,
    MARKER_CLOSE,
    MARKER_OPEN,
    PASSAGE_END,
    PASSAGE_START,
    PLACEHOLDER,
    fill_placeholders,
    fill_text,
    has_markers,
    mark_placeholders,
    passage_site_ids,
    placeholders,
    select_site_passages,
)
from smops_policy.content.rawhtml import ALLOWED_HTML, ANY_HTML, CLOSE_TAG, balanced, close_all, safe_tag, sanitise
from smops_policy.content.structure import (
    Block,
    Clause,
    Document,
    Heading,
    Section,
    Unit,
    build,
    fill_document,
    is_title,
    placeholder_keys,
    slugify,
    with_anchors,
)
from smops_policy.errors import Problems

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from markdown_it.rules_core import StateCore
    from markdown_it.utils import EnvType, OptionsDict

__all__ = [
    "CANONICAL_VERSION",
    "DATE_PATTERN",
    "MAX_VERSION",
    "NUMBERING",
    "PASSAGE_END",
    "PASSAGE_START",
    "PLACEHOLDER",
    "VERSION_PATTERN",
    "Block",
    "Clause",
    "Document",
    "FrontMatter",
    "PolicyText",
    "Section",
    "analyse",
    "fill_document",
    "fill_html",
    "fill_placeholders",
    "fill_text",
    "has_markers",
    "heading_text",
    "html_problems",
    "passage_site_ids",
    "placeholder_keys",
    "placeholders",
    "read_policy_text",
    "select_site_passages",
    "slugify",
    "structure",
    "unsafe_links",
]

_OPEN, _CLOSE = MARKER_OPEN, MARKER_CLOSE
_MARKER = MARKER


def fill_html(rendered: str, variables: Mapping[str, str]) -> str:
    """Put a Site's values, HTML-escaped, in place of the markers in rendered HTML; a value that makes a
    link target unsafe (`javascript:` and the like) leaves the link without its target."""
    if _OPEN not in rendered and "%EE%80%80" not in rendered:
        return rendered

    # One pass over links and markers: a value put in is never read again, so a value that looks like a
    # marker ('%EE%80%80handle%EE%80%81') cannot bring in another value past the link check.
    def one(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return _link_attribute(match, variables, None)
        return html.escape(variables.get(match.group(3) or match.group(4), ""))

    return _FILLED.sub(one, rendered)


# --------------------------------------------------------------------------- structure and HTML


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"typographer": False}).enable("table")
    md.add_render_rule("list_item_open", _render_list_item_open)
    md.add_render_rule("heading_open", _render_heading_open)
    return md


def _render_list_item_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    anchor = token.meta.get("anchor")
    number = token.meta.get("number")
    if anchor and number is not None:
        return f'<li id="{anchor}" value="{number}" class="clause">'
    if anchor:
        return f'<li id="{anchor}">'
    return str(self.renderToken(tokens, idx, options, env))


def _render_heading_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    anchor = token.meta.get("anchor")
    if anchor:
        return f'<{token.tag} id="{anchor}">'
    return str(self.renderToken(tokens, idx, options, env))


_MD = _markdown()
# For structure alone: blocks only, the inline Markdown of each left as source (no inline parse).
_MD_BLOCKS = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


def analyse(
    body: str,
    *,
    path: str = "",
    body_line: int = 1,
    problems: Problems | None = None,
    title: str = "",
    numbering: str = "",
    unit_anchors: Sequence[str] | None = None,
) -> tuple[Document, str]:
    """Parse a body once: its structure (for checks and diffs) and its HTML (for pages).

    A first heading saying `title` is the page's title, not a section. `numbering` is the front
    matter's setting. Numbering problems and empty sections go to `problems` when given (`check`),
    else numbering problems raise PolicyError (a build does not stop for an empty section of an old
    version). `unit_anchors`: a translation's units take its source's anchors, in order, where the
    two have as many units (else the translations check reports the difference).
    """
    own = problems is None
    problems = problems if problems is not None else Problems()
    tokens = _MD.parse(mark_placeholders(body))
    document, tokens = _structure(tokens, path, body_line, problems, title, numbering, unit_anchors, not own)
    _link_headings(tokens, document, title)
    if own:
        problems.raise_if_any()
    return document, _MD.renderer.render(tokens, _MD.options, {})


def structure(body: str, *, path: str = "", body_line: int = 1, title: str = "", numbering: str = "") -> Document:
    """The structure alone (no HTML), for comparisons; numbering problems are not checked here."""
    return _structure(_MD_BLOCKS.parse(mark_placeholders(body)), path, body_line, None, title, numbering)[0]


def _structure(
    tokens: list[Token],
    path: str,
    body_line: int,
    problems: Problems | None,
    title: str,
    numbering: str,
    unit_anchors: Sequence[str] | None = None,
    empty_sections: bool = True,
) -> tuple[Document, list[Token]]:
    """The document, and the tokens to render: the title heading taken out, anchors in their meta."""
    outline, marks = _outline(tokens, body_line)
    if is_title(outline, mark_placeholders(title)):
        start = marks[0][0]
        tokens = tokens[:start] + tokens[_closing(tokens, start) + 1 :]
        outline, marks = _outline(tokens, body_line)
    document = build(outline, numbering=numbering, path=path, problems=problems, empty_sections=empty_sections)
    if unit_anchors is not None:
        document = with_anchors(document, unit_anchors)
    headed = [s for s in document.sections if s.heading is not None]
    anchored = [(s.anchor, None) for s in headed] + [(c.anchor, c.number) for c in document.clauses()]
    heading_marks = [m for m, item in zip(marks, outline, strict=True) if isinstance(item, Heading)]
    unit_marks = [m for m, item in zip(marks, outline, strict=True) if isinstance(item, Unit)]
    for (index, _), (anchor, number) in zip([*heading_marks, *unit_marks], anchored, strict=True):
        if anchor:
            token = tokens[index]
            if token.type in ("heading_open", "list_item_open"):
                token.meta["anchor"] = anchor
                if number is not None:
                    token.meta["number"] = number
            else:
                token.attrSet("id", anchor)
    return document, tokens


def _outline(tokens: list[Token], body_line: int) -> tuple[list[Heading | Unit], list[tuple[int, int]]]:
    """Headings and units in reading order, each with (index of its opening token, of its closing one)."""
    outline: list[Heading | Unit] = []
    marks: list[tuple[int, int]] = []
    lists = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.level != 0 or not token.type.endswith("_open"):
            i += 1
            continue
        end = _closing(tokens, i)
        line = body_line + (token.map[0] if token.map else 0)
        if token.type == "heading_open":
            outline.append(Heading(int(token.tag[1:]), " ".join(tokens[i + 1].content.split()), line))
            marks.append((i, end))
        elif token.type in ("paragraph_open", "blockquote_open", "table_open"):
            blocks = tuple(_rows(tokens[i : end + 1]) if token.type == "table_open" else _blocks(tokens[i : end + 1]))
            if blocks:
                kind = {"paragraph_open": "paragraph", "blockquote_open": "quote"}.get(token.type, "table")
                outline.append(Unit(kind, blocks, line))
                marks.append((i, end))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists += 1
            for j in range(i + 1, end):
                item = tokens[j]
                if item.type != "list_item_open" or item.level != 1:
                    continue
                item_end = _closing(tokens, j)
                item_line = body_line + (item.map[0] if item.map else 0)
                if token.type == "ordered_list_open":
                    blocks = tuple(_blocks(tokens[j + 1 : item_end]))
                    outline.append(Unit("ordered", blocks, item_line, int(item.info), lists))
                else:
                    blocks = tuple(_blocks(tokens[j : item_end + 1], bullet_depth=0))
                    outline.append(Unit("bullet", blocks, item_line))
                marks.append((j, item_end))
        i = end + 1
    return outline, marks


def _link_headings(tokens: list[Token], document: Document, title: str) -> None:
    """A link to '#heading-slug' (as GitHub and most Markdown tools name a heading) goes to that
    heading's anchor here, so a document's own table of contents keeps working (the title's, to the top)."""
    targets: dict[str, str] = {}
    for section in document.sections:
        if section.heading is not None:
            targets.setdefault(slugify(section.heading), section.anchor)
    if title:
        targets.setdefault(slugify(title), "")
    for token in tokens:
        for child in token.children or []:
            href = child.attrGet("href") if child.type == "link_open" else None
            if isinstance(href, str) and href.startswith("#") and href[1:] in targets:
                child.attrSet("href", "#" + targets[href[1:]])


def _closing(tokens: list[Token], start: int) -> int:
    """Index of the token that closes tokens[start]."""
    level = tokens[start].level
    close = tokens[start].type.replace("_open", "_close")
    for j in range(start + 1, len(tokens)):
        if tokens[j].type == close and tokens[j].level == level:
            return j
    return len(tokens) - 1


def _blocks(tokens: Sequence[Token], bullet_depth: int = -1) -> Iterator[Block]:
    depth = bullet_depth
    in_item = 0
    for token in tokens:
        if token.type == "bullet_list_open":
            depth += 1
        elif token.type == "bullet_list_close":
            depth -= 1
        elif token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type in ("inline", "code_block", "fence", "html_block") and token.content.strip():
            text = " ".join(token.content.split())
            if depth >= 0 and in_item:
                yield Block("bullet", text, depth)
            else:
                yield Block("paragraph", text, 0)


def _rows(tokens: Sequence[Token]) -> Iterator[Block]:
    """A table's rows, header first, each as its cells' text joined by ' | '."""
    cells: list[str] = []
    for token in tokens:
        if token.type == "tr_open":
            cells = []
        elif token.type == "inline":
            cells.append(" ".join(token.content.split()))
        elif token.type == "tr_close" and any(cells):
            yield Block("row", " | ".join(cells), 0)


def _balance_inline_html(state: StateCore) -> None:
    """A core rule: the raw tags of each paragraph (or heading, or list item's text) made safe and balanced
    there, an element left open being closed at its end. Kept in `meta`, for `_render_html`."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        open_tags: list[str] = []
        for child in token.children:
            if child.type == "html_inline":
                child.meta["html"] = balanced(child.content, open_tags)
        if open_tags:
            closing = Token("html_inline", "", 0)
            closing.meta["html"] = close_all(open_tags)
            token.children.append(closing)


def _render_html(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:  # noqa: ARG001 (markdown-it-py calls every rule so)
    token = tokens[idx]
    found = token.meta.get("html")
    return found if isinstance(found, str) else sanitise(token.content)


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    return html.escape(self.renderInlineAsText(token.children or [], options, env), quote=False)


def html_problems(body: str, *, path: str, body_line: int, problems: Problems) -> None:
    """Raw HTML outside the allowlist and images in a body, each with its line (for `check`)."""
    allowed = " ".join(f"<{name}>" for name in ALLOWED_HTML)
    for token in _MD.parse(mark_placeholders(body)):
        line = body_line + (token.map[0] if token.map else 0)
        if token.type == "html_block":
            found = [(m.group(0), token.content[: m.start()].count("\n")) for m in ANY_HTML.finditer(token.content)]
        elif token.type == "inline":
            found = []
            # each tag or image is looked for after the one before: a repeat on a later line gets that line
            position = 0
            for child in token.children or []:
                if child.type == "html_inline":
                    position = token.content.find(child.content, position)
                    found.append((child.content, token.content[:position].count("\n")))
                    position += len(child.content)
                elif child.type == "image":
                    position = token.content.find("![", position) + 2
                    problems.add(
                        path,
                        f"an image ({child.attrGet('src') or ''}) in a policy text",
                        line=line + token.content[:position].count("\n"),
                        hint="policy pages show no images: a remote one would tell another host who reads the "
                        "policy, and the build publishes no image files; describe it in words",
                    )
        else:
            continue
        for raw, offset in found:
            if safe_tag(raw) is None and not CLOSE_TAG.fullmatch(raw):  # its opening tag says it all
                shown = raw if len(raw) <= 60 else raw[:57] + "..."
                problems.add(
                    path,
                    f"raw HTML {shown} is not allowed in a policy text",
                    line=line + offset,
                    hint=f"write it in Markdown; the HTML allowed is {allowed}, title on abbr, dfn and span, lang "
                    "on span, and <!-- comments -->",
                )


def _link_safe(url: str) -> bool:
    return bool(_MD.validateLink(url))


_LINK_ATTRIBUTE = re.compile(r' (href|src)="([^"]*)"')


_FILLED = re.compile(f"{_LINK_ATTRIBUTE.pattern}|{_MARKER.pattern}")


def _link_attribute(match: re.Match[str], variables: Mapping[str, str], unsafe: list[str] | None) -> str:
    """Markers inside an href/src value (groups 1 and 2): the filled address is checked as markdown-it
    checks a link (no javascript:, vbscript:, file: or data:); an unsafe one loses its attribute."""
    value = match.group(2)
    if "%EE%80%80" not in value and _OPEN not in value:
        return match.group(0)
    url = _MARKER.sub(lambda m: variables.get(m.group(1) or m.group(2), ""), html.unescape(value))
    if not _link_safe(url):
        if unsafe is not None:
            unsafe.append(url)
        return ""
    return f' {match.group(1)}="{html.escape(_NORMALIZE_LINK(url))}"'


def _fill_links(rendered: str, variables: Mapping[str, str], unsafe: list[str] | None) -> str:
    """The href/src values with markers filled and checked (see `_link_attribute`)."""
    return _LINK_ATTRIBUTE.sub(lambda match: _link_attribute(match, variables, unsafe), rendered)


def unsafe_links(rendered: str, variables: Mapping[str, str]) -> list[str]:
    """The link targets that a Site's values would make unsafe in a rendered body (for `check`)."""
    found: list[str] = []
    _fill_links(rendered, variables, found)
    return found


def heading_text(heading: str, variables: Mapping[str, str]) -> str:
    """A section heading as plain text (for the table of contents): Markdown and HTML taken out,
    a Site's values put in. Not escaped."""
    parts: list[str] = []

    def walk(tokens: Sequence[Token]) -> None:
        for token in tokens:
            if token.type in ("text", "code_inline"):
                parts.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif token.children:
                walk(token.children)

    walk(_MD.parseInline(heading))
    return " ".join(fill_text("".join(parts), variables).split())


def _normalize_link(url: str) -> str:
    """markdown-it's normalizeLink, with Site markers kept as they are (percent-encoded) so that
    `fill_html` finds them; a marker in a host name would otherwise be punycoded away."""
    return str(_NORMALIZE_LINK(url.replace(_OPEN, "%EE%80%80").replace(_CLOSE, "%EE%80%81")))


_NORMALIZE_LINK = _MD.normalizeLink
_MD.normalizeLink = _normalize_link  # type: ignore[method-assign]
_MD.core.ruler.push("smops_balance_html", _balance_inline_html)
_MD.add_render_rule("html_inline", _render_html)
_MD.add_render_rule("html_block", _render_html)
_MD.add_render_rule("image", _render_image)
