"""Helpers shared by several test modules (a test module imports these, never another test module)."""

from __future__ import annotations

import hashlib
import html
import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from .conftest import PolicyRepo

from .conftest import SITES_YML, policy_text

SITES = "policies/sites.yml"
EN = "policies/privacy/en.md"


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def page_text(fragment: str) -> str:
    """Text as read: inline tags vanish, block tags separate words."""
    inline = re.sub(r"</?(?:a|code|em|strong|span|time|ins|del)\b[^>]*>", "", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def snapshot(root: Path) -> dict[str, str]:
    """Every folder and file below `root` (git's own included): a file by its sha256, a folder as such."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root)] = "folder"
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, root)] = hashlib.sha256(handle.read()).hexdigest()
    return found


def replace(repo: PolicyRepo, path: str, old: str, new: str) -> None:
    file = repo.path / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(repo: PolicyRepo, path: str, text: str) -> None:
    file = repo.path / path
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


def refused_everywhere(
    repo: PolicyRepo,
    tmp_path: Path,
    change: Callable[[PolicyRepo], None],
    expected: str,
    *,
    built: Path | None = None,
) -> str:
    """Build, make the bad change and commit it: `check` and `build` exit 1 with `expected` (a regex of a whole
    `path:line: message` line), no traceback, and the previous output is left exactly as it was.
    `built`: that first build, already made as of 2026-11-25 (the `three_versions_site` fixture)."""
    out = built or tmp_path / "out"
    if built is None:
        repo.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)
    before = tree_digest(out)
    change(repo)
    repo.commit("A bad change", "2026-11-20T10:00:00+01:00")
    said = ""
    for command in (["check"], ["build", "--as-of", "2026-11-25", "--output", str(out)]):
        result = repo.smops(*command)
        assert result.returncode == 1, f"{command}: {result.stdout}{result.stderr}"
        assert "Traceback" not in result.stderr, result.stderr
        assert re.search(f"^{expected}", result.stderr, re.M), result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == len(set(lines)), result.stderr  # each problem said once, however many Sites
        said = result.stderr
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, "repo"]), "nothing is left beside the output"
    return said


# The policy of the review tests: main has 1.0, a branch `feature` adds 1.1.
CLAUSES = [
    "We keep your records safe.",
    "We answer questions at {{ site.support_url }}.",
    "We keep records for 30 days.",
    "We keep this text short.",
    "We use no cookies.",
    "We sell nothing.",
]
NL = [
    "Wij bewaren uw gegevens.",
    "Vragen via {{ site.support_url }}.",
    "Wij bewaren 30 dagen.",
    "Kort.",
    "Geen.",
    "Niets.",
]


def feature_branch(repo: PolicyRepo, *, notice_days: int = 0, material: bool = False, **changes: str) -> None:
    """main: privacy 1.0 (en, nl). Branch `feature`: version 1.1 in English (and Dutch), committed
    2030-11-20, taking effect 2031-01-01 (42 days later)."""
    sites = SITES_YML.replace("source_language: en\n", f"source_language: en\nnotice_days: {notice_days}\n")
    repo.write("policies/sites.yml", sites)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", CLAUSES, sections={2: "Contact"}))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", NL, title="Beleid", sections={2: "Contact"}))
    repo.commit("Privacy 1.0", "2019-12-01T10:00:00+01:00")
    repo.repo.git.checkout("-b", "feature")
    new = [*CLAUSES]
    new[2] = changes.get("clause3", "We keep records for 60 days.")
    front = "material: true" if material else ""
    summary = changes.get("summary", "Records are kept for 60 days.")
    repo.write(
        "policies/privacy/en.md",
        policy_text(
            "1.1",
            "2031-01-01",
            new,
            title=changes.get("title", "Sample Policy"),
            summary=summary,
            extra_front=front,
            sections={2: "Contact"},
        ),
    )
    nl = [*NL]
    nl[2] = "Wij bewaren 60 dagen."
    repo.write("policies/privacy/nl.md", policy_text("1.1", "2031-01-01", nl, title="Beleid", sections={2: "Contact"}))
    repo.commit("Privacy 1.1: records kept longer", "2030-11-20T10:00:00+01:00")
