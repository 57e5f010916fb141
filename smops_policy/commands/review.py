"""`smops-policy review`: what a branch changes in the policies, as a pull request's reviewer needs it.

For every policy file that differs between the base (where HEAD left it) and HEAD: the new or changed
versions with their effective dates and notice, and per Site and language the redline as that Site
reads it, in GitHub-flavoured Markdown; then everything `check` reports. Sized for a PR comment or a
job summary: what does not fit is cut at a clause, with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from smops_policy import i18n
from smops_policy.commands.check import check_repository, notice_given
from smops_policy.commands.diff import compare_versions
from smops_policy.compare.diff import diff_documents, summary_line
from smops_policy.compare.gfm import Budget, html_text, md_code, md_text, redline_chunks
from smops_policy.content.document import Document, fill_document, select_site_passages, structure
from smops_policy.content.history import GitHistory
from smops_policy.content.project import load_project, policy_path, versions_from_revisions
from smops_policy.errors import PolicyError, Problems

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from smops_policy.compare.diff import DocumentDiff
    from smops_policy.content.project import Project
    from smops_policy.errors import Problem
    from smops_policy.model import Correction, PolicyHistory, Publisher, Site, Version

__all__ = [
    "COMMENT_LIMIT",
    "DEFAULT_BASES",
    "MIN_SIZE",
    "ChangedVersion",
    "Review",
    "render_review",
    "review_repository",
]

# Where a branch is compared from when no --base is given: the main branch as fetched, else the local one.
DEFAULT_BASES = ("origin/main", "main")
# GitHub refuses a pull request comment over 65,536 characters (a job summary may hold 1 MiB).
COMMENT_LIMIT = 65_536
# The smallest size a review can be cut to: its heading, the check's verdict and the note always fit.
MIN_SIZE = 2_048
_CLOSE = "</details>\n"


@dataclass(frozen=True)
class ChangedVersion:
    """A version the branch adds (`before` is the version it follows) or changes in place (`before` is
    the same version as the base has it)."""

    history: PolicyHistory
    version: Version
    before: Version | None
    in_place: bool

    @property
    def corrections(self) -> tuple[Correction, ...]:
        """The translation corrections the branch adds to a version in force."""
        known = len(self.before.corrections) if self.in_place and self.before is not None else 0
        return self.version.corrections[known:] if self.in_place else ()


@dataclass(frozen=True)
class Review:
    base_ref: str
    base: str  # the commit HEAD left base_ref at (their merge base)
    head: str
    today: dt.date
    problems: tuple[Problem, ...]
    strict: bool
    project: Project | None  # the committed project at HEAD, None when it cannot be read at all
    changed_files: tuple[str, ...]  # under policies/, between base and HEAD
    versions: tuple[ChangedVersion, ...]

    @property
    def failed(self) -> bool:
        """Whether `check` (with --strict: warnings too) fails."""
        return any(not p.warning or self.strict for p in self.problems)

    @property
    def effective_dates(self) -> list[dt.date]:
        """The dates on which the reviewed versions take effect, each once, in order."""
        return sorted({changed.version.effective for changed in self.versions})


def review_repository(repo: Path, base_ref: str | None = None, *, strict: bool = False) -> Review:
    """Compare HEAD with where it left `base_ref` (default: origin/main, else main) and run `check`.
    A base git does not know is a PolicyError."""
    if base_ref is not None and (not base_ref.strip() or base_ref.startswith("-")):
        raise PolicyError.at(repo, f"--base {base_ref!r} is not a git ref", hint="pass a branch, tag or commit")
    with GitHistory(repo) as git:
        base, base_ref = git.merge_base([base_ref] if base_ref else list(DEFAULT_BASES))
        changed_files = tuple(git.changed_since(base, "policies"))
        ours = git.commits_since(base)
        project = _committed_project(repo)
        head = git.head
        versions: list[ChangedVersion] = []
        if project is not None:
            for (policy, lang), history in sorted(project.histories.items()):
                # a file the branch changed and changed back is no change to review
                if policy_path(policy, lang) in changed_files and any(v.commit in ours for v in history.versions):
                    versions.extend(_changed_versions(git, project, history, ours))
    _project, problems = check_repository(repo)
    timezone = project.publisher.timezone if project is not None else "UTC"
    return Review(
        base_ref,
        base,
        head,
        i18n.today(timezone),
        tuple(problems.items),
        strict,
        project,
        changed_files,
        tuple(versions),
    )


def _committed_project(repo: Path) -> Project | None:
    """HEAD's policies as they would be published (problems are `check`'s to report)."""
    try:
        return load_project(repo, drafts=False, problems=Problems())
    except PolicyError:
        return None


def _changed_versions(
    git: GitHistory, project: Project, history: PolicyHistory, ours: set[str]
) -> list[ChangedVersion]:
    """The versions of `history` whose text comes from the branch's commits, each with what it follows."""
    path = policy_path(history.policy, history.lang)
    # The history as the base had it: the same file history, without the branch's commits.
    theirs = [r for r in git.revisions(path) if r.commit not in ours]
    base_versions = {
        v.number: v
        for v in versions_from_revisions(
            history.policy,
            history.lang,
            theirs,
            project.publisher.timezone,
            Problems(),
            translation=history.lang != project.publisher.source_language,
        )[0]
    }
    out = []
    for version in history.versions:
        if version.commit not in ours:
            continue
        before = base_versions.get(version.number)
        if before is not None and before.sha256 == version.sha256:
            continue  # the same bytes as on the base: only moved (a renamed file), or changed back
        if before is not None:
            out.append(ChangedVersion(history, version, before, in_place=True))
        else:
            out.append(ChangedVersion(history, version, history.previous(version), in_place=False))
    return out


# --------------------------------------------------------------------------- notice


def notice_status(version: Version, publisher: Publisher, today: dt.date) -> tuple[str, bool]:
    """The notice a version gives, in words, and whether it is enough (the rule of `check`)."""
    if not version.material:
        return "not a material change: no notice needed", True
    if publisher.notice_days <= 0:
        return "material change; sites.yml asks for no notice period (notice_days: 0)", True
    first, given = notice_given(version.first_committed, version.effective, publisher.timezone, today)
    asked = f"sites.yml asks for {publisher.notice_days}"
    if given >= publisher.notice_days:
        return f"material change: {given} days' notice from {first} ({asked}): enough", True
    return f"material change: NOT ENOUGH NOTICE, {given} days from {first} ({asked})", False


# --------------------------------------------------------------------------- Markdown


def render_review(review: Review, *, limit: int = COMMENT_LIMIT) -> str:
    """The review as GitHub-flavoured Markdown of at most `limit` bytes of UTF-8 (at least MIN_SIZE)."""
    note = (
        f"\n\n**The review is cut short here:** the whole of it would be over {limit:,} bytes, more than "
        "GitHub shows in one comment or job summary. Run "
        f"{md_code(f'smops-policy review --base {review.base_ref}')} for all of it, or open the preview.\n"
    )
    out = Budget(limit, reserve=len(note.encode()) + len(_CLOSE))
    _head(review, out)
    _redlines(review, out)
    if out.cut:
        out.close(note)
    return out.text()


def _head(review: Review, out: Budget) -> None:
    base = f"{md_code(review.base_ref)} ({md_code(review.base[:12])})"
    out.add(f"## Policy review: {base} → HEAD ({md_code(review.head[:12])})\n\n")
    errors = [p for p in review.problems if not p.warning]
    warnings = [p for p in review.problems if p.warning]
    counts = f"{len(errors)} error{'s' if len(errors) != 1 else ''}, {len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
    if review.failed:
        out.add(f"**Check: FAILED** ({counts}): this cannot be published as it is.\n\n")
    else:
        out.add(f"**Check: passed** ({counts}).\n\n")
    for problem in [*errors, *warnings]:
        kind = "error" if not problem.warning or review.strict else "warning"
        out.add(f"- **{kind}:** {md_text(str(replace(problem, warning=False)))}\n")
    if review.problems:
        out.add("\n")
    if review.project is None:
        out.add("The policies at HEAD cannot be read, so there is no redline: fix the errors above.\n")
        return
    if not review.versions:
        out.add("No policy version is added or changed between the base and HEAD.\n\n")
    else:
        _table(review, out)
    known = {v.version.path for v in review.versions}
    others = [path for path in review.changed_files if path not in known]
    if others:
        out.add(f"Other files changed under policies/: {', '.join(md_code(p) for p in others)}\n\n")


def _table(review: Review, out: Budget) -> None:
    assert review.project is not None
    publisher = review.project.publisher
    out.add("### New and changed versions\n\n")
    out.add("| Policy | Language | Version | Effective | Status today | Notice |\n")
    out.add("| --- | --- | --- | --- | --- | --- |\n")
    for changed in review.versions:
        version = changed.version
        if changed.corrections:
            what = f"{version.number} (translation corrected)"
        elif changed.in_place:
            what = f"{version.number} (changed)"
        elif changed.before is None:
            what = f"{version.number} (new policy)"
        else:
            what = f"{changed.before.number} → {version.number}"
        status = changed.history.status(version, review.today).value
        notice, enough = notice_status(version, publisher, review.today)
        cells = [
            f"{md_text(version.title)} ({md_code(version.policy)})",
            md_code(version.lang),
            md_text(what),
            md_text(version.effective.isoformat()),
            md_text(status),
            md_text(notice) if enough else f"**{md_text(notice)}**",
        ]
        out.add("| " + " | ".join(cells) + " |\n")
    out.add("\n")
    for changed in review.versions:
        version = changed.version
        label = f"{version.policy} {version.number} ({version.lang})"
        out.add(f"- **{md_text(label)}**: {md_text(version.summary)}\n")
        for correction in changed.corrections:
            out.add(f"  - translation corrected: {md_text(correction.summary)}\n")
    out.add("\n")


def _redlines(review: Review, out: Budget) -> None:
    assert review.project is not None or not review.versions
    if not review.versions or review.project is None:
        return
    out.add("### Redlines, per Site\n\n")
    for changed in review.versions:
        version = changed.version
        before = changed.before
        old = f"{before.number}{' as on the base' if changed.in_place else ''}" if before else "nothing"
        heading = f"{version.title} ({version.policy}, {version.lang}): {old} → {version.number}"
        if not out.add(f"#### {md_text(heading)}\n\n"):
            return
        sites = [
            site
            for site in review.project.publisher.sites
            if version.policy in site.policies and version.lang in site.languages
        ]
        if not sites:
            out.add("No Site publishes it.\n\n")
        for index, site in enumerate(sites):
            if not _site_redline(changed, site, out, opened=index == 0):
                return


def _site_redline(changed: ChangedVersion, site: Site, out: Budget, *, opened: bool) -> bool:
    """One Site's redline in a collapsible section; False when the budget ran out."""
    try:
        diff = _site_diff(changed, site)
    except PolicyError as exc:
        return out.add(f"- {html_text(site.name)}: cannot be compared: {md_text(str(exc))}\n\n")
    what = "no change to this Site's text" if diff.identical else summary_line(diff)
    summary = f"{site.name} ({site.id}), {changed.version.lang}: {what}"
    if not out.add(f"<details{' open' if opened else ''}>\n<summary>{html_text(summary)}</summary>\n\n"):
        return False
    for chunk in redline_chunks(diff, counts=False):
        if not out.add(chunk):
            out.close(_CLOSE)
            return False
    return out.add("</details>\n\n")


def _site_diff(changed: ChangedVersion, site: Site) -> DocumentDiff:
    if changed.before is not None:
        return compare_versions(changed.before, changed.version, site, changed.version.lang).diff
    version = changed.version  # a new policy: all of it is inserted
    text = select_site_passages(version.body, site.id, path=version.path, body_line=version.body_line)
    new = fill_document(
        structure(
            text, path=version.path, body_line=version.body_line, title=version.title, numbering=version.numbering
        ),
        dict(site.variables),
    )
    return diff_documents(Document(()), new)
