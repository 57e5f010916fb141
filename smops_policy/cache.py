"""A content-keyed cache of finished language builds, kept outside the output folder.

An entry is one `<site>/<lang>/` folder as mkdocs wrote it, stored under the sha256 of everything it
was made from (code, theme, mkdocs.yml, Site settings, the versions' hashes, the as-of date). Every
file of an entry is checked against the entry's manifest before use: a corrupt or foreign entry is
dropped and rebuilt, never trusted.
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

__all__ = ["BuildCache", "code_fingerprint", "tree_digests"]

_KEY = re.compile(r"^[0-9a-f]{64}$")
_TAG = "CACHEDIR.TAG"
_MANIFEST = "smops-manifest.json"
PACKAGE_DIR = Path(__file__).parent


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
    except OSError:  # another file system, or links not allowed there
        shutil.copy2(source, target)


def _digest(file: Path) -> str:
    return _digest_path(str(file))


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


def tree_digests(root: Path, expected: dict[str, str] | None = None) -> dict[str, str]:
    """Every file below `root` (names relative to it, with '/') → its sha256. With `expected`, a
    different set of names is returned as it is, unhashed: it can match nothing."""
    files = _files(str(root))
    if expected is not None and files.keys() != expected.keys():
        return dict.fromkeys(files, "")
    return {name: _digest_path(path) for name, path in files.items()}


class BuildCache:
    """Finished language builds by content key; `root` None disables caching."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self.dropped = 0  # entries found corrupt or foreign, and rebuilt

    @staticmethod
    def key(*parts: str) -> str:
        digest = hashlib.sha256(code_fingerprint().encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8"))
        return digest.hexdigest()

    def restore(self, key: str, dest: Path) -> bool:
        """Copy a verified entry to `dest`; False (and the entry gone) when it is missing or not sound."""
        if self.root is None:
            return False
        self.used.add(key)
        entry = self.root / key
        if not entry.exists():
            self.misses += 1
            return False
        try:
            manifest = json.loads((entry / _MANIFEST).read_text(encoding="utf-8"))
            files = _files(str(entry))
            files.pop(_MANIFEST, None)
            sound = (
                isinstance(manifest, dict)
                and manifest.keys() == files.keys()
                and all(_digest_path(path) == manifest[name] for name, path in files.items())
            )
        except (OSError, ValueError):
            sound = False
        if not sound:
            shutil.rmtree(entry, ignore_errors=True)
            self.dropped += 1
            self.misses += 1
            return False
        # Hard links, not copies: every file was just checked against its hash, and one edited in the
        # output later (same inode) fails that check next time, so the entry is dropped, not reused.
        made: set[str] = set()
        for name, path in files.items():
            target = os.path.join(dest, name)
            folder = os.path.dirname(target)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            _link_or_copy(path, target)
        self.hits += 1
        return True

    def store(self, key: str, built: Path) -> None:
        if self.root is None:
            return
        self.used.add(key)
        self.root.mkdir(parents=True, exist_ok=True)
        tag = self.root / _TAG
        if not tag.exists():
            tag.write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n# smops-policy build cache: safe to delete\n",
                encoding="utf-8",
            )
        staging = Path(tempfile.mkdtemp(prefix=".store-", dir=self.root))
        try:
            # Hard links again: a new file costs far more than a link (about 1 ms against 25 µs on the
            # benchmark machine), and the manifest below guards the entry as it guards a restore.
            shutil.copytree(built, staging / "entry", copy_function=_link_or_copy)
            manifest = {
                p.relative_to(staging / "entry").as_posix(): _digest(p)
                for p in sorted((staging / "entry").rglob("*"))
                if p.is_file()
            }
            (staging / "entry" / _MANIFEST).write_text(json.dumps(manifest, indent=0, sort_keys=True), encoding="utf-8")
            target = self.root / key
            shutil.rmtree(target, ignore_errors=True)
            (staging / "entry").rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def prune(self) -> None:
        """Drop the entries this build did not use, so the cache holds one build's worth."""
        if self.root is None or not (self.root / _TAG).exists():
            return
        for entry in self.root.iterdir():
            if entry.is_dir() and (
                entry.name.startswith(".store-") or (_KEY.match(entry.name) and entry.name not in self.used)
            ):
                shutil.rmtree(entry, ignore_errors=True)
