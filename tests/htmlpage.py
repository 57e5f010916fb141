"""Built pages read as a browser's parser reads them: what is text, what is an element, what runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

# Elements that load or run something, and attributes that do.
ACTIVE_ELEMENTS = frozenset(
    {"script", "iframe", "object", "embed", "img", "picture", "source", "video", "audio", "form", "style", "link"}
    | {"meta", "base", "svg", "math", "frame", "frameset", "applet", "track", "input", "image"}
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


class ParsedPage(HTMLParser):
    """Every element with its attributes (entities decoded), the text of a few, and the document's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.text_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in {"br", "wbr", "img", "input", "meta", "link", "source", "hr", "area", "base", "col", "embed"}:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def texts(self, tag: str, **attrs: str) -> list[str]:
        """The whitespace-folded text of each `tag` whose attributes include `attrs` (class: one of its classes)."""
        found = []
        for element in self.all(tag):
            if all(
                (value in element.attrs.get("class", "").split())
                if key == "class_"
                else element.attrs.get(key) == value
                for key, value in attrs.items()
            ):
                found.append(" ".join(element.text.split()))
        return found


def parse(path: Path) -> ParsedPage:
    page = ParsedPage()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def html_pages(output: Path) -> list[Path]:
    """Every HTML page of a build (the theme's own files are not pages)."""
    return sorted(p for p in output.rglob("*.html") if "assets" not in p.parts)


@dataclass(frozen=True)
class Loads:
    """What a page runs or loads: its scripts and the addresses its elements load from."""

    scripts: frozenset[str] = field(default_factory=frozenset)
    sources: frozenset[str] = field(default_factory=frozenset)
    handlers: frozenset[str] = field(default_factory=frozenset)


def loads(page: ParsedPage) -> Loads:
    """Each script (its src, or its code), each element that loads or runs anything (as 'tag src'),
    and each on* attribute."""
    scripts = set()
    sources = set()
    handlers = set()
    for element in page.elements:
        if element.tag == "script":
            scripts.add(element.attrs.get("src") or element.text.strip())
        if element.tag == "meta":  # a description is text; only http-equiv (refresh, CSP) acts
            if "http-equiv" in element.attrs:
                sources.add(f"meta {element.attrs['http-equiv']} {element.attrs.get('content', '')}")
        elif element.tag in ACTIVE_ELEMENTS:
            target = " ".join(element.attrs.get(key, "") for key in ("src", "href", "data", "action", "srcset"))
            sources.add(f"{element.tag} {target}".strip())
        for key, value in element.attrs.items():
            if key.startswith("on"):
                handlers.add(f"{element.tag} {key}={value}")
            if key == "style" and "url(" in value:
                sources.add(f"{element.tag} style={value}")
            if key in ("href", "src") and value.strip().lower().startswith(("javascript:", "vbscript:", "data:")):
                handlers.add(f"{element.tag} {key}={value}")
    return Loads(frozenset(scripts), frozenset(sources), frozenset(handlers))
