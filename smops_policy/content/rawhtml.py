"""Raw HTML in a policy body, made safe: an allowlist of harmless inline elements, rebuilt from their
parsed attributes (never copied); any other tag is shown as the text it is. Pure string functions.
"""

from __future__ import annotations

import html
import re

__all__ = ["ALLOWED_HTML", "ANY_HTML", "CLOSE_TAG", "balanced", "close_all", "safe_tag", "sanitise"]

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
CLOSE_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
_COMMENT = re.compile(r"<!---?>|<!--(?:[^-]|-[^-]|--[^>])*-->")
# Anything markdown-it takes for raw HTML: tags, comments, processing instructions, declarations, CDATA.
ANY_HTML = re.compile(
    rf"{_OPEN_TAG.pattern}|{CLOSE_TAG.pattern}|{_COMMENT.pattern}|<[?][\s\S]*?[?]>|<![A-Za-z][^>]*>|<!\[CDATA\[[\s\S]*?\]\]>"
)


def safe_tag(raw: str) -> str | None:
    """The allowed form of one raw HTML tag ('' for a comment, which is dropped), or None if not allowed."""
    if _COMMENT.fullmatch(raw):
        return ""
    if closing := CLOSE_TAG.fullmatch(raw):
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


def balanced(raw: str, open_tags: list[str]) -> str:
    """One raw tag made safe (see `safe_tag`) and kept in step with `open_tags`: a closing tag closes what
    is open inside it, and one with nothing to close is dropped, so that the page stays well formed."""
    safe = safe_tag(raw)
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


def close_all(open_tags: list[str]) -> str:
    return "".join(f"</{name}>" for name in reversed(open_tags))


def sanitise(raw: str) -> str:
    """Raw HTML from a body: allowed tags rebuilt, comments dropped, everything else escaped as text."""
    out: list[str] = []
    open_tags: list[str] = []
    position = 0
    for found in ANY_HTML.finditer(raw):
        out.append(_text(raw[position : found.start()]))
        out.append(balanced(found.group(0), open_tags))
        position = found.end()
    out.append(_text(raw[position:]))
    out.append(close_all(open_tags))
    return "".join(out)


def _text(raw: str) -> str:
    """Text between the tags of an HTML block as a browser reads it (`&amp;` is '&'), escaped again."""
    return html.escape(html.unescape(raw), quote=False)
