"""`smops-policy check`: every problem in the working tree and its history, not only the first."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import TYPE_CHECKING

from smops_policy import i18n
from smops_policy.content import translations
from smops_policy.content.document import (
    analyse,
    html_problems,
    placeholders,
    select_site_passages,
    unsafe_links,
)
from smops_policy.content.project import Project, load_project, policy_path
from smops_policy.errors import PolicyError, Problems

if TYPE_CHECKING:
    from pathlib import Path

    from smops_policy.model import Site, Version

__all__ = ["check_repository", "notice_given"]


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
        rendered: dict[str, str] = {}  # each Site's text of the newest version → its HTML
        for site in project.publisher.sites:
            if policy not in site.policies or lang not in site.languages:
                continue
            try:
                text = select_site_passages(newest.body, site.id, path=newest.path, body_line=newest.body_line)
            except PolicyError:
                continue  # already reported by load_project
            if text not in rendered:
                rendered[text] = analyse(
                    text,
                    path=newest.path,
                    body_line=newest.body_line,
                    problems=problems,
                    title=newest.title,
                    numbering=newest.numbering,
                )[1]
                html_problems(text, path=newest.path, body_line=newest.body_line, problems=problems)
            _check_link_values(newest, site, rendered[text], problems)
    _check_translations(project, problems)
    _check_notice(project, problems)
    _check_theme_languages(project, problems)
    return project, _unique(problems)


def _check_link_values(version: Version, site: Site, rendered: str, problems: Problems) -> None:
    """A Site value that lands in a link target must make a safe link (no javascript:, data:, ...):
    values are filled in after markdown-it checked the links, so they are checked here again."""
    used = placeholders(version.body, version.body_line)
    for url in unsafe_links(rendered, site.variables):
        # the keys whose values are in the target; the rendered HTML has no lines, so the line is the
        # first where one of them stands in a link target (else where it is first used)
        keys = [key for key, _line in used if site.variables.get(key) and site.variables[key] in url]
        lines = version.body.split("\n")
        in_target = [n for key, n in used if key in keys and _in_link_target(key, lines[n - version.body_line])]
        line = next(iter(in_target), next((n for key, n in used if key in keys), None))
        named = ", ".join(f"{{{{ site.{key} }}}}" for key in dict.fromkeys(keys)) or "a Site value"
        problems.add(
            version.path,
            f"{named} makes the link target {url!r} for Site '{site.id}', which is not a safe link",
            line=line,
            hint="give that key an https:// address in policies/sites.yml, or do not use it as a link target",
        )


def _in_link_target(key: str, line: str) -> bool:
    """Whether `{{ site.KEY }}` stands in a link target on this line: `](…)`, `<…>` or `[ref]: …`."""
    value = rf"\{{\{{\s*site\.{re.escape(key)}\s*\}}\}}"
    return bool(re.search(rf"\]\([^)]*{value}|<[^>\s]*{value}|^\s*\[[^\]]+\]:\s*\S*{value}", line))


def _check_theme_languages(project: Project, problems: Problems) -> None:
    """mkdocs.yml must load (its errors with their line) and keep the privacy promise (no setting that
    makes a page contact another host); every Site language needs the theme's interface text too."""
    from smops_policy.build.mkdocs_yml import (
        CONFIG_FILE,
        add_our_theme,
        load_mkdocs_yml,
        read_mkdocs_yml,
        third_party_problems,
    )
    from smops_policy.build.theme_checks import theme_language_problems

    try:
        yml = read_mkdocs_yml(project.root / CONFIG_FILE, drafts=True)  # the working tree's, as for the policies
    except PolicyError as exc:
        problems.extend(exc)
        return
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # its warnings about mkdocs.yml are the build's to give
    try:
        problems.items.extend(third_party_problems(yml))
        config = load_mkdocs_yml(yml)
    except PolicyError as exc:
        problems.extend(exc)
        return
    finally:
        logger.setLevel(level)
    add_our_theme(config.theme)
    problems.items.extend(theme_language_problems(config.theme.dirs, project.publisher.sites))


def _check_translations(project: Project, problems: Problems) -> None:
    """Translations in step with their source, and an interface catalog for every language in use."""
    publisher = project.publisher
    source = publisher.source_language
    missing = {
        policy: policy_path(policy, source)
        for policy in publisher.policies
        if not (project.root / policy_path(policy, source)).exists() and project.history(policy, source) is None
    }
    as_of = i18n.today(publisher.timezone)
    translations.check_translations(publisher, project.histories, as_of, problems, missing_sources=missing)
    messages = i18n.shipped_messages()  # the package's messages.pot: its source is not parsed on every run
    for lang in sorted({code for site in publisher.sites for code in site.languages} - {"en"}):
        i18n.check_catalog(lang, messages, problems)


def notice_given(
    committed: dt.datetime | None, effective: dt.date, timezone: str, today: dt.date
) -> tuple[dt.date, int]:
    """The day a version's notice starts (its first commit, or today for a draft) and the days of notice
    it gives before it takes effect: the rule of `check` and of `review`."""
    first = i18n.local_date(committed, timezone) if committed else today
    return first, (effective - first).days


def _check_notice(project: Project, problems: Problems) -> None:
    """A version marked material must be first committed at least notice_days before it takes effect,
    so that its upcoming notice is shown for the whole period (a draft counts as committed today)."""
    publisher = project.publisher
    if publisher.notice_days <= 0:
        return
    today = i18n.today(publisher.timezone)
    for _key, history in sorted(project.histories.items()):
        for version in history.versions:
            if not version.material:
                continue
            committed = version.first_committed or next(
                (v.first_committed for v in history.versions if v.number == version.number and v.first_committed), None
            )
            first, given = notice_given(committed, version.effective, publisher.timezone, today)
            if given >= publisher.notice_days:
                continue
            when = f"first committed on {first}" if committed else "if committed today"
            line = version.line_of("effective")
            # A version already in force cannot be given its notice any more; flagging it as an error
            # would stop every later build from publishing, so it is a warning (an error with --strict).
            report = problems.warn if version.effective <= today else problems.add
            report(
                version.path,
                f"version {version.number} is a material change {when}, {given} days before it takes effect on "
                f"{version.effective}; sites.yml asks for {publisher.notice_days} days' notice",
                line=line,
                hint=f"set its effective date to {first + dt.timedelta(days=publisher.notice_days)} or later",
            )


def _unique(problems: Problems) -> Problems:
    out = Problems()
    seen: set[str] = set()
    for problem in problems.items:
        if str(problem) not in seen:
            seen.add(str(problem))
            out.items.append(problem)
    return out
