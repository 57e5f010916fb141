"""`smops-policy import`: bring a policy's existing history from another git repository.

The source file's states along the first-parent chain of its repository's HEAD (renames followed)
become versions (content/imported.py says how); each is written as one commit of
`policies/<policy>/<lang>.md`, with the source commit's author and committer dates. Everything is
read and checked before anything is written; the commits are made aside (a temporary index,
`git commit-tree`) and the branch is moved once, at the end, so a failure midway leaves the
repository as it was.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from smops_policy import i18n
from smops_policy.content.document import read_policy_text
from smops_policy.content.gitcmd import GitFailed, git_output, git_run, work_tree_top
from smops_policy.content.history import source_revisions
from smops_policy.content.imported import (
    PlannedVersion,
    SourceState,
    plan_versions,
    policy_file,
    read_source_text,
    read_version_map,
)
from smops_policy.content.project import SITES_FILE, policy_path
from smops_policy.content.sites import LANGUAGE, MAX_ID, POLICY_ID, read_publisher
from smops_policy.errors import PolicyError

if TYPE_CHECKING:
    import datetime as dt

    from smops_policy.model import Publisher

__all__ = ["ImportPlan", "ImportRequest", "Imported", "describe", "next_steps", "plan_import", "write_import"]

_NO_COMMIT = "0" * 40


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """What the user asked for: which file of which repository, as which policy and language."""

    repo: Path  # this policy repository
    source: Path  # the repository the policy comes from
    file: str  # the file's path in that repository
    policy: str
    lang: str
    versions_file: Path | None = None  # source commit -> version number (see read_version_map)


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import makes, read and checked; nothing written yet."""

    request: ImportRequest
    target: str  # policies/<policy>/<lang>.md
    states: int  # source commits that changed the file
    versions: tuple[PlannedVersion, ...]
    publisher: Publisher
    files: tuple[str, ...]  # the text of the policy file at each version


@dataclass(frozen=True, slots=True)
class Imported:
    """The commits an import made, oldest first, and where the branch stood before."""

    commits: tuple[str, ...]
    before: str | None  # None: the branch had no commit yet
    target: str

    @property
    def undo(self) -> str:
        """The git command that takes the import back (the working tree was clean before it)."""
        if self.before:
            return f"git reset --keep {self.before[:12]}"
        return f"git update-ref -d HEAD && git rm --cached -q {self.target}"


def plan_import(request: ImportRequest) -> ImportPlan:
    """Read the source's history and this repository; refuse, with what to do, anything that would
    overwrite or mix with work here. Writes nothing."""
    target = policy_path(request.policy, request.lang)
    _check_names(request, target)
    repo = request.repo
    top = work_tree_top(repo)
    if top is None or top != repo.resolve():
        where = f"is inside the git work tree {top}" if top else "is not a git work tree"
        raise PolicyError.at(repo, where, hint="pass --repo the top folder of the policy repository (git init first)")
    sites = repo / SITES_FILE
    if not sites.is_file():
        raise PolicyError.at(SITES_FILE, "does not exist", hint="create it first: see the README's content format")
    publisher = read_publisher(sites.read_bytes(), SITES_FILE)
    _refuse_existing(repo, target)
    _refuse_dirty(repo)
    mapping = None
    if request.versions_file is not None:
        try:
            data = request.versions_file.read_bytes()
        except OSError as exc:
            raise PolicyError.at(
                request.versions_file, f"cannot be read: {exc.strerror}", hint="pass --versions an existing file"
            ) from None
        mapping = read_version_map(data, str(request.versions_file))
    revisions = source_revisions(request.source, request.file)
    states = [
        SourceState(
            r.commit,
            r.path,
            r.authored,
            r.committed,
            r.message,
            read_source_text(r.data, f"{request.source}/{r.path} (commit {r.commit[:12]})"),
        )
        for r in revisions
    ]
    versions = plan_versions(
        states,
        lang=request.lang,
        timezone=publisher.timezone,
        mapping=mapping,
        mapping_path=str(request.versions_file or ""),
        default_title=request.policy,
    )
    files = tuple(policy_file(version) for version in versions)
    for text in files:  # what we write must read back as a policy file (its front matter)
        read_policy_text(text.encode("utf-8"), target)
    return ImportPlan(request, target, len(states), tuple(versions), publisher, files)


def _check_names(request: ImportRequest, target: str) -> None:
    if not POLICY_ID.fullmatch(request.policy) or len(request.policy) > MAX_ID:
        raise PolicyError.at(
            target,
            f"--policy {request.policy!r} is not a policy id",
            hint=f"use lowercase letters, digits and '-', at most {MAX_ID} characters, e.g. privacy",
        )
    if not LANGUAGE.fullmatch(request.lang) or not i18n.is_known_language(request.lang):
        raise PolicyError.at(target, f"--lang {request.lang!r} is not a language code", hint="use e.g. en, nl or pt-BR")


def _refuse_existing(repo: Path, target: str) -> None:
    # git would replace a file standing where the policy's folder goes, untracked or not
    for folder in Path(target).parents:
        if (repo / folder).exists() and not (repo / folder).is_dir():
            raise PolicyError.at(
                folder,
                f"is a file where the import needs a folder for {target}",
                hint="move that file away (or import under another --policy id)",
            )
    if (repo / target).exists():
        raise PolicyError.at(
            target,
            f"exists already: import makes a policy's whole history and never writes over one ({target})",
            line=1,
            hint="import under another --policy id, or remove the file (git rm) if it is not yours to keep",
        )
    earlier = git_output(repo, "log", "-1", "--format=%H", "HEAD", "--", target)
    if earlier and earlier.strip():
        raise PolicyError.at(
            target,
            f"had a policy already, removed in commit {earlier.strip()[:12]}",
            hint="import under another --policy id: a file added back at this path would go on with that history",
        )


def _refuse_dirty(repo: Path) -> None:
    status = git_output(repo, "status", "--porcelain", "--untracked-files=no")
    if status is None:
        raise PolicyError.at(repo, "git cannot read its status", hint="check that the repository is intact (git fsck)")
    if status.strip():
        changed = ", ".join(line[3:] for line in status.splitlines()[:5])
        raise PolicyError.at(
            repo,
            f"has uncommitted changes ({changed}): import makes commits and must start from a clean working tree",
            hint="commit those changes first (or set them aside), then import",
        )


def describe(plan: ImportPlan, *, done: bool) -> list[str]:
    """What the import makes (`done`: made), one version per line with where its date came from."""
    request = plan.request
    same = plan.states - len(plan.versions)
    verb = "imported" if done else "would import"
    lines = [
        f"{verb} {request.file} from {request.source} into {plan.target}: {len(plan.versions)} versions from "
        f"{plan.states} commits that changed it"
        + (f" ({same} changed only whitespace or the source's own front matter)" if same else ""),
    ]
    width = max((len(v.number) for v in plan.versions), default=3)
    for version in plan.versions:
        state = version.state
        lines.append(
            f"  {version.number:<{width}}  effective {version.effective.date}  from {state.commit[:12]} "
            f"({state.path}, {state.committed.date()})  {version.summary}"
        )
        lines.append(f"  {'':<{width}}  effective date from {version.effective.source}")
        if version.effective.fallback:
            lines.append(f"  {'':<{width}}  note: {version.effective.fallback}")
        if version.folded:
            folded = ", ".join(commit[:12] for commit in version.folded)
            lines.append(f"  {'':<{width}}  then {folded}: the same title and text, whitespace aside: no new version")
    if not done:
        lines.append("nothing was written (--dry-run)")
    return lines


def next_steps(plan: ImportPlan) -> list[str]:
    """What the user must still do for a Site to publish the policy."""
    policy, lang, publisher = plan.request.policy, plan.request.lang, plan.publisher
    publishing = [s.id for s in publisher.sites if policy in s.policies and lang in s.languages]
    if publishing:
        return [f"Sites {', '.join(publishing)} publish '{policy}' in '{lang}': run smops-policy check, then build"]
    lines = [
        f"no Site publishes it yet: in {SITES_FILE}, add '{policy}' to the policies of each Site that publishes it"
        f" (and '{lang}' to its languages), commit, then run smops-policy check, e.g.",
        "  sites:",
    ]
    site = publisher.sites[0] if publisher.sites else None
    if site is not None:
        languages = list(dict.fromkeys([*site.languages, lang]))
        lines += [
            f"    {site.id}:",
            f"      languages: [{', '.join(languages)}]",
            f"      policies: [{', '.join([*site.policies, policy])}]",
        ]
    if lang != publisher.source_language:
        lines.append(
            f"note: '{lang}' is not the source language ({publisher.source_language}) of {SITES_FILE}: a translation's "
            f"versions must be numbers of the {publisher.source_language} text's versions (use --versions to say which)"
        )
    return lines


def write_import(plan: ImportPlan) -> Imported:
    """Make one commit per version, dated as its source commit, then move the branch to the last
    one and write the file into the working tree. Before the branch moves nothing is visible; a
    failure after it says how to finish or undo."""
    repo = plan.request.repo
    before = git_output(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    before = before.strip() if before and before.strip() else None
    commits: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="smops-import-") as scratch:
            index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            git_run(repo, "read-tree", *([before] if before else ["--empty"]), env=index)
            parent = before
            for version, text in zip(plan.versions, plan.files, strict=True):
                blob = git_run(repo, "hash-object", "-w", "--stdin", stdin=text.encode("utf-8"))
                git_run(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},{plan.target}", env=index)
                tree = git_run(repo, "write-tree", env=index)
                dates = {
                    "GIT_AUTHOR_DATE": _git_date(version.state.authored),
                    "GIT_COMMITTER_DATE": _git_date(version.state.committed),
                }
                message = _message(plan, version).encode("utf-8")
                parents = ["-p", parent] if parent else []
                parent = git_run(repo, "commit-tree", tree, *parents, "-F", "-", env=dates, stdin=message)
                commits.append(parent)
    except GitFailed as exc:
        raise PolicyError.at(
            plan.request.repo,
            f"git could not make the import's commits ({exc.command}: {exc.message})",
            hint="nothing was written: the branch and the working tree are as they were; fix what git says and "
            "import again",
        ) from None
    try:
        git_run(
            repo,
            "update-ref",
            "-m",
            f"smops-policy import: {plan.target}",
            "HEAD",
            commits[-1],
            before or _NO_COMMIT,
        )
    except GitFailed as exc:
        raise PolicyError.at(
            plan.request.repo,
            f"git could not move the branch to the import's commits ({exc.message})",
            hint="nothing was written: the branch is as it was (did another commit come in meanwhile?); import again",
        ) from None
    try:
        git_run(repo, "checkout", "HEAD", "--", plan.target)
    except GitFailed as exc:
        undo = Imported(tuple(commits), before, plan.target).undo
        raise PolicyError.at(
            plan.target,
            f"the branch has the import's {len(commits)} commits, but git could not write the file into the working "
            f"tree ({exc.message})",
            hint=f"run 'git checkout HEAD -- {plan.target}' to finish, or '{undo}' to undo the import",
        ) from None
    return Imported(tuple(commits), before, plan.target)


def _git_date(moment: dt.datetime) -> str:
    """git's own '<seconds> +hhmm' form, keeping the source commit's UTC offset."""
    return f"{int(moment.timestamp())} {moment.strftime('%z') or '+0000'}"


def _message(plan: ImportPlan, version: PlannedVersion) -> str:
    request, state = plan.request, version.state
    lines = [
        version.summary,
        "",
        f"Imported by smops-policy import as {request.policy} {version.number} ({request.lang}), "
        f"effective {version.effective.date} (from {version.effective.source}).",
        f"Source: {state.path} at commit {state.commit} of {request.source.name or request.source}.",
    ]
    if version.folded:
        lines.append(f"The same title and text, whitespace aside, in: {', '.join(version.folded)}.")
    return "\n".join(lines) + "\n"
