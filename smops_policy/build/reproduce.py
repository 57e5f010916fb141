"""Build an output again, aside, and compare it file by file with the one given.

A build is reproducible: the same commit as of the same date gives the same bytes, whatever the
clock, the machine's timezone or the output folder. So the proof that an output is what git says
is a second build: every file that differs from it, is missing or is not part of it is a problem,
named with its path and with what differs. The second build takes finished language builds from the
cache as what they are, lists of files and their sha256, without writing any of them (tens of
thousands of files and folders on a large output): only the files it does not find there are built
and written, and every file of the output is hashed and compared with the list.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smops_policy.build.cache import BuildCache, tree_digests
from smops_policy.build.folders import is_tool_leftover, mark_output, process_alive
from smops_policy.errors import PolicyError, Problem

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable, Iterator

    from smops_policy.build.pipeline import Prepared

__all__ = ["HINT", "compare_outputs", "describe", "rebuilt"]

HINT = "build the output again; never edit built pages"
_SHOWN = 3  # differences shown per file


@contextlib.contextmanager
def rebuilt(
    repo: Path, output: Path, as_of: dt.date, cache_dir: Path | None, sites: tuple[str, ...] = ()
) -> Iterator[tuple[Prepared, dict[str, str], Callable[[str], bytes | None]]]:
    """A build of the repository's HEAD as of `as_of`, made aside. Yields its plan, the sha256 of each
    file it consists of (by name relative to the output), and a way to read any of those files."""
    from smops_policy.build.output import build_output  # mkdocs: imported only now
    from smops_policy.build.request import BuildRequest

    folder = _aside(output)
    mkdocs_log = logging.getLogger("mkdocs")
    level = mkdocs_log.level
    mkdocs_log.setLevel(logging.ERROR)  # its warnings were the build's to give
    try:
        target = folder / "site"
        request = BuildRequest(
            repo, target, as_of=as_of, cache_dir=cache_dir, sites=sites, quiet=True, restore_files=False
        )
        report = build_output(request)
        if report.problems or report.prepared is None:
            raise PolicyError(list(report.problems))
        prepared, written = report.prepared, dict(report.written)
        digests = {**tree_digests(target, known=written), **written}

        def content(name: str) -> bytes | None:
            written = target / name
            if written.is_file():
                return written.read_bytes()
            kept = BuildCache.object_path(cache_dir, digests[name]) if cache_dir else None
            data = kept.read_bytes() if kept else None
            # an output file edited in place edits the cache's copy too (the same file, linked)
            return data if data is not None and hashlib.sha256(data).hexdigest() == digests[name] else None

        yield prepared, digests, content
    finally:
        mkdocs_log.setLevel(level)
        shutil.rmtree(folder, ignore_errors=True)


def _aside(output: Path) -> Path:
    """A new folder beside `output`, cleared of what a killed verify left there (or a temporary one)."""
    parent = output.resolve().parent
    prefix = f".{output.resolve().name}.verify-"
    with contextlib.suppress(OSError):
        for leftover in parent.glob(f"{prefix}*"):
            pid = leftover.name.removeprefix(prefix).split("-", 1)[0]
            if is_tool_leftover(leftover) and pid.isdigit() and not process_alive(int(pid)):
                shutil.rmtree(leftover, ignore_errors=True)
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    except OSError:  # a folder that cannot be written beside: anywhere will do
        return Path(tempfile.mkdtemp(prefix="smops-policy-verify-"))
    mark_output(folder)  # so that a killed verify's folder is told from a user's of the same name
    return folder


def compare_outputs(
    output: Path,
    expected: dict[str, str],
    content: Callable[[str], bytes | None],
    build: str,
    *,
    only: Iterable[str] | None = None,
) -> list[Problem]:
    """Every file of `output` that differs from `expected` (name → sha256), is missing or is extra, as
    problems; `content` reads the build's file, `build` says which build it is ("the build of …").
    `only`: the Site folders compared (with the files beside them); other folders are not looked at."""
    found = _entries(output)
    if only is not None:
        folders = set(only)
        found = {name: kind for name, kind in found.items() if "/" not in name or name.split("/", 1)[0] in folders}
    regular = [name for name in sorted(found.keys() & expected.keys()) if found[name] == "file"]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:  # hashlib lets go of the GIL
        digests = dict(zip(regular, pool.map(lambda name: _digest(output / name), regular, chunksize=64), strict=True))
    built_folders, found_folders = _folders(expected), _folders(found)
    problems: list[Problem] = []
    extra_folders: dict[str, int] = {}
    missing_folders: dict[str, list[str]] = {}
    for name in sorted(found.keys() | expected.keys()):
        where = str(output / name)
        if name not in found:
            missing_folders.setdefault(_new_folder(name, found_folders) or name, []).append(name)
        elif name not in expected:
            folder = _new_folder(name, built_folders)
            if folder:
                extra_folders[folder] = extra_folders.get(folder, 0) + 1
            else:
                problems.append(Problem(where, f"is not part of {build}", hint=HINT))
        elif name not in digests:
            kind = "a symbolic link" if found[name] == "link" else "not a regular file"
            problems.append(Problem(where, f"is {kind}, where {build} writes a file", hint=HINT))
        elif digests[name] != expected[name]:
            truth = content(name)
            details = (
                describe((output / name).read_bytes(), truth, name.endswith(".json"))
                if truth is not None
                else [
                    f"its sha256 is {digests[name]}, where the build's is {expected[name]} "
                    "(`verify --no-cache` shows what differs)"
                ]
            )
            problems += [Problem(where, f"differs from {build}: {detail}", hint=HINT) for detail in details]
    for folder, count in extra_folders.items():
        problems.append(
            Problem(f"{output / folder}/", f"is a folder {build} does not write ({_files(count)})", hint=HINT)
        )
    for folder, names in missing_folders.items():
        if len(names) == 1:
            problems.append(Problem(str(output / names[0]), f"is missing: {build} writes it", hint=HINT))
        else:  # a whole folder: named once
            message = f"is missing: {build} writes it ({_files(len(names))} in it)"
            problems.append(Problem(f"{output / folder}/", message, hint=HINT))
    problems.sort(key=lambda problem: problem.path)
    return problems


def _entries(root: Path) -> dict[str, str]:
    """Every file below `root` by name relative to it, and what it is: "file", "link" (which a build
    never writes; a linked folder is not followed) or "other". The kind comes with the folder listing:
    nothing is stat'ed."""
    found: dict[str, str] = {}
    folders = [(str(root), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.is_symlink():
                    found[prefix + entry.name] = "link"
                elif entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    found[prefix + entry.name] = "file" if entry.is_file(follow_symlinks=False) else "other"
    return found


def _folders(names: Iterable[str]) -> set[str]:
    """Every folder that holds one of `names` (at any depth)."""
    return {name.rsplit("/", i)[0] for name in names for i in range(1, name.count("/") + 1)}


def _new_folder(name: str, folders: set[str]) -> str:
    """The outermost folder of `name` that is not in `folders` ('' when its own folder is)."""
    parts = name.split("/")
    for end in range(1, len(parts)):
        folder = "/".join(parts[:end])
        if folder not in folders:
            return folder
    return ""


def _files(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def describe(mine: bytes, theirs: bytes, is_json: bool = False) -> list[str]:
    """What differs between a file and the one the build wrote, for a person: the keys of JSON, the
    first changed line of text, or the sizes and sha256 of anything else."""
    if not mine:
        return [f"is empty, where the build has {len(theirs)} bytes"]
    try:
        text, truth = mine.decode("utf-8"), theirs.decode("utf-8")
    except UnicodeDecodeError:
        return [
            f"{len(mine)} bytes with sha256 {hashlib.sha256(mine).hexdigest()}, where the build has "
            f"{len(theirs)} bytes with sha256 {hashlib.sha256(theirs).hexdigest()}"
        ]
    if is_json:
        with contextlib.suppress(ValueError):
            changes = list(_json_changes(json.loads(text), json.loads(truth), ""))
            if changes:
                more = len(changes) - _SHOWN
                return changes[:_SHOWN] + ([f"and {more} more difference{'s' if more > 1 else ''}"] if more > 0 else [])
    return [_text_change(text.splitlines(), truth.splitlines())]


def _json_changes(mine: Any, truth: Any, where: str) -> Iterator[str]:
    if isinstance(mine, dict) and isinstance(truth, dict):
        for key in [*truth, *(k for k in mine if k not in truth)]:
            here = f"{where}.{key}" if where else str(key)
            if key not in mine:
                yield f"{_shown(here)} is missing, where the build has {_value(truth[key])}"
            elif key not in truth:
                yield f"{_shown(here)} is {_value(mine[key])}, a key the build does not write"
            else:
                yield from _json_changes(mine[key], truth[key], here)
    elif isinstance(mine, list) and isinstance(truth, list) and len(mine) == len(truth):
        for index, (item, true_item) in enumerate(zip(mine, truth, strict=True)):
            yield from _json_changes(item, true_item, f"{where}[{index}]")
    elif isinstance(mine, list) and isinstance(truth, list):
        yield f"{_shown(where)} has {len(mine)} items, where the build has {len(truth)}"
    elif mine != truth or type(mine) is not type(truth):
        yield f"{_shown(where or '(the whole file)')} is {_value(mine)}, where the build has {_value(truth)}"


def _text_change(mine: list[str], truth: list[str]) -> str:
    """The first changed line, shown around where it changes, and how many changes there are."""
    changes = [
        op for op in difflib.SequenceMatcher(None, truth, mine, autojunk=False).get_opcodes() if op[0] != "equal"
    ]
    if not changes:  # only line endings differ
        return "its line endings differ from the build's"
    tag, old_start, _old_end, new_start, _new_end = changes[0]
    if tag == "replace":
        old, new = truth[old_start], mine[new_start]
        start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
        first = f"line {new_start + 1} has {_around(new, start)}, where the build has {_around(old, start)}"
    elif tag == "insert":
        first = f"line {new_start + 1} is not in the build: {_around(mine[new_start], 0)}"
    else:
        first = f"line {old_start + 1} of the build is missing here: {_around(truth[old_start], 0)}"
    more = len(changes) - 1
    return first + (f" (and {more} more changed passage{'s' if more > 1 else ''})" if more else "")


def _around(line: str, at: int, width: int = 70) -> str:
    """A piece of a line where it changes, quoted, with what a terminal would act on escaped."""
    start = max(at - 20, 0)
    piece = line[start : start + width]
    piece = ("…" if start else "") + piece + ("…" if start + width < len(line) else "")
    return '"' + _shown(piece.strip()) + '"'


def _shown(text: str) -> str:
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def _value(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return _shown(shown if len(shown) <= 80 else shown[:77] + "…")
