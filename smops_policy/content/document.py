"""Policy files: front matter, the structure of the text, and its HTML.

This is the only module that imports markdown-it-py. A policy body is parsed once into a
`Document` (sections → clauses → blocks) and rendered once to HTML with stable clause anchors;
Site variables stay as markers until `fill_html` / `fill_text` put each Site's values in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from smops_policy.content import yamlsafe
from smops_policy.errors import PolicyError, Problems

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from markdown_it.rules_core import StateCore
    from markdown_it.utils import EnvType, OptionsDict

__all__ = [
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
    "key_line",
    "placeholder_keys",
    "placeholders",
    "read_policy_text",
    "select_site_passages",
    "structure",
    "unsafe_links",
]

# Version numbers name folders and addresses: dotted numbers without leading zeros ('01.0' would be a
# second name for '1.0'), ASCII digits only ('1０' with a full-width zero is int() 10), at most MAX_VERSION characters. Effective dates are exactly YYYY-MM-DD
# (date.fromisoformat alone would also take '20200101' and the ISO week date '2020W011').
VERSION_PATTERN = re.compile(r"\d+(?:\.\d+)*", re.ASCII)
CANONICAL_VERSION = re.compile(r"(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))*", re.ASCII)
MAX_VERSION = 32
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
PLACEHOLDER = re.compile(r"\{\{\s*site\.([A-Za-z0-9_-]+)\s*\}\}")
# Site-only passages: `<!-- only: calcitnow, verifythisemail -->` ... `<!-- end only -->`
# (or `<!-- except: calcitnow -->` ... `<!-- end except -->`), each marker on a line of its own.
PASSAGE_START = re.compile(r"^\s*<!--\s*(only|except)\s*:\s*([a-z0-9,\s-]+?)\s*-->\s*$")
PASSAGE_END = re.compile(r"^\s*<!--\s*end\s+(only|except)\s*-->\s*$")
# Placeholders travel through Markdown as private-use characters, so that rendering is done once
# for all Sites and `fill_html` can put in each Site's values afterwards.
_OPEN, _CLOSE = "\ue000", "\ue001"


_MARKER = re.compile(f"{_OPEN}([A-Za-z0-9_-]+){_CLOSE}|%EE%80%80([A-Za-z0-9_-]+)%EE%80%81")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    title: str
    version: str
    effective: dt.date
    summary: str
    material: bool = False
    # `summary:` given as a mapping: (Site id, its text), sorted; `summary` holds the `default`
    summaries: tuple[tuple[str, str], ...] = ()
    corrected: str = ""  # on a translation: what the commit that sets it corrects (README, Translations)


@dataclass(frozen=True, slots=True)
class PolicyText:
    """One policy file as committed: its front matter and its Markdown body."""

    path: str
    meta: FrontMatter
    body: str
    body_line: int  # the file's line number of the body's first line


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or a bullet of a clause; `text` is its inline Markdown with whitespace folded."""

    kind: str  # "paragraph" | "bullet"
    text: str
    depth: int = 0


@dataclass(frozen=True, slots=True)
class Clause:
    """A numbered clause, or (number None) a passage outside the numbering."""

    number: int | None
    blocks: tuple[Block, ...]
    line: int

    @property
    def text(self) -> str:
        return " ".join(block.text for block in self.blocks)

    @property
    def anchor(self) -> str:
        return f"clause-{self.number}" if self.number is not None else ""


@dataclass(frozen=True, slots=True)
class Section:
    heading: str | None  # None for the text before the first heading
    clauses: tuple[Clause, ...]
    line: int
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    sections: tuple[Section, ...]

    def clauses(self) -> Iterator[Clause]:
        for section in self.sections:
            yield from section.clauses

    def numbered(self) -> list[Clause]:
        return [c for c in self.clauses() if c.number is not None]


# --------------------------------------------------------------------------- front matter


def read_policy_text(raw: bytes, path: str) -> PolicyText:
    """Decode a policy file and validate its front matter; raises PolicyError naming file and line."""
    yamlsafe.check_size(raw, path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PolicyError.at(path, "is not UTF-8 text", line=line, hint="save the file as UTF-8") from None
    # Lines end as markdown-it and YAML end them: CRLF and a lone CR are line breaks too.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise PolicyError.at(
            path,
            "has no front matter",
            line=1,
            hint="start the file with a '---' line, then title, version, effective, summary, then '---'",
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise PolicyError.at(path, "front matter is not closed", line=1, hint="end it with a line '---'") from None
    loaded = yamlsafe.load("\n".join(lines[1:end]), path, first_line=2, what="front matter is")
    if loaded.data is not None and not isinstance(loaded.data, dict):
        raise PolicyError.at(path, "front matter must be key: value lines", line=2)
    meta = _front_matter(loaded, path)
    return PolicyText(path=path, meta=meta, body="\n".join(lines[end + 1 :]), body_line=end + 2)


def _front_matter(loaded: yamlsafe.Loaded, path: str) -> FrontMatter:
    problems = Problems()
    data: dict[Any, Any] = loaded.data or {}

    def line_of(key: str) -> int:
        return loaded.line_of(key) if key in data else 1

    def text_field(key: str) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.add(path, f"front matter has no '{key}'", line=line_of(key), hint=f"add '{key}: ...'")
            return ""
        if isinstance(value, list | dict):
            problems.add(
                path,
                f"'{key}' must be one line of text, not a {'list' if isinstance(value, list) else 'mapping'}",
                line=line_of(key),
                hint=f"write {key}: followed by the text, quoted if it holds ':', '[' or '{{'",
            )
            return ""
        if not isinstance(value, str):
            problems.add(
                path, f"'{key}' must be text", line=line_of(key), hint=f'quote it: {key}: "{loaded.raw_text(key)}"'
            )
            return str(value)
        return " ".join(value.split())

    title = text_field("title")
    summaries: tuple[tuple[str, str], ...] = ()
    if isinstance(data.get("summary"), dict):
        summary, summaries = _site_summaries(data["summary"], path, line_of("summary"), problems)
    else:
        summary = text_field("summary")
    version = _version_number(data.get("version"), loaded.raw_text("version"), path, line_of("version"), problems)
    effective = data.get("effective")
    if isinstance(effective, str) and DATE_PATTERN.fullmatch(effective.strip()):
        with contextlib.suppress(ValueError):
            effective = dt.date.fromisoformat(effective.strip())
    if not isinstance(effective, dt.date):
        shown = "missing" if effective is None else repr(loaded.raw_text("effective") or str(effective))
        problems.add(
            path,
            f"effective date is {shown}; it must be a real date YYYY-MM-DD",
            line=line_of("effective"),
            hint="write e.g. effective: 2016-12-13",
        )
        effective = dt.date.min
    material = data.get("material", False)
    if not isinstance(material, bool):
        problems.add(path, "'material' must be true or false", line=line_of("material"), hint="write material: true")
        material = False
    corrected = ""
    if "corrected" in data:
        if data["corrected"] is None or (isinstance(data["corrected"], str) and not data["corrected"].strip()):
            problems.add(
                path,
                "'corrected' is empty",
                line=line_of("corrected"),
                hint='say what this correction of the translation corrects: corrected: "what was corrected"',
            )
        else:
            corrected = text_field("corrected")
    problems.raise_if_any()
    return FrontMatter(
        title=title,
        version=version,
        effective=effective,
        summary=summary,
        material=material,
        summaries=summaries,
        corrected=corrected,
    )


def _site_summaries(
    value: dict[Any, Any], path: str, line: int, problems: Problems
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """`summary:` as a mapping of Site id → text with a `default` for the other Sites (which Site
    ids exist is checked with sites.yml, in project.py)."""
    texts: dict[str, str] = {}
    for key, text in value.items():
        if not isinstance(key, str) or not isinstance(text, str) or not text.strip():
            problems.add(
                path,
                f"summary for {key!r} must be one line of text",
                line=line,
                hint="write each entry as  SITE-ID: text  (and one  default: text)",
            )
            continue
        texts[key] = " ".join(text.split())
    default = texts.pop("default", None)
    if default is None:
        problems.add(
            path,
            "'summary' is a mapping without a 'default'",
            line=line,
            hint="write one line of text (quoted if it holds ':'), or Site id: text lines with a  default: text",
        )
        default = ""
    return default, tuple(sorted(texts.items()))


def _canonical(version: str) -> str:
    """'01.0' → '1.0'."""
    return ".".join(str(int(part)) for part in version.split("."))


def _version_number(value: object, written: str | None, path: str, line: int, problems: Problems) -> str:
    """The front matter's `version`, checked; `written` is the value as written in the file."""
    if (
        isinstance(value, float | int)
        and not isinstance(value, bool)
        and written
        and VERSION_PATTERN.fullmatch(written)
    ):
        # YAML reads 1.10 as the number 1.1: the hint repeats what was written (without leading zeros)
        problems.add(
            path, f"version {written} must be quoted text", line=line, hint=f'write version: "{_canonical(written)}"'
        )
        return written
    if not isinstance(value, str) or not VERSION_PATTERN.fullmatch(value):
        shown = "missing" if value is None else repr(written if written is not None else value)
        problems.add(
            path, f"version is {shown}; it must be a dotted number", line=line, hint='write e.g. version: "1.1"'
        )
        return "0"
    if len(value) > MAX_VERSION:
        problems.add(
            path,
            f"version {value[:20]}… is {len(value)} characters long",
            line=line,
            hint=f'use at most {MAX_VERSION} characters, e.g. version: "1.1"',
        )
        return "0"
    if not CANONICAL_VERSION.fullmatch(value):
        canonical = _canonical(value)
        problems.add(
            path,
            f"version {value!r} has a leading zero, so it could be taken for version {canonical}",
            line=line,
            hint=f'write version: "{canonical}"',
        )
        return "0"
    return value


# --------------------------------------------------------------------------- Site variables


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
                raise PolicyError.at(path, f"'end {end.group(1)}' without a matching start", line=body_line + offset)
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
    if _OPEN not in text:
        return text
    return _MARKER.sub(lambda m: variables.get(m.group(1) or m.group(2), ""), text)


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
    md = MarkdownIt("commonmark", {"typographer": False})
    md.add_render_rule("list_item_open", _render_list_item_open)
    md.add_render_rule("heading_open", _render_heading_open)
    return md


def _render_list_item_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    anchor = token.meta.get("anchor")
    if anchor:
        number = token.info
        return f'<li id="{anchor}" value="{number}" class="clause">'
    return str(self.renderToken(tokens, idx, options, env))


def _render_heading_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    anchor = token.meta.get("anchor")
    if anchor:
        return f'<{token.tag} id="{anchor}">'
    return str(self.renderToken(tokens, idx, options, env))


_MD = _markdown()
# For structure alone: blocks only, the inline Markdown of each left as source (no inline parse).
_MD_BLOCKS = MarkdownIt("commonmark").disable(["inline", "text_join"])


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.UNICODE)
    return re.sub(r"[\s_-]+", "-", slug).strip("-") or "section"


def _mark_placeholders(body: str) -> str:
    return PLACEHOLDER.sub(lambda m: f"{_OPEN}{m.group(1)}{_CLOSE}", body)


def analyse(body: str, *, path: str = "", body_line: int = 1, problems: Problems | None = None) -> tuple[Document, str]:
    """Parse a body once: its structure (for checks and diffs) and its HTML (for pages).

    Clause numbering problems go to `problems` when given, else raise PolicyError.
    """
    own = problems is None
    problems = problems if problems is not None else Problems()
    tokens = _MD.parse(_mark_placeholders(body))
    document = _structure(tokens, path, body_line, problems)
    if own:
        problems.raise_if_any()
    return document, _MD.renderer.render(tokens, _MD.options, {})


def structure(body: str, *, path: str = "", body_line: int = 1) -> Document:
    """The structure alone (no HTML), for comparisons; numbering problems are not checked here."""
    return _structure(_MD_BLOCKS.parse(_mark_placeholders(body)), path, body_line, Problems())


def _structure(tokens: list[Token], path: str, body_line: int, problems: Problems) -> Document:
    sections: list[Section] = []
    heading: str | None = None
    heading_line = body_line
    section_anchor = ""
    clauses: list[Clause] = []
    used_anchors: set[str] = set()
    expected = 1

    def close_section() -> None:
        if heading is not None or clauses:
            sections.append(Section(heading, tuple(clauses), heading_line, section_anchor))

    i = 0
    depth = 0  # nesting of lists
    while i < len(tokens):
        token = tokens[i]
        line = body_line + (token.map[0] if token.map else 0)
        if token.type == "heading_open":
            close_section()
            heading = " ".join(tokens[i + 1].content.split())
            heading_line = line
            clauses = []
            if token.tag != "h2":
                problems.add(
                    path,
                    f"heading '{heading}' is not a '## ' section heading",
                    line=line,
                    hint="write sections as '## Heading'",
                )
            section_anchor = _unique(f"section-{slugify(heading)}", used_anchors)
            token.meta["anchor"] = section_anchor
            i += 3
            continue
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open" and depth == 1 and token.markup in (".", ")"):
            number = int(token.info)
            if number != expected:
                if number < expected:
                    problems.add(
                        path,
                        f"clause {number} repeats or goes back (expected {expected})",
                        line=line,
                        hint="number clauses 1, 2, 3, ... through the whole document",
                    )
                else:
                    problems.add(
                        path,
                        f"clause numbering jumps from {expected - 1} to {number}",
                        line=line,
                        hint="number clauses 1, 2, 3, ... through the whole document",
                    )
            expected = number + 1
            token.meta["anchor"] = f"clause-{number}"
            end = _closing(tokens, i)
            clauses.append(Clause(number, tuple(_blocks(tokens[i + 1 : end])), line))
            i = end
            continue
        elif token.type in ("paragraph_open", "blockquote_open") and depth == 0:
            end = _closing(tokens, i)
            blocks = tuple(_blocks(tokens[i : end + 1]))
            if blocks:
                clauses.append(Clause(None, blocks, line))
            i = end + 1
            continue
        elif token.type == "list_item_open" and depth == 1:
            # a bullet list outside any clause: keep it as an unnumbered passage
            end = _closing(tokens, i)
            clauses.append(Clause(None, tuple(_blocks(tokens[i : end + 1], bullet_depth=0)), line))
            i = end
            continue
        i += 1
    close_section()
    return Document(tuple(sections))


def _unique(anchor: str, used: set[str]) -> str:
    candidate, n = anchor, 2
    while candidate in used:
        candidate, n = f"{anchor}-{n}", n + 1
    used.add(candidate)
    return candidate


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


def fill_document(document: Document, variables: Mapping[str, str]) -> Document:
    """The structure with a Site's values in place of the markers (diffs read as that Site's text)."""

    def block(b: Block) -> Block:
        return replace(b, text=fill_text(b.text, variables)) if _OPEN in b.text else b

    return Document(
        tuple(
            replace(
                section,
                heading=fill_text(section.heading, variables) if section.heading else section.heading,
                clauses=tuple(replace(c, blocks=tuple(block(b) for b in c.blocks)) for c in section.clauses),
            )
            for section in document.sections
        )
    )


def has_markers(text: str) -> bool:
    return _OPEN in text


def placeholder_keys(document: Document) -> set[str]:
    """The Site variables a parsed document uses."""
    found: set[str] = set()
    for clause in document.clauses():
        for block in clause.blocks:
            if _OPEN in block.text:
                found.update(m.group(1) for m in _MARKER.finditer(block.text) if m.group(1))
    return found


# --------------------------------------------------------------------------- raw HTML, images, links
#
# A policy page promises its readers that nothing on it contacts another host or runs a script. The
# body's Markdown is escaped by markdown-it; raw HTML is the one way around that, so it is rendered
# through an allowlist of harmless inline elements, rebuilt from their parsed attributes (never
# copied), and any other tag is shown as the text it is. Images are never rendered: a remote one is a
# request to another host, and the build publishes no files beside the pages for a local one.

# element → the attributes it may keep; every value is text (escaped on output).
ALLOWED_HTML: dict[str, frozenset[str]] = {
    "abbr": frozenset({"title"}),
    "b": frozenset(),
    "br": frozenset(),
    "cite": frozenset(),
    "code": frozenset(),
    "dfn": frozenset({"title"}),
    "em": frozenset(),
    "i": frozenset(),
    "kbd": frozenset(),
    "mark": frozenset(),
    "q": frozenset(),
    "s": frozenset(),
    "small": frozenset(),
    "span": frozenset({"lang", "title"}),
    "strong": frozenset(),
    "sub": frozenset(),
    "sup": frozenset(),
    "u": frozenset(),
    "wbr": frozenset(),
}
_VOID = frozenset({"br", "wbr"})
_ATTRIBUTE = re.compile(r"""\s+([A-Za-z_:][A-Za-z0-9:._-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^"'=<>`\x00-\x20]+))?""")
_OPEN_TAG = re.compile(
    r"""<([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z_:][A-Za-z0-9:._-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^"'=<>`\x00-\x20]+))?)*)\s*(/?)>"""
)
_CLOSE_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
_COMMENT = re.compile(r"<!---?>|<!--(?:[^-]|-[^-]|--[^>])*-->")
# Anything markdown-it takes for raw HTML: tags, comments, processing instructions, declarations, CDATA.
_ANY_HTML = re.compile(
    rf"{_OPEN_TAG.pattern}|{_CLOSE_TAG.pattern}|{_COMMENT.pattern}|<[?][\s\S]*?[?]>|<![A-Za-z][^>]*>|<!\[CDATA\[[\s\S]*?\]\]>"
)


def _safe_tag(raw: str) -> str | None:
    """The allowed form of one raw HTML tag ('' for a comment, which is dropped), or None if not allowed."""
    if _COMMENT.fullmatch(raw):
        return ""
    if closing := _CLOSE_TAG.fullmatch(raw):
        name = closing.group(1).lower()
        return f"</{name}>" if name in ALLOWED_HTML and name not in _VOID else None
    opening = _OPEN_TAG.fullmatch(raw)
    if opening is None:
        return None
    name = opening.group(1).lower()
    allowed = ALLOWED_HTML.get(name)
    if allowed is None:
        return None
    attributes, seen = [], set()
    for attribute in _ATTRIBUTE.finditer(opening.group(2)):
        key, value = attribute.group(1).lower(), attribute.group(2) or ""
        if key not in allowed:
            return None
        if key in seen:  # a browser keeps the first; written twice, the page would not be valid HTML
            continue
        seen.add(key)
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attributes.append(f' {key}="{html.escape(html.unescape(value))}"')
    return f"<{name}{''.join(attributes)}>"


def _balanced(raw: str, open_tags: list[str]) -> str:
    """One raw tag made safe (see `_safe_tag`) and kept in step with `open_tags`: a closing tag closes what
    is open inside it, and one with nothing to close is dropped, so that the page stays well formed."""
    safe = _safe_tag(raw)
    if safe is None:
        return html.escape(raw, quote=False)
    if not safe:  # a comment
        return ""
    if safe.startswith("</"):
        name = safe[2:-1]
        if name not in open_tags:
            return ""
        closed = []
        while open_tags:
            closed.append(f"</{open_tags[-1]}>")
            if open_tags.pop() == name:
                break
        return "".join(closed)
    name = safe[1:].split(">")[0].split(" ")[0]
    if name not in _VOID:
        open_tags.append(name)
    return safe


def _close_all(open_tags: list[str]) -> str:
    return "".join(f"</{name}>" for name in reversed(open_tags))


def _sanitise(raw: str) -> str:
    """Raw HTML from a body: allowed tags rebuilt, comments dropped, everything else escaped as text."""
    out: list[str] = []
    open_tags: list[str] = []
    position = 0
    for found in _ANY_HTML.finditer(raw):
        out.append(_text(raw[position : found.start()]))
        out.append(_balanced(found.group(0), open_tags))
        position = found.end()
    out.append(_text(raw[position:]))
    out.append(_close_all(open_tags))
    return "".join(out)


def _text(raw: str) -> str:
    """Text between the tags of an HTML block as a browser reads it (`&amp;` is '&'), escaped again."""
    return html.escape(html.unescape(raw), quote=False)


def _balance_inline_html(state: StateCore) -> None:
    """A core rule: the raw tags of each paragraph (or heading, or list item's text) made safe and balanced
    there, an element left open being closed at its end. Kept in `meta`, for `_render_html`."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        open_tags: list[str] = []
        for child in token.children:
            if child.type == "html_inline":
                child.meta["html"] = _balanced(child.content, open_tags)
        if open_tags:
            closing = Token("html_inline", "", 0)
            closing.meta["html"] = _close_all(open_tags)
            token.children.append(closing)


def _render_html(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    found = token.meta.get("html")
    return found if isinstance(found, str) else _sanitise(token.content)


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    return html.escape(self.renderInlineAsText(token.children or [], options, env), quote=False)


def html_problems(body: str, *, path: str, body_line: int, problems: Problems) -> None:
    """Raw HTML outside the allowlist and images in a body, each with its line (for `check`)."""
    allowed = " ".join(f"<{name}>" for name in ALLOWED_HTML)
    for token in _MD.parse(_mark_placeholders(body)):
        line = body_line + (token.map[0] if token.map else 0)
        if token.type == "html_block":
            found = [(m.group(0), token.content[: m.start()].count("\n")) for m in _ANY_HTML.finditer(token.content)]
        elif token.type == "inline":
            found = []
            for child in token.children or []:
                if child.type == "html_inline":
                    found.append((child.content, token.content[: token.content.find(child.content)].count("\n")))
                elif child.type == "image":
                    problems.add(
                        path,
                        f"an image ({child.attrGet('src') or ''}) in a policy text",
                        line=line + token.content[: token.content.find("![")].count("\n"),
                        hint="policy pages show no images: a remote one would tell another host who reads the "
                        "policy, and the build publishes no image files; describe it in words",
                    )
        else:
            continue
        for raw, offset in found:
            if _safe_tag(raw) is None and not _CLOSE_TAG.fullmatch(raw):  # its opening tag says it all
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


def fill_placeholders(text: str, variables: Mapping[str, str]) -> str:
    """A front-matter text (title, summary) with a Site's values in place of `{{ site.KEY }}`."""
    if "{{" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: variables.get(m.group(1), m.group(0)), text)


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


def key_line(source: str | bytes, key: str) -> int | None:
    """The line of a policy file's front matter that sets `key` (None when it sets none): for messages
    about a committed text, read again from its bytes or its source."""
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    for number, line in enumerate(text.split("\n")[:60], start=1):
        if line.startswith(f"{key}:"):
            return number
    return None
