"""Reading policy files and their history from git: the only module that imports gitpython.

One `GitHistory` per run keeps one `git cat-file --batch` process (gitpython's GitCmdObjectDB) for
every blob it reads, and one `git log` per policy file, never a process per version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import git

from .errors import PolicyError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["GitHistory", "Revision"]


@dataclass(frozen=True, slots=True)
class Revision:
    """A file as one commit left it."""

    commit: str
    committed: dt.datetime
    path: str
    data: bytes


class GitHistory:
    """The committed history of a policy repository (and, for drafts, its working tree)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            self.repo = git.Repo(root, odbt=git.GitCmdObjectDB)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise PolicyError.at(
                root,
                "is not a git repository",
                hint="run smops-policy in a clone of the policy repository, or pass --repo PATH",
            ) from None
        if Path(self.repo.git_dir, "shallow").exists():
            raise PolicyError.at(
                root,
                "is a shallow clone: older versions of the policies are missing from its history",
                hint="fetch the full history with 'git fetch --unshallow' (in CI: actions/checkout with fetch-depth: 0)",
            )
        if not self.repo.head.is_valid():
            raise PolicyError.at(
                root, "has no commits yet", hint="commit the policies first (git add policies && git commit)"
            )
        self.head = self.repo.head.commit.hexsha
        self._working_dir = Path(self.repo.working_tree_dir or root)

    def close(self) -> None:
        self.repo.close()

    def __enter__(self) -> GitHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self._working_dir.resolve()).as_posix()

    def committed_file(self, path: str) -> bytes | None:
        """The file as HEAD has it, or None when HEAD has no such file."""
        try:
            blob = self.repo.head.commit.tree / path
        except KeyError:
            return None
        return bytes(self.repo.odb.stream(blob.binsha).read())

    def working_file(self, path: str) -> bytes | None:
        file = self._working_dir / path
        return file.read_bytes() if file.is_file() else None

    def revisions(self, path: str) -> list[Revision]:
        """Every commit that changed the file, oldest first, following renames of it or its folder."""
        try:
            out = self.repo.git.log(
                "--follow", "--raw", "--no-abbrev", "--no-color", "--format=%x00%H %ct", "HEAD", "--", path
            )
        except git.GitCommandError as exc:
            raise PolicyError.at(
                path,
                f"git could not read its history: {exc.stderr.strip()}",
                hint="check that the repository is intact (git fsck)",
            ) from None
        found: list[tuple[str, dt.datetime, str, str]] = []
        for entry in out.split("\x00")[1:]:
            lines = [line for line in entry.split("\n") if line]
            sha, timestamp = lines[0].split()
            committed = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
            for raw in lines[1:]:
                if not raw.startswith(":"):
                    continue
                meta, *paths = raw.split("\t")
                fields = meta.split()
                blob, status = fields[3], fields[4]
                if status.startswith("D"):
                    continue
                found.append((sha, committed, paths[-1], blob))
                break
        found.reverse()
        return [
            Revision(sha, when, file, bytes(self.repo.odb.stream(bytes.fromhex(blob)).read()))
            for sha, when, file, blob in found
        ]

    # ----------------------------------------------------------------- comparing HEAD with a base

    def merge_base(self, refs: Sequence[str]) -> tuple[str, str]:
        """The commit where HEAD left the first of `refs` git knows, and that ref; PolicyError if none."""
        for ref in refs:
            try:
                target = self.repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")
            except git.GitCommandError:
                continue
            try:
                return self.repo.git.merge_base(target, "HEAD"), ref
            except git.GitCommandError:
                raise PolicyError.at(
                    self.root,
                    f"{ref} and HEAD have no commit in common",
                    hint="pass --base with a branch this branch was made from",
                ) from None
        names = " nor ".join(refs)
        raise PolicyError.at(
            self.root,
            f"no base to compare with: git knows neither {names}" if len(refs) > 1 else f"git knows no {names}",
            hint="pass --base REF (a branch, tag or commit; in CI fetch it first, e.g. fetch-depth: 0)",
        )

    def changed_since(self, base: str, under: str) -> list[str]:
        """The files under `under` that differ between `base` and HEAD (renames as delete + add)."""
        out = self.repo.git.diff("--no-renames", "--name-only", "--no-color", base, "HEAD", "--", under)
        return sorted(line for line in out.splitlines() if line)

    def commits_since(self, base: str) -> set[str]:
        """The commits HEAD has and `base` has not (those of a pull request)."""
        out = self.repo.git.rev_list(f"{base}..HEAD")
        return set(out.split())
