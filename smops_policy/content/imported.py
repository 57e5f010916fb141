"""Turning another repository's history of a policy text into versions of ours: pure functions.

`smops-policy import` reads the states of a file (content/history.py), and this module says what they
become: the text without the source's own front matter, its title, the date its text states ("Last
updated: May 24, 2018"), one version per change of text (whitespace aside), the version numbers and
effective dates (strictly increasing, as check demands) and the policy file we write for each.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from smops_policy import i18n
from smops_policy.content import yamlsafe
from smops_policy.content.document import CANONICAL_VERSION, MAX_VERSION
from smops_policy.content.frontmatter import decode_text
from smops_policy.errors import PolicyError, Problems
from smops_policy.model import version_key

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "Effective",
    "PlannedVersion",
    "SourceState",
    "SourceText",
    "StatedDate",
    "choose_effective",
    "fold",
    "number_versions",
    "plan_versions",
    "policy_file",
    "read_source_text",
    "read_version_map",
    "stated_date",
    "summary_of",
]


@dataclass(frozen=True, slots=True)
class SourceText:
    """A source file's text as we take it: its title and its body without its own front matter."""

    title: str | None  # front matter `title:`, else the first heading; None if it has neither
    body: str
    body_line: int  # the source file's line of the body's first line


@dataclass(frozen=True, slots=True)
class StatedDate:
    """The date a text gives itself, on one of its lines ("Last updated: May 24, 2018")."""

    date: dt.date
    line: int  # in the source file
    text: str  # the line as words (no Markdown marks), cut after the date if long


@dataclass(frozen=True, slots=True)
class SourceState:
    """One commit of the source's first-parent chain that changed the file: what we need of it."""

    commit: str
    path: str  # the file's name in that commit (renames followed)
    authored: dt.datetime
    committed: dt.datetime
    message: str
    text: SourceText


@dataclass(frozen=True, slots=True)
class Effective:
    """An imported version's effective date and where it came from, for the output."""

    date: dt.date
    source: str  # 'line 8: "Last updated: April 13, 2020"' or 'the commit date'
    fallback: str = ""  # why the text's own date was not taken ('' when it was, or there is none)


@dataclass(frozen=True, slots=True)
class PlannedVersion:
    """One version the import makes: from the first source state with its text."""

    number: str
    effective: Effective
    summary: str
    title: str
    state: SourceState
    folded: tuple[str, ...] = ()  # later source commits with the same text but for whitespace


def fold(text: str) -> str:
    """The text with whitespace folded: two texts that fold the same are one version."""
    return " ".join(text.split())


# ---------------------------------------------------------------------------- the source's text

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`]+")


def read_source_text(data: bytes, path: str) -> SourceText:
    """The source file as text: its own front matter (Jekyll's `---` block) taken off, its title read
    from that front matter's `title:` or else from its first heading."""
    lines = decode_text(data, path, hint="import a text file saved as UTF-8").split("\n")
    title: str | None = None
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            title = _front_matter_title(lines[1:end], path)
            start = end + 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    body = "\n".join(lines[start:]).rstrip() + "\n"
    return SourceText(title or first_heading(body), body, start + 1)


def _front_matter_title(lines: list[str], path: str) -> str | None:
    try:
        loaded = yamlsafe.load("\n".join(lines), path, first_line=2)
        value = loaded.data.get("title") if isinstance(loaded.data, dict) else None
    except PolicyError:  # another site generator's YAML (anchors, tags): its title line is enough
        value = next((m.group(1) for line in lines if (m := re.match(r"title:\s*(.+)$", line))), None)
        value = value.strip().strip("\"'") if value else None
    return _one_line(plain(value)) or None if isinstance(value, str) else None


def first_heading(body: str) -> str | None:
    """The text of the body's first heading (ATX or setext), outside code blocks; None without one."""
    lines = body.split("\n")
    fence = ""
    for index, line in enumerate(lines):
        if fence:
            if line.strip().startswith(fence):
                fence = ""
            continue
        if match := _FENCE.match(line):
            fence = match.group(1)
            continue
        if (match := _ATX.match(line)) and match.group(1):
            return _one_line(plain(match.group(1))) or None
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() and not line.startswith("    ") and _SETEXT.match(following):
            return _one_line(plain(line)) or None
    return None


def plain(text: str) -> str:
    """Markdown inline text as words: links' text kept, emphasis marks dropped, whitespace folded."""
    return fold(_MARKS.sub("", _LINK.sub(r"\1", text)))


# ---------------------------------------------------------------------------- the date a text states

# A label, then at most a few separating words, then the date. English and Dutch labels (the
# company's languages); month names come from babel in the policy's language and in English.
_LABEL = re.compile(
    r"\b(?:last\s+(?:updated|modified|revised|changed)|effective\s+date|effective|"
    r"laatst\s+(?:bijgewerkt|gewijzigd|herzien)|ingangsdatum|van\s+kracht)\b"
    r"[\s:,.\-\u2013\u2014]*(?:(?:on|as\s+of|from|since|per|op|vanaf|sinds)\s+)?",
    re.IGNORECASE,
)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\b")
_MONTH_FIRST = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th|e)?\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})\b")


def stated_date(text: SourceText, lang: str) -> StatedDate | None:
    """The first line of the body that says when the text was last updated or takes effect, with a
    date: "Last updated: May 24, 2018", "Effective date: 25 May 2018", "Effective: 2018-05-25",
    "Laatst bijgewerkt: 25 mei 2018" (month names in `lang` or English)."""
    months = i18n.month_numbers(lang)
    for index, line in enumerate(text.body.split("\n")):
        words = plain(line)
        for label in _LABEL.finditer(words):
            date = _date_at(words[label.end() :], months)
            if date is not None:
                shown = words if len(words) <= 80 else words[: label.end() + 40].rstrip() + " …"
                return StatedDate(date, text.body_line + index, shown)
    return None


def _date_at(text: str, months: dict[str, int]) -> dt.date | None:
    year = month = day = 0
    if match := _ISO.match(text):
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    elif (match := _MONTH_FIRST.match(text)) and match.group(1).lower() in months:
        year, month, day = int(match.group(3)), months[match.group(1).lower()], int(match.group(2))
    elif (match := _DAY_FIRST.match(text)) and match.group(2).lower() in months:
        year, month, day = int(match.group(3)), months[match.group(2).lower()], int(match.group(1))
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:  # "February 30, 2020" is no date: the commit's date serves instead
        return None


# ---------------------------------------------------------------------------- versions

_GITHUB_MERGE = re.compile(r"Merge pull request #(\d+) from (?:[^/\s]+/)?(\S+)$")


def summary_of(message: str) -> str:
    """A version's summary from its commit message: the subject, or for a GitHub pull-request merge
    ("Merge pull request #12 from owner/branch") the pull request's title on the line after it (or,
    without one, its branch's name as words: "Branch (pull request #12)")."""
    lines = [line.strip() for line in message.strip().split("\n")]
    subject = lines[0] if lines else ""
    rest = [line for line in lines[1:] if line]
    if merge := _GITHUB_MERGE.match(subject):
        if rest:
            subject = rest[0]
        else:
            words = re.sub(r"[-_/]+", " ", merge.group(2)).strip()
            subject = f"{words[:1].upper()}{words[1:]} (pull request #{merge.group(1)})"
    return _one_line(subject)


def _one_line(text: str) -> str:
    # A summary is one line of printable text in the front matter.
    return fold("".join(c if c.isprintable() else " " for c in text))


def choose_effective(stated: StatedDate | None, committed_on: dt.date, previous: dt.date | None) -> Effective:
    """The text's own date where it comes after the previous version's; else the commit's date;
    else the day after the previous version's (effective dates must strictly increase)."""

    def is_after(date: dt.date) -> bool:
        return previous is None or date > previous

    why = ""
    if stated is not None:
        if is_after(stated.date):
            return Effective(stated.date, f'line {stated.line}: "{stated.text}"')
        why = f"the text's date {stated.date} (line {stated.line}) is not after the previous version's {previous}"
    if is_after(committed_on):
        return Effective(committed_on, "the commit date" + ("" if why else " (the text states no date)"), why)
    assert previous is not None  # is_after holds for anything when there is no previous version
    why = why or f"the commit date {committed_on} is not after the previous version's {previous}"
    return Effective(previous + dt.timedelta(days=1), "the day after the previous version's date", why)


def plan_versions(
    states: Sequence[SourceState],
    *,
    lang: str,
    timezone: str,
    mapping: dict[str, tuple[str, int]] | None = None,
    mapping_path: str = "",
    default_title: str = "",
) -> list[PlannedVersion]:
    """One version per change of text or title (whitespace aside), from the first state with it:
    numbered 1.0, 1.1, … (or as `mapping`, read from `mapping_path`, says), its effective date from `choose_effective`, its summary
    from the commit message, its title from the text (else the last title seen, else `default_title`)."""
    runs: list[tuple[SourceState, list[str]]] = []
    previous_text: str | None = None
    for state in states:
        folded = fold(f"{state.text.title}\n{state.text.body}")  # a new title is a new version too
        if folded == previous_text:
            runs[-1][1].append(state.commit)
            continue
        runs.append((state, []))
        previous_text = folded
    numbers = number_versions([state.commit for state, _ in runs], mapping or {}, mapping_path)
    planned: list[PlannedVersion] = []
    title = default_title
    for (state, folded_commits), number in zip(runs, numbers, strict=True):
        title = state.text.title or title
        committed_on = i18n.local_date(state.committed, timezone)
        previous = planned[-1].effective.date if planned else None
        effective = choose_effective(stated_date(state.text, lang), committed_on, previous)
        summary = summary_of(state.message) or f"Imported from commit {state.commit[:12]}."
        planned.append(PlannedVersion(number, effective, summary, title, state, tuple(folded_commits)))
    return planned


def read_version_map(data: bytes, path: str) -> dict[str, tuple[str, int]]:
    """A mapping file: `SOURCE_COMMIT: VERSION` lines (a commit as 7 to 40 hex digits, as --dry-run
    lists them), each to the version number that commit's text gets; `(number, line)` by commit."""
    yamlsafe.check_size(data, path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyError.at(path, "is not UTF-8 text", hint="save it as UTF-8") from None
    loaded = yamlsafe.load(text, path)
    root = loaded.root
    if root is None:
        raise PolicyError.at(path, "is empty", line=1, hint='write one line per source commit, e.g. a12be69: "2.0"')
    if not isinstance(root, yaml.MappingNode):
        raise PolicyError.at(path, "must be 'COMMIT: VERSION' lines", line=1, hint='e.g. a12be69: "2.0"')
    problems = Problems()
    found: dict[str, tuple[str, int]] = {}
    for key, value in root.value:
        line = key.start_mark.line + 1
        commit = str(key.value).lower()
        number = value.value if isinstance(value, yaml.ScalarNode) else ""
        if not re.fullmatch(r"[0-9a-f]{7,40}", commit):
            problems.add(
                path, f"{key.value!r} is not a commit id", line=line, hint="give 7 to 40 hex digits of a commit"
            )
        elif not (isinstance(number, str) and CANONICAL_VERSION.fullmatch(number) and len(number) <= MAX_VERSION):
            problems.add(path, f"{number!r} is not a version number", line=line, hint='write e.g. "2.0" or "1.10"')
        else:
            found[commit] = (number, line)
    problems.raise_if_any()
    return found


def number_versions(commits: Sequence[str], mapping: dict[str, tuple[str, int]], path: str) -> list[str]:
    """The version numbers of the versions made from `commits` (oldest first): a commit the mapping
    names gets its number; any other continues from the one before (2.0 → 2.1), the first is 1.0."""
    problems = Problems()
    assigned: dict[int, tuple[str, int]] = {}
    for prefix, (number, line) in mapping.items():
        hits = [index for index, commit in enumerate(commits) if commit.startswith(prefix)]
        if len(hits) != 1:
            problems.add(
                path,
                f"commit {prefix} {'starts no version' if not hits else 'names more than one version'} of the import",
                line=line,
                hint="use a source commit as --dry-run lists it (one with a new text)"
                if not hits
                else "give more hex digits",
            )
        else:
            assigned[hits[0]] = (number, line)
    problems.raise_if_any()
    numbers: list[str] = []
    for index in range(len(commits)):
        if index in assigned:
            number, line = assigned[index]
            if numbers and version_key(number) <= version_key(numbers[-1]):
                raise PolicyError.at(
                    path,
                    f"version {number} for commit {commits[index][:12]} is not higher than {numbers[-1]}, "
                    "the version before it",
                    line=line,
                    hint="version numbers must increase along the history",
                )
        elif numbers:
            parts = numbers[-1].split(".")
            number = ".".join([*parts[:-1], str(int(parts[-1]) + 1)])
        else:
            number = "1.0"
        numbers.append(number)
    return numbers


def policy_file(version: PlannedVersion) -> str:
    """The policy file we write for a version: our front matter, then the source's body."""
    # JSON strings are YAML double-quoted scalars: any title or summary stays one line of text.
    front = [
        "---",
        f"title: {json.dumps(version.title, ensure_ascii=False)}",
        f'version: "{version.number}"',
        f"effective: {version.effective.date.isoformat()}",
        f"summary: {json.dumps(version.summary, ensure_ascii=False)}",
        "---",
    ]
    return "\n".join(front) + "\n\n" + version.state.text.body
