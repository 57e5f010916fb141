"""YAML that cannot hurt: `sites.yml` and front matter are read through one strict loader.

The checks run on the parser's events, before anything is composed or expanded: an anchor or alias
(an alias bomb grows exponentially), an explicit tag or nesting deeper than `MAX_DEPTH` (PyYAML's
composer recurses) stops reading at once with the file and line. Duplicate keys are errors naming both
lines. Dates and YAML 1.1's `yes`/`no`/`on`/`off` stay text (`languages: [en, no]` is Norwegian), and
`raw_text` gives a scalar exactly as written (`1.10`, which YAML reads as the float 1.1).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import yaml

from smops_policy.errors import PolicyError, Problem

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NUMBER", "Loaded", "check_size", "line_of", "load", "node_at", "scalar_texts"]

MAX_DEPTH = 10  # sites.yml needs 4 (root, sites, a Site, its languages); front matter 1
MAX_NUMBER = 32  # characters of an unquoted number
MAX_BYTES = 1_000_000  # a long policy is some 100 kB; this bounds memory and time, not content

# What YAML allows written out (its reader's own test); an escape such as \ud800 or \x00 must not get round it:
# a lone surrogate cannot be written as UTF-8, and a control character has no place in a page.
_NOT_PRINTABLE = re.compile(r"[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BOOL_WORDS = {"true", "True", "TRUE", "false", "False", "FALSE"}
_DROPPED_TAGS = {
    "tag:yaml.org,2002:timestamp",  # an impossible date ('2016-13-12') gets our message, not YAML's
    "tag:yaml.org,2002:merge",  # `<<` merges are a way to repeat a mapping: plain text here
    "tag:yaml.org,2002:value",  # `=` has no constructor in safe YAML: plain text here
}


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors, aliases, tags, deep nesting and non-text keys while composing."""

    def __init__(self, stream: str, path: str, first_line: int) -> None:
        super().__init__(stream)
        self._setup(path, first_line)

    def _setup(self, path: str, first_line: int) -> None:
        self.path = path
        self.first_line = first_line
        self.depth = 0
        self.duplicates: list[Problem] = []

    def refuse(self, mark: Any, message: str, hint: str) -> PolicyError:
        line = mark.line + self.first_line if mark is not None else None
        return PolicyError.at(self.path, message, line=line, hint=hint)

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise self.refuse(
                event.start_mark,
                "uses a YAML anchor or alias (&name or *name)",
                "write each value out in full; anchors and aliases are not allowed",
            )
        if getattr(event, "tag", None) is not None:
            raise self.refuse(
                event.start_mark,
                f"uses the YAML tag {str(getattr(event, 'tag', '')).replace('tag:yaml.org,2002:', '!!')!r}",
                "remove the tag; quote the value if it is text",
            )
        if isinstance(event, yaml.ScalarEvent) and (bad := _NOT_PRINTABLE.search(event.value)):
            raise self.refuse(
                event.start_mark,
                f"holds the character {bad.group()!r}, written as an escape",
                "remove it: only printable characters, tabs and line breaks are allowed",
            )
        if not isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            return super().compose_node(parent, index)
        if self.depth >= MAX_DEPTH:
            raise self.refuse(
                event.start_mark,
                f"nests lists or mappings more than {MAX_DEPTH} deep",
                "see the README's content format for the shape of this file",
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_mapping_node(self, anchor: Any) -> yaml.MappingNode:  # the stubs' type for `anchor` is wrong
        node: yaml.MappingNode = super().compose_mapping_node(anchor)
        seen: dict[str, int] = {}
        for key, _value in node.value:
            line = key.start_mark.line + self.first_line
            if not isinstance(key, yaml.ScalarNode):
                raise self.refuse(
                    key.start_mark,
                    "has a key that is not plain text",
                    "write key: value, and quote a value that starts with '{' or '[', e.g. title: \"{{ site.name }}\"",
                )
            if key.value in seen:
                self.duplicates.append(
                    Problem(
                        self.path,
                        f"key {key.value!r} appears twice, on line {seen[key.value]} and on line {line}",
                        line,
                        "keep one of them: YAML would silently use the last",
                    )
                )
            else:
                seen[key.value] = line
        return node


# Resolution as YAML 1.1 does it, except that dates, merges and `=` stay text and only true/false are booleans.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _bool(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode) and node.value in _BOOL_WORDS:
        return node.value.lower() == "true"
    return loader.construct_scalar(node)  # type: ignore[arg-type]


def _number(construct: Any, loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """A number as YAML reads it, unless it is too long to be one: int() of 4,300 digits raises, and
    YAML 1.1's base-60 numbers (1:20:30) cost time that grows with the square of their length."""
    if len(node.value) > MAX_NUMBER:
        raise loader.refuse(
            node.start_mark,
            f"holds a number of {len(node.value)} characters",
            f"quote it if it is text; a number here has at most {MAX_NUMBER} characters",
        )
    try:
        return construct(loader, node)
    except ValueError:  # YAML 1.1's pattern lets `0b_` and `0x_` through (digits only `_`); int() does not
        raise loader.refuse(
            node.start_mark, f"holds {node.value!r}, which is not a number", "quote it if it is text"
        ) from None


# Partials of a module-level function rather than closures made at import: a closure is made once, before
# mutation testing switches a mutant on, so the check it holds could never be tested that way.
_StrictLoader.add_constructor("tag:yaml.org,2002:bool", _bool)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", functools.partial(_number, yaml.SafeLoader.construct_yaml_int))
_StrictLoader.add_constructor(
    "tag:yaml.org,2002:float", functools.partial(_number, yaml.SafeLoader.construct_yaml_float)
)

_CParser: Any
try:  # PyYAML built with libyaml (its wheels are)
    from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _CParser = None

if _CParser is not None:

    class _FastStrictLoader(_StrictLoader, _CParser):  # type: ignore[misc]
        """The same loader reading its events from libyaml (some ten times faster than PyYAML's Python
        scanner and parser): the strict composing, constructors and resolvers above are all kept.

        Only a document read without a problem is taken from it; anything else is read again by the
        Python loader, so that every message and line an editor gets is the one it has always given."""

        def __init__(self, stream: str, path: str, first_line: int) -> None:
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._setup(path, first_line)

        # Composing stays PyYAML's Python code (the checks above run on each event); the events are libyaml's.
        get_single_node = yaml.composer.Composer.get_single_node
        get_node = yaml.composer.Composer.get_node
        check_node = yaml.composer.Composer.check_node
        get_event = _CParser.get_event
        peek_event = _CParser.peek_event
        check_event = _CParser.check_event
        dispose = _CParser.dispose

    _Fast: type[_StrictLoader] | None = _FastStrictLoader
else:  # pragma: no cover - PyYAML without libyaml: the Python loader alone
    _Fast = None


@dataclass(frozen=True, slots=True)
class Loaded:
    """A YAML document as read: its values, its node tree (for lines and raw text) and where it starts."""

    data: Any
    root: yaml.Node | None
    first_line: int = 1

    def node(self, *keys: str) -> yaml.Node | None:
        """The value node at `keys` (mapping keys, as written), or None."""
        return node_at(self.root, *keys)

    def line_of(self, *keys: str) -> int:
        """The file's line of the key at `keys` (or of the deepest key found; the first line if none)."""
        return line_of(self.root, *keys, first_line=self.first_line) or self.first_line

    def raw_text(self, *keys: str) -> str | None:
        """A scalar value exactly as written (`1.10`, not the float 1.1); None for anything else."""
        node = self.node(*keys)
        return node.value if isinstance(node, yaml.ScalarNode) else None


def node_at(node: yaml.Node | None, *keys: str) -> yaml.Node | None:
    """The value node at `keys` (mapping keys, as written) below `node`, or None."""
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if k.value == key), None)
    return node


def scalar_texts(node: yaml.Node | None) -> dict[str, str]:
    """Every key of a mapping whose value is a scalar other than null, with the value as written."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        k.value: v.value for k, v in node.value if isinstance(v, yaml.ScalarNode) and v.tag != "tag:yaml.org,2002:null"
    }


def check_size(data: bytes, path: str) -> None:
    """Refuse a file too large to be a policy or sites.yml before reading it."""
    if len(data) > MAX_BYTES:
        raise PolicyError.at(
            path,
            f"is {len(data):,} bytes, more than the {MAX_BYTES:,} a file here may have",
            line=1,
            hint="split the text, or check that the right file was committed",
        )


def load(text: str, path: str, *, first_line: int = 1, what: str = "is") -> Loaded:
    """Read one YAML document safely; `first_line` is the file's line of the text's first line.

    Raises PolicyError naming the file and line of the first problem (or of every duplicate key)."""
    if _Fast is not None and "\t" not in text:  # libyaml takes some tabs PyYAML refuses (`a\t`)
        found = _fast_load(_Fast, text, path, first_line)
        if found is not None:
            return found
    return _load(text, path, first_line=first_line, what=what)


def _fast_load(kind: type[_StrictLoader], text: str, path: str, first_line: int) -> Loaded | None:
    """The document as libyaml reads it, or None for anything but a clean read (a problem of any kind, or
    a text libyaml cannot take at all, such as a lone surrogate it cannot encode): the Python loader
    then reads it again and says what is wrong."""
    loader: _StrictLoader | None = None
    try:
        loader = kind(text, path, first_line)
        root = loader.get_single_node()
        if loader.duplicates:
            return None
        return Loaded(loader.construct_document(root) if root is not None else None, root, first_line)
    except (yaml.YAMLError, PolicyError, RecursionError, UnicodeError):
        return None
    finally:
        if loader is not None:
            loader.dispose()


def _load(text: str, path: str, *, first_line: int, what: str) -> Loaded:
    """The document as PyYAML's Python parser reads it, every problem a PolicyError with its line."""
    loader: _StrictLoader | None = None
    try:
        loader = _StrictLoader(text, path, first_line)
        root = loader.get_single_node()
        if loader.duplicates:
            raise PolicyError(loader.duplicates)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        hint = "fix the YAML syntax"
        if problem == "but found another document":
            problem, hint = "it holds a second document after a '---' line", "keep one document"
        if "'\\t'" in problem or "\t" in _line_text(text, mark):
            hint = "indent with spaces: YAML does not allow tabs there"
        raise PolicyError.at(
            path,
            f"{what} not valid YAML: {problem}",
            line=mark.line + first_line if mark is not None else first_line,
            hint=hint,
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        raise PolicyError.at(
            path,
            f"{what} not valid YAML: it holds the character {chr(exc.character)!r}"
            if isinstance(exc.character, int)
            else f"{what} not valid YAML: {exc.reason}",
            line=line,
            hint="remove it: YAML allows only printable characters, tabs and line breaks",
        ) from None
    except yaml.YAMLError as exc:  # anything else PyYAML raises still names the file
        raise PolicyError.at(path, f"{what} not valid YAML: {exc}", line=first_line, hint="fix the YAML") from None
    except RecursionError:  # MAX_DEPTH stops nesting first; this is the last line of defence
        raise PolicyError.at(
            path, f"{what} nested too deeply", line=first_line, hint="see the README's content format"
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    return Loaded(data, root, first_line)


def _line_text(text: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    return lines[mark.line] if mark.line < len(lines) else ""


def line_of(node: yaml.Node | None, *keys: str, first_line: int = 1) -> int | None:
    """The line of the key at `keys` in a composed YAML tree (or of the deepest key found), counting
    the document's first line as `first_line`; None without a tree."""
    line = node.start_mark.line + first_line if node is not None else None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                line, node = k.start_mark.line + first_line, v
                break
        else:
            break
    return line
