"""`smops-policy check`: every problem in the working tree and its history, not only the first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .document import analyse, select_site_passages
from .errors import PolicyError, Problems
from .project import Project, load_project

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["check_repository"]


def check_repository(repo: Path) -> tuple[Project | None, Problems]:
    """Validate sites.yml, front matter, numbering, placeholders and history (working tree included)."""
    problems = Problems()
    try:
        project = load_project(repo, drafts=True, problems=problems)
    except PolicyError as exc:
        problems.extend(exc)
        return None, _unique(problems)
    for (policy, lang), history in sorted(project.histories.items()):
        if not history.versions:
            continue
        newest = history.versions[-1]
        seen: set[str] = set()
        for site in project.publisher.sites:
            if policy not in site.policies or lang not in site.languages:
                continue
            try:
                text = select_site_passages(newest.body, site.id, path=newest.path, body_line=newest.body_line)
            except PolicyError:
                continue  # already reported by load_project
            if text in seen:
                continue
            seen.add(text)
            analyse(text, path=newest.path, body_line=newest.body_line, problems=problems)
    return project, _unique(problems)


def _unique(problems: Problems) -> Problems:
    out = Problems()
    seen: set[str] = set()
    for problem in problems.items:
        if str(problem) not in seen:
            seen.add(str(problem))
            out.items.append(problem)
    return out
