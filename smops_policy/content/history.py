"""Reading policy files and their history from git: the only module that imports gitpython.

History is what the first-parent chain of HEAD says (what `main` said, in the order it said it): one
`git log --first-parent -m -M` over `policies/` gives, for every commit on that chain, the state each
file was left in (a merge commit's own changes included, as a diff against its first parent). Renames
are followed; copies never are (a copied file is a new file: its history starts at its first commit).
One `GitHistory` per run keeps one `git cat-file --batch` process (gitpython's GitCmdObjectDB) for every
blob it reads, and runs that one `git log` for all policy files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import git

from smops_policy.errors import PolicyError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["GitHistory", "Removal", "Revision", "SourceRevision", "source_revisions"]

POLICIES = "policies/"
_NO_BLOB = "0" * 40


@dataclass(frozen=True, slots=True)
class Revision:
    """A file as one commit on the first-parent chain of HEAD left it."""

    commit: str
    committed: dt.datetime
    path: str
    data: bytes
    merge: bool = False  # a merge commit: reverting it takes `git revert -m 1`


@dataclass(frozen=True, slots=True)
class Removal:
    """The commit on the first-parent chain that removed (or renamed away) a file."""

    commit: str
    committed: dt.datetime
    renamed_to: str | None = None  # the file's new path, when it was renamed rather than removed
    merge: bool = False  # a merge commit: reverting it takes `git revert -m 1`


@dataclass(frozen=True, slots=True)
class _Change:
    status: str  # git's letter: A, M, T, D or R
    old: str  # the path before the commit (R only; else the path)
    path: str  # the path after the commit (for D: the path removed)
    blob: str


@dataclass(frozen=True, slots=True)
class _Commit:
    sha: str
    committed: dt.datetime
    changes: tuple[_Change, ...]
    merge: bool = False


def _head_sha(repo: git.Repo) -> str | None:
    """HEAD's commit id, or None before the first commit, read from the repository's files: asking git
    for HEAD's commit object (`repo.head.commit`) would start a `git cat-file --batch-check` process
    for every command only for that."""
    try:
        return str(git.SymbolicReference.dereference_recursive(repo, "HEAD"))
    except ValueError:  # an unborn branch: HEAD names a ref that does not exist yet
        return None


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
        head = _head_sha(self.repo)
        if head is None:
            raise PolicyError.at(
                root, "has no commits yet", hint="commit the policies first (git add policies && git commit)"
            )
        self.head = head
        self._working_dir = Path(self.repo.working_tree_dir or root)
        self._chain: list[_Commit] | None = None

    def close(self) -> None:
        self.repo.close()

    def __enter__(self) -> GitHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def committed_file(self, path: str) -> bytes | None:
        """The file as HEAD has it, or None when HEAD has no such file: one question to the long-lived
        `git cat-file --batch` (`HEAD:path`), not one per folder on the way."""
        try:
            _sha, kind, _size, data = self.repo.git.get_object_data(f"{self.head}:{path}")
        except ValueError:  # "missing", or a name with a line break (gitpython never asks git for it)
            return None
        kind_name = kind.decode() if isinstance(kind, bytes) else kind  # bytes, whatever gitpython declares
        return bytes(data) if kind_name == "blob" else None

    def working_file(self, path: str) -> bytes | None:
        file = self._working_dir / path
        return file.read_bytes() if file.is_file() else None

    def revisions(self, path: str, *, before: str | None = None) -> list[Revision]:
        """Each state of the file at HEAD along the first-parent chain, oldest first: every commit on
        that chain (merges included) that left it different from the commit before. Renames are
        followed back; the history ends at the commit that added the file (a copy is a new file),
        unless an earlier commit had removed a file at that same path: then it goes on before that.
        With `before` (a commit on the chain), the file as it stood just before that commit."""
        name = path
        found: list[tuple[_Commit, _Change]] = []
        chain = self._first_parent_chain()
        if before is not None:
            chain = chain[next((i + 1 for i, c in enumerate(chain) if c.sha == before), len(chain)) :]
        added = False  # the state just found is where the file was added at `name`
        for commit in chain:
            change = next((c for c in commit.changes if c.path == name and c.status != "D"), None)
            if change is None:
                if added and any(c.status == "D" and c.path == name for c in commit.changes):
                    # Removed, then added back at the same path (`git revert` of the removal, as
                    # check's hint says): the same file, whose permalinks were published already.
                    added = False
                    continue
                if any(c.status in "DR" and c.old == name for c in commit.changes):
                    break  # removed here, so absent after it: not the file HEAD has
                continue
            found.append((commit, change))
            added = change.status == "A"
            name = change.old
        found.reverse()
        return [
            Revision(commit.sha, commit.committed, change.path, self._blob(change.blob), commit.merge)
            for commit, change in found
        ]

    def removal(self, path: str) -> Removal | None:
        """The newest commit on the first-parent chain that removed `path` or renamed it away."""
        for commit in self._first_parent_chain():
            for change in commit.changes:
                if change.status == "D" and change.path == path:
                    return Removal(commit.sha, commit.committed, merge=commit.merge)
                if change.status == "R" and change.old == path:
                    return Removal(commit.sha, commit.committed, change.path, commit.merge)
        return None

    def _blob(self, sha: str) -> bytes:
        return bytes(self.repo.odb.stream(bytes.fromhex(sha)).read())

    def _first_parent_chain(self) -> list[_Commit]:
        """Every commit on the first-parent chain of HEAD that changed something under policies/,
        newest first, with its changes against its first parent (one `git log` for all files)."""
        if self._chain is not None:
            return self._chain
        try:
            out = self.repo.git.log(
                "-z",
                "--first-parent",
                "-m",  # a merge commit's changes, as a diff against its first parent
                "-M",  # renames, never copies (-C): a copied file starts its own history
                "--raw",
                "--no-abbrev",
                "--no-color",
                "--no-show-signature",  # whatever the user's git config says
                "--format=%x01%H %ct %P",
                "HEAD",
                "--",
                POLICIES,
            )
        except git.GitCommandError as exc:
            # gitpython quotes git's own lines as "stderr: '...'": said as one line, without the quoting
            said = str(exc.stderr).strip().removeprefix("stderr: '").removesuffix("'")
            raise PolicyError.at(
                POLICIES,
                f"git could not read its history: {'; '.join(line.strip() for line in said.splitlines())}",
                hint="check that the repository is intact (git fsck)",
            ) from None
        self._chain = [_parse_commit(entry) for entry in out.split("\x01")[1:]]
        return self._chain

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


def _parse_commit(entry: str) -> _Commit:
    """One commit of `git log -z --raw --format=%x01%H %ct %P`: its header, then NUL-separated fields."""
    header, _, rest = entry.partition("\x00")
    sha, timestamp, *parents = header.split()
    fields = list(rest.lstrip("\n").split("\x00"))
    changes: list[_Change] = []
    index = 0
    while index < len(fields):
        meta = fields[index].strip("\n")
        index += 1
        if not meta.startswith(":"):
            continue
        parts = meta.split()
        blob, status = parts[3], parts[4][0]
        if status in "RC":
            old, new = fields[index], fields[index + 1]
            index += 2
        else:
            old = new = fields[index]
            index += 1
        if status == "C":  # only with copy detection, which is never asked for: a copy is a new file
            status, old = "A", new
        changes.append(_Change(status, old, new, blob if blob != _NO_BLOB else ""))
    committed = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
    return _Commit(sha, committed, tuple(changes), len(parents) > 1)


# ----------------------------------------------------------------- a policy kept in another repository


@dataclass(frozen=True, slots=True)
class SourceRevision:
    """A file of another repository as one commit of its first-parent chain left it (for import)."""

    commit: str
    path: str  # the file's name in that commit
    authored: dt.datetime  # with the commit's own UTC offset
    committed: dt.datetime
    message: str
    data: bytes


def source_revisions(root: Path, path: str) -> list[SourceRevision]:
    """Each state of `path` along the first-parent chain of HEAD in the repository at `root`, oldest
    first, renames followed: those the first-parent diff shows, and those a merged branch made (a
    merge's diff against its first parent may show a file renamed and rewritten on the branch as a
    new file; the branch's own commits show the rename)."""
    try:
        repo = git.Repo(root, odbt=git.GitCmdObjectDB)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise PolicyError.at(
            root, "is not a git repository", hint="pass --from the folder of a clone of the policy's repository"
        ) from None
    with repo:
        if Path(repo.git_dir) == Path(root).resolve() and not repo.bare:
            # A bare repository without a config file (some mirrors): gitpython takes its parent for
            # a work tree and runs git there; git finds the repository only when told where it is.
            repo.git.update_environment(GIT_DIR=repo.git_dir)
        if Path(repo.git_dir, "shallow").exists():
            raise PolicyError.at(
                root, "is a shallow clone: its older versions are missing", hint="run 'git fetch --unshallow' there"
            )
        if not repo.head.is_valid():
            raise PolicyError.at(root, "has no commits", hint="pass --from a repository with the policy's history")
        try:
            repo.head.commit.tree / path  # the lookup is the check
        except KeyError:
            raise PolicyError.at(
                f"{root}/{path}",
                "is not a file in that repository's HEAD",
                hint="pass --file the path inside the repository, e.g. privacy/index.md (git -C REPO ls-files)",
            ) from None
        out = repo.git.log(
            "-z", "--first-parent", "-m", "-M", "--raw", "--no-abbrev", "--no-color", "--no-show-signature",
            "--format=%x01%H %ct %P", "HEAD",
        )  # fmt: skip
        found: list[tuple[str, str, str]] = []  # (commit, path, blob)
        name = path
        for commit in (_parse_commit(entry) for entry in out.split("\x01")[1:]):
            change = next((c for c in commit.changes if c.path == name and c.status != "D"), None)
            if change is None:
                continue
            found.append((commit.sha, change.path, change.blob))
            if change.status == "R":
                name = change.old
            elif change.status == "A":
                before = _renamed_on_branch(repo, commit.sha, name) if commit.merge else None
                if before is None:
                    break  # the file starts here
                name = before
        found.reverse()
        revisions = []
        for sha, name, blob in found:
            meta = repo.commit(sha)
            message = meta.message if isinstance(meta.message, str) else meta.message.decode("utf-8", "replace")
            data = bytes(repo.odb.stream(bytes.fromhex(blob)).read())
            revisions.append(SourceRevision(sha, name, meta.authored_datetime, meta.committed_datetime, message, data))
        return revisions


def _renamed_on_branch(repo: git.Repo, merge: str, name: str) -> str | None:
    """The name a file added by `merge` had at its first parent, if the merged branch renamed it."""
    # -z: paths as they are (without it git quotes a name with a non-ASCII character or a tab)
    out = repo.git.log("-z", "--follow", "-M", "--name-status", "--format=", f"{merge}^1..{merge}", "--", name)
    fields = out.split("\x00")
    entries: list[list[str]] = []
    index = 0
    while index < len(fields):
        status = fields[index].strip("\n")
        paths = 2 if status[:1] in ("R", "C") else 1
        if status:
            entries.append([status, *fields[index + 1 : index + 1 + paths]])
            index += paths
        index += 1
    if not entries:
        return None
    oldest = entries[-1]
    before = oldest[1] if oldest[0].startswith("R") else oldest[-1]
    if before == name or oldest[0] == "A":
        return None
    try:
        repo.commit(f"{merge}^1").tree / before  # the lookup is the check
    except KeyError:
        return None
    return str(before)
