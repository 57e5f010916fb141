"""A content-keyed cache of finished language builds, kept outside the output folder.

An entry is one `<site>/<lang>/` folder as mkdocs wrote it, recorded under the sha256 of everything it
was made from (code, theme, mkdocs.yml, Site settings, the versions' hashes, the as-of date) as a list
of its files and their sha256. The files themselves are kept once each, by content, in `objects/`,
as hard links to the files a build wrote: the theme's scripts and styles, the same in every language
build, are stored once, and storing an entry creates no folders. Every object is checked against its
name before use: an entry with a corrupt or missing object is dropped and rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from smops_policy.build.folders import is_our_cache

__all__ = ["BuildCache", "code_fingerprint", "tree_digests"]

_KEY = re.compile(r"^[0-9a-f]{64}$")
_OBJECTS = "objects"
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # smops_policy/


@functools.cache
def code_fingerprint() -> str:
    """What the output depends on besides the content: this package, its theme files and versions."""
    digest = hashlib.sha256()
    for name in ("mkdocs", "mkdocs-material", "markdown-it-py", "babel", "jinja2", "markdown", "pyyaml"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{name}={metadata.version(name)}\n".encode())
    roots = [PACKAGE_DIR, PACKAGE_DIR.parent / "overrides"]
    for root in roots:
        if not root.is_dir():
            continue
        for file in sorted(root.rglob("*")):
            if file.is_file() and file.suffix in {".py", ".po", ".html", ".css", ".js", ".svg"}:
                digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:  # another file system, or links not allowed there
        shutil.copy2(source, target)


def _digest_path(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _files(root: str) -> dict[str, str]:
    """Every file below `root`: its name relative to `root` (with '/') → its path."""
    found: dict[str, str] = {}
    for folder, _dirs, names in os.walk(root):
        relative = os.path.relpath(folder, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        for name in names:
            found[prefix + name] = os.path.join(folder, name)
    return found


def tree_digests(
    root: Path, expected: dict[str, str] | None = None, known: dict[str, str] | None = None
) -> dict[str, str]:
    """Every file below `root` (names relative to it, with '/') → its sha256. With `expected`, a
    different set of names is returned as it is, unhashed: it can match nothing. `known`: digests
    already taken of files just written (not read again)."""
    files = _files(str(root))
    if expected is not None and files.keys() != expected.keys():
        return dict.fromkeys(files, "")
    known = known or {}
    return {name: known.get(name) or _digest_path(path) for name, path in files.items()}


class BuildCache:
    """Finished language builds by content key; `root` None disables caching."""

    def __init__(self, root: Path | None, *, restore_files: bool = True) -> None:
        self.root = root
        # False: `restore` records an entry's files and digests in `written` and writes none of them
        # (a build whose output is only compared, by digest, with another: `verify`)
        self.restore_files = restore_files
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self.dropped = 0  # entries found unsound (an object corrupt or missing), and rebuilt
        self._sound: set[str] = set()  # objects checked in this run
        # what each folder restored or stored in this run holds (name → sha256), so that whoever needs
        # the digests of the output (its stamp) need not read those files again
        self.written: dict[str, dict[str, str]] = {}

    @staticmethod
    def key(*parts: str) -> str:
        digest = hashlib.sha256(code_fingerprint().encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8"))
        return digest.hexdigest()

    def _object(self, sha: str) -> str:
        assert self.root is not None
        return os.path.join(self.root, _OBJECTS, sha)

    def _is_sound(self, sha: str) -> bool:
        if sha in self._sound:
            return True
        try:
            sound = _KEY.match(sha) is not None and _digest_path(self._object(sha)) == sha
        except OSError:
            return False
        if not sound:
            with contextlib.suppress(OSError):
                os.unlink(self._object(sha))  # edited where it was linked, or damaged: never again
            return False
        self._sound.add(sha)
        return True

    def restore(self, key: str, dest: Path) -> bool:
        """Link a verified entry's files into `dest`; False (and the entry gone) when it is missing or
        not sound."""
        if self.root is None:
            return False
        self.used.add(key)
        entry = self.root / f"{key}.json"
        try:
            files = json.loads(entry.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.misses += 1
            return False
        except (OSError, ValueError):
            files = None
        if not self.restore_files and isinstance(files, dict) and all(_listed(item) for item in files.items()):
            dest.mkdir(parents=True, exist_ok=True)  # for the Site's own files in it (feed, banner)
            self.written[str(dest)] = files
            self.hits += 1
            return True
        sound = (
            isinstance(files, dict)
            and all(isinstance(sha, str) and _safe_name(name) for name, sha in files.items())
            and all(self._is_sound(sha) for sha in set(files.values()))
        )
        if not sound:
            entry.unlink(missing_ok=True)
            self.dropped += 1
            self.misses += 1
            return False
        # Hard links, not copies: every object was just checked against its name, and one edited in
        # the output later (same inode) fails that check next time, so it is dropped, not reused.
        made: set[str] = set()
        for name, sha in files.items():
            target = os.path.join(dest, name)
            folder = os.path.dirname(target)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            _link_or_copy(self._object(sha), target)
        self.written[str(dest)] = files
        self.hits += 1
        return True

    @staticmethod
    def object_path(root: Path, sha: str) -> Path | None:
        """Where the cache in `root` keeps the file with this sha256, if it does."""
        path = root / _OBJECTS / sha
        return path if _KEY.match(sha) and path.is_file() else None

    def digests_below(self, root: Path) -> dict[str, str]:
        """The digests this run took of files below `root` (names relative to it, with '/')."""
        found: dict[str, str] = {}
        for folder, files in self.written.items():
            relative = os.path.relpath(folder, root).replace(os.sep, "/")
            if relative == ".." or relative.startswith("../"):
                continue
            prefix = "" if relative == "." else relative + "/"
            found.update((prefix + name, sha) for name, sha in files.items())
        return found

    def store(self, key: str, built: Path) -> None:
        """Record what a language build wrote: each file kept once by its content, then the entry."""
        if self.root is None:
            return
        self.used.add(key)
        objects = self.root / _OBJECTS
        objects.mkdir(parents=True, exist_ok=True)  # in a folder claim_cache made ours (and tagged)
        files = self.written[str(built)] = tree_digests(built)
        for name, sha in files.items():
            if sha in self._sound or os.path.exists(self._object(sha)):
                continue  # kept already (an object found damaged later is dropped, then kept anew)
            with contextlib.suppress(FileExistsError):  # another worker kept the same content first
                _link_or_copy(os.path.join(built, name), self._object(sha))
                self._sound.add(sha)  # it is the file just hashed
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".store-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(files, file, indent=0, sort_keys=True)
        os.replace(temporary, self.root / f"{key}.json")  # the entry appears whole, or not at all

    def prune(self) -> None:
        """Drop the entries this build did not use, and the objects no entry left needs, so the cache
        holds one build's worth."""
        if self.root is None or not self.restore_files or not is_our_cache(self.root):
            return  # never clear another tool's folder; a verify leaves the cache as the last build left it
        needed: set[str] = set()
        for entry in self.root.iterdir():
            stem = entry.name.removesuffix(".json")
            if entry.name.startswith(".store-"):
                _remove(entry)  # a store cut short
            elif _KEY.match(stem) and entry.suffix == ".json":
                if stem not in self.used:
                    entry.unlink(missing_ok=True)
                    continue
                with contextlib.suppress(OSError, ValueError, AttributeError):
                    needed.update(json.loads(entry.read_text(encoding="utf-8")).values())
        objects = self.root / _OBJECTS
        if objects.is_dir():
            for item in objects.iterdir():
                if item.name not in needed:
                    item.unlink(missing_ok=True)


def _listed(item: tuple[object, object]) -> bool:
    """A file of an entry: a safe name and a sha256."""
    return _safe_name(item[0]) and isinstance(item[1], str) and _KEY.match(item[1]) is not None


def _safe_name(name: object) -> bool:
    """A path inside the entry's folder (a manifest never writes outside where it is restored)."""
    if not isinstance(name, str) or not name or name.startswith("/") or "\\" in name:
        return False
    return all(part not in {"", ".", ".."} for part in name.split("/"))


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
