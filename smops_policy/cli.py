"""`smops-policy`: check, build, versions, diff, verify — thin commands over the same core calls."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import PolicyError, Problem

if TYPE_CHECKING:
    from collections.abc import Sequence

    from . import uptodate

__all__ = ["main"]


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smops-policy", description="Publish versioned legal policies for several Sites."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(
            "--repo",
            type=Path,
            default=Path(),
            metavar="PATH",
            help="the policy repository (default: the current folder)",
        )
        return sub

    check = command("check", "Validate sites.yml, front matter, numbering, placeholders and history.")
    check.add_argument("--strict", action="store_true", help="treat warnings (such as a lagging translation) as errors")

    build = command("build", "Build every Site's policy pages into the output folder.")
    build.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="build the site as it must look on DATE (default: today in the timezone of sites.yml)",
    )
    build.add_argument(
        "--drafts", action="store_true", help="include uncommitted changes as draft versions (never for publishing)"
    )
    build.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: site/ in the repository)")
    build.add_argument("--quiet", action="store_true", help="print nothing but errors")
    build.add_argument("--verbose", action="store_true", help="print where the time went, stage by stage")
    build.add_argument(
        "--cache", type=Path, metavar="DIR", help="cache of finished builds (default: .smops-cache/ in the repository)"
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="build everything afresh (no cache, and no check whether anything changed)",
    )
    build.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="run N processes, each building one Site in one language at a time (default: one per CPU)",
    )

    versions = command("versions", "List the versions of a policy with their status, commit and sha256.")
    versions.add_argument("policy", metavar="POLICY")
    versions.add_argument("--lang", metavar="L", help="language (default: the source language)")
    versions.add_argument("--as-of", type=_date, metavar="DATE")
    versions.add_argument("--drafts", action="store_true")
    versions.add_argument(
        "--site", metavar="ID", help="give URLs as this Site publishes them (default: relative to a Site's folder)"
    )
    versions.add_argument("--json", action="store_true", help="print JSON (the records of versions.json)")
    diff = command("diff", "Show what changed between two versions of a policy, clause by clause.")
    diff.add_argument("policy", metavar="POLICY")
    diff.add_argument("old", metavar="OLD", help="the older version, e.g. 1.0")
    diff.add_argument("new", metavar="NEW", help="the newer version, e.g. 1.1")
    diff.add_argument("--lang", metavar="L", help="language (default: the source language)")
    diff.add_argument(
        "--site", metavar="ID", help="read the text as this Site shows it (its values in place of {{ site.* }})"
    )
    diff.add_argument("--format", choices=("text", "html", "json"), default="text")
    diff.add_argument("--drafts", action="store_true", help="allow comparing with the uncommitted draft")
    verify = command("verify", "Check a built output against git: every version's text, sha256 and commit.")
    verify.add_argument(
        "--output", type=Path, metavar="DIR", help="the built output (default: site/ in the repository)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "build":
            return _build(args)
        if args.command == "versions":
            return _versions(args)
        if args.command == "diff":
            return _diff(args)
        if args.command == "verify":
            return _verify(args)
    except PolicyError as exc:
        _print_problems(exc.problems)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the previous output is left as it was", file=sys.stderr)
        return 130
    return 2


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(str(problem), file=sys.stderr)


# Each command imports what it needs when it runs: a build with nothing to do finishes before mkdocs,
# gitpython or markdown-it-py would have been imported.


def _check(args: argparse.Namespace) -> int:
    from .checks import check_repository

    _project, problems = check_repository(args.repo)
    _print_problems(problems.items)
    failed = bool(problems.errors) or (args.strict and bool(problems.warnings))
    if not failed:
        print(f"ok: no problems{f' ({len(problems.warnings)} warnings)' if problems.warnings else ''}")
    return 1 if failed else 0


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    output: Path = args.output if args.output else args.repo / "site"
    cache: Path | None = None if args.no_cache else (args.cache or args.repo / ".smops-cache")
    inputs = None
    if cache is not None:
        from . import uptodate

        inputs = uptodate.inputs_key(args.repo, as_of=args.as_of, drafts=args.drafts, skip=[output, cache])
        stamp = uptodate.read_stamp(cache, output) if inputs else None
        if inputs and stamp and stamp.inputs == inputs[0] and stamp.matches(output):
            _say_up_to_date(args, stamp, output, started)
            return 0

    from . import pipeline
    from .publish import build_output  # mkdocs is imported only for commands that build

    level = logging.ERROR if args.quiet else logging.WARNING
    logging.basicConfig(format=_LOG_FORMAT, level=level)
    said = _Said()  # mkdocs' warnings (about mkdocs.yml, say): a build with nothing to do repeats them
    logging.getLogger().addHandler(said)
    logging.getLogger("mkdocs").setLevel(logging.INFO if args.verbose else level)
    logging.getLogger("git").setLevel(logging.WARNING)
    settings = pipeline.BuildSettings(quiet=args.quiet, verbose=args.verbose, cache_dir=cache, jobs=args.jobs)
    prepared = pipeline.prepare(args.repo, as_of=args.as_of, drafts=args.drafts, settings=settings)
    warnings = [str(warning) for warning in prepared.project.warnings]
    for warning in warnings:
        print(warning, file=sys.stderr)
    build_output(args.repo, output, prepared, use_cache=cache is not None)
    pages = sum(len(p.lang_pages(lang)) for p in prepared.plans for lang in p.site.languages)
    if cache is not None and inputs is not None and inputs[1] == prepared.as_of:
        from .cache import tree_digests
        from .uptodate import Stamp, write_stamp

        stamp = Stamp(
            inputs[0],
            tree_digests(output, known=prepared.written),
            pages,
            len(prepared.plans),
            prepared.as_of.isoformat(),
            warnings + said.lines,
        )
        write_stamp(cache, output, stamp)
    if args.verbose:
        for stage, seconds in prepared.timings.items():
            print(f"{seconds:8.2f} s  {stage}" if seconds else f"           {stage}", file=sys.stderr)
        print(f"{time.perf_counter() - started:8.2f} s  in all", file=sys.stderr)
    if not args.quiet:
        print(f"built {pages} pages for {len(prepared.plans)} Sites as of {prepared.as_of.isoformat()} into {output}")
    return 0


_LOG_FORMAT = "%(levelname)s: %(message)s"


class _Said(logging.Handler):
    """The warnings and errors this process logged, as they were printed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.setFormatter(logging.Formatter(_LOG_FORMAT))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _say_up_to_date(args: argparse.Namespace, stamp: uptodate.Stamp, output: Path, started: float) -> None:
    """What a build with nothing to do says: the last build's warnings, and that the output stands."""
    for warning in stamp.warnings:
        print(warning, file=sys.stderr)
    if args.verbose:
        print(f"{time.perf_counter() - started:8.2f} s  in all: nothing changed since the last build", file=sys.stderr)
    if not args.quiet:
        print(
            f"up to date: {stamp.pages} pages for {stamp.sites} Sites as of {stamp.as_of} in {output} "
            "(nothing changed since the last build)"
        )


def _versions(args: argparse.Namespace) -> int:
    from .project import load_project

    project = load_project(args.repo, drafts=args.drafts)
    lang = args.lang or project.publisher.source_language
    history = project.history(args.policy, lang)
    if history is None:
        known = ", ".join(f"{p} ({code})" for p, code in sorted(project.histories)) or "none"
        raise PolicyError.at(
            f"policies/{args.policy}/{lang}.md",
            f"no policy '{args.policy}' in '{lang}'",
            hint=f"policies there are: {known}",
        )
    from . import i18n
    from .outputs import version_record

    as_of = args.as_of or i18n.today(project.publisher.timezone)
    base_url = ""
    if args.site is not None:
        site = project.publisher.site(args.site)
        if site is None:
            known = ", ".join(s.id for s in project.publisher.sites)
            raise PolicyError.at("policies/sites.yml", f"has no Site '{args.site}'", hint=f"Sites there are: {known}")
        base_url = site.base_url
    # The same records as versions.json (URLs relative to a Site's folder unless --site says which).
    timezone = project.publisher.timezone
    rows = [
        {**version_record(history, v, as_of, base_url, timezone), "lang": lang, "path": v.path}
        for v in history.versions
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        print(
            f"{row['version']:<8} {row['effective']}  {row['status']:<10} {(row['commit'] or 'uncommitted')[:12]:<12} {row['sha256'][:16]}  {row['summary']}"
        )
    return 0


def _diff(args: argparse.Namespace) -> int:
    from .comparison import compare

    result = compare(args.repo, args.policy, args.old, args.new, lang=args.lang, site_id=args.site, drafts=args.drafts)
    if args.format == "json":
        print(json.dumps(result.json(), indent=2, ensure_ascii=False))
    elif args.format == "html":
        print(result.html())
    else:
        sys.stdout.write(result.text(color=sys.stdout.isatty()))
    return 0


def _verify(args: argparse.Namespace) -> int:
    from .verify import verify_output

    output = args.output if args.output else args.repo / "site"
    problems = verify_output(args.repo, output)
    _print_problems(problems)
    if problems:
        return 1
    print(f"ok: {output} matches git")
    return 0


def run() -> None:
    """The `smops-policy` command: main(), then exit at once.

    Tearing the interpreter down after a build (freeing mkdocs, the theme's templates and the plan,
    object by object) takes about 0.1 s, which is as long as a build with nothing to do; the process
    drops all of it anyway. So, with every stream flushed, the command ends with os._exit. An
    exception still ends the usual way, with its traceback.
    """
    try:
        code = main()
    except BrokenPipeError:  # the reader went away mid-output (`| head`): end quietly, as at the flush below
        code = 1
    try:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a reader that went away (`| head`): nothing more can be said
        code = code or 1
    os._exit(code)


if __name__ == "__main__":
    run()
