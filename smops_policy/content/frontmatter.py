"""Policy files: the front matter (title, version, effective date, summary, settings) and the body.

Pure: bytes in, a `PolicyText` out, or a PolicyError naming the file and line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from smops_policy.content import yamlsafe
from smops_policy.errors import PolicyError, Problems

__all__ = [
    "CANONICAL_VERSION",
    "DATE_PATTERN",
    "MAX_VERSION",
    "NUMBERING",
    "VERSION_PATTERN",
    "FrontMatter",
    "PolicyText",
    "decode_text",
    "read_policy_text",
]

# Version numbers name folders and addresses: dotted numbers without leading zeros ('01.0' would be a
# second name for '1.0'), ASCII digits only ('1０' with a full-width zero is int() 10), at most MAX_VERSION characters. Effective dates are exactly YYYY-MM-DD
# (date.fromisoformat alone would also take '20200101' and the ISO week date '2020W011').
VERSION_PATTERN = re.compile(r"\d+(?:\.\d+)*", re.ASCII)
CANONICAL_VERSION = re.compile(r"(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))*", re.ASCII)
MAX_VERSION = 32
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# How a body numbers its clauses (README, "Numbering"); "" lets the document show it.
NUMBERING = ("continuous", "per-section", "none")


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
    numbering: str = ""  # one of NUMBERING, or "" for what the document does consistently
    # (key, its line in the file) for each key the front matter sets, recorded while parsing it
    lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int | None:
        """The file's line that sets `key`; None when the front matter does not set it."""
        return dict(self.lines).get(key)


@dataclass(frozen=True, slots=True)
class PolicyText:
    """One policy file as committed: its front matter and its Markdown body."""

    path: str
    meta: FrontMatter
    body: str
    body_line: int  # the file's line number of the body's first line


# --------------------------------------------------------------------------- front matter


def decode_text(raw: bytes, path: str, *, hint: str) -> str:
    """A text file's bytes as text: UTF-8 (else a PolicyError at the line that is not, with `hint`), no
    byte-order mark, and lines ending as markdown-it and YAML end them (CRLF and a lone CR are breaks)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PolicyError.at(path, "is not UTF-8 text", line=line, hint=hint) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_policy_text(raw: bytes, path: str) -> PolicyText:
    """Decode a policy file and validate its front matter; raises PolicyError naming file and line."""
    yamlsafe.check_size(raw, path)
    lines = decode_text(raw, path, hint="save the file as UTF-8").split("\n")
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
    numbering = data.get("numbering", "")
    if numbering not in ("", *NUMBERING):
        problems.add(
            path,
            f"'numbering' is {loaded.raw_text('numbering') or numbering!r}",
            line=line_of("numbering"),
            hint="write numbering: continuous, per-section or none, or leave it out (README, Numbering)",
        )
        numbering = ""
    problems.raise_if_any()
    return FrontMatter(
        title=title,
        version=version,
        effective=effective,
        summary=summary,
        material=material,
        summaries=summaries,
        corrected=corrected,
        numbering=numbering,
        lines=tuple((key, loaded.line_of(key)) for key in data if isinstance(key, str)),
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
