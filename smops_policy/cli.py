"""`smops-policy`: check, build, versions, diff, verify, import — thin commands over the same core calls."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from smops_policy.errors import PolicyError, Problem

from . import __version__

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from smops_policy.build import uptodate
    from smops_policy.build.logs import Said

__all__ = ["main"]


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


def _review_size(value: str) -> int:
    from smops_policy.commands.review import MIN_SIZE

    if not value.isdigit() or int(value) < MIN_SIZE:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of bytes of at least {MIN_SIZE}")
    return int(value)


# Built once per process (`main` runs many times in one, e.g. in the tests): parse_args leaves the
# parser as it was, giving each call a new namespace; the one mutable default (`--site`'s list) is
# copied by argparse's append action before it adds to it, and nothing here changes the parser.
@functools.cache
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
    build.add_argument(
        "--site",
        action="append",
        default=[],
        metavar="ID",
        help="build only this Site's folder (and the front page), leaving the other Sites' folders as they are; "
        "repeat for more",
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
    diff.add_argument("--format", choices=("text", "html", "json", "markdown"), default="text")
    diff.add_argument("--drafts", action="store_true", help="allow comparing with the uncommitted draft")
    review = command(
        "review", "What this branch changes in the policies, per Site, as Markdown for a pull request; then check."
    )
    review.add_argument(
        "--base", metavar="REF", help="compare with where HEAD left REF (default: origin/main, else main)"
    )
    review.add_argument("--strict", action="store_true", help="fail on warnings too, as check --strict does")
    review.add_argument(
        "--max-size",
        type=_review_size,
        default=65_536,
        metavar="BYTES",
        help="cut the review short, with a note, to fit this size (default: 65536, a GitHub comment)",
    )
    review.add_argument(
        "--effective-dates",
        action="store_true",
        help="print only the effective dates of the new and changed versions, one a line (to build previews)",
    )
    verify = command(
        "verify", "Check a built output against git: build it again and compare every file; every version's text."
    )
    verify.add_argument(
        "--output", type=Path, metavar="DIR", help="the built output (default: site/ in the repository)"
    )
    verify.add_argument(
        "--as-of", type=_date, metavar="DATE", help="the date it must be built for (default: the date it records)"
    )
    verify.add_argument(
        "--cache", type=Path, metavar="DIR", help="cache of finished builds (default: .smops-cache/ in the repository)"
    )
    verify.add_argument(
        "--no-cache", action="store_true", help="build everything again from git, trusting no cached build"
    )
    verify.add_argument(
        "--site",
        action="append",
        default=[],
        metavar="ID",
        help="verify only this Site's folder (and the front page); repeat for more",
    )
    _add_import(command)
    return parser


def _add_import(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    sub = command("import", "Bring a policy's history from another git repository, one commit per version.")
    sub.add_argument(
        "--from", dest="source", type=Path, required=True, metavar="REPO_PATH", help="the repository it comes from"
    )
    sub.add_argument("--file", required=True, metavar="PATH", help="the policy's file in that repository")
    sub.add_argument("--policy", required=True, metavar="ID", help="its policy id here, e.g. privacy")
    sub.add_argument("--lang", required=True, metavar="LANG", help="the language of its text, e.g. en")
    sub.add_argument(
        "--versions",
        dest="versions_file",
        type=Path,
        metavar="FILE",
        help='version numbers by source commit, one "COMMIT: VERSION" a line (default: 1.0, 1.1, ...)',
    )
    sub.add_argument("--dry-run", action="store_true", help="list the versions it would make, and write nothing")


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
        if args.command == "review":
            return _review(args)
        if args.command == "import":
            return _import(args)
    except PolicyError as exc:
        _print_problems(exc.problems)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the previous output is left as it was", file=sys.stderr)
        return 130
    except BrokenPipeError:
        if not _reader_gone():
            raise
        return READER_GONE
    return 2


# The reader of the output went away (`smops-policy versions privacy | head -1`): end quietly with
# the status a unix tool killed by SIGPIPE has (128 + 13), as `git log | head -1` does. Python ignores
# SIGPIPE (so a pipe to git breaks as an exception, not a silent death); this is the one place it ends.
READER_GONE = 141


def _reader_gone() -> bool:
    """Whether standard output is a pipe whose reader has closed it (POLLERR on its write end)."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & select.POLLERR for _fd, event in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(str(problem), file=sys.stderr)


# Each command imports what it needs when it runs: a build with nothing to do finishes before mkdocs,
# gitpython or markdown-it-py would have been imported.


def _check(args: argparse.Namespace) -> int:
    from smops_policy.commands.check import check_repository

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
    from smops_policy.build.folders import claim_cache, claim_output

    # Refused before anything is read or written: the build replaces its output and clears its cache.
    claim_output(output, args.repo)
    if cache is not None:
        claim_cache(cache, args.repo, output=output)
        from smops_policy.build import uptodate

        inputs = uptodate.inputs_key(args.repo, as_of=args.as_of, drafts=args.drafts, skip=[output, cache])
        stamp = uptodate.read_stamp(cache, output) if inputs else None
        # (a build of some Sites always builds them, from the cache where it can: the stamp is the whole output's)
        if inputs and stamp and stamp.inputs == inputs[0] and stamp.matches(output) and not args.site:
            _say_up_to_date(args, stamp, output, started)
            return 0

    level = logging.ERROR if args.quiet else logging.WARNING
    from smops_policy.build.logs import Said, logging_to_stderr

    said = Said()  # mkdocs' warnings (about mkdocs.yml, say): a build with nothing to do repeats them
    with logging_to_stderr(level, said):
        logging.getLogger("mkdocs").setLevel(logging.INFO if args.verbose else level)
        logging.getLogger("git").setLevel(logging.WARNING)
        return _build_now(args, output, cache, inputs, said, started)


def _build_now(
    args: argparse.Namespace,
    output: Path,
    cache: Path | None,
    inputs: tuple[str, dt.date] | None,
    said: Said,
    started: float,
) -> int:
    from smops_policy.build.output import build_output  # mkdocs is imported only for commands that build
    from smops_policy.build.request import BuildRequest

    request = BuildRequest(
        repo=args.repo,
        output=output,
        as_of=args.as_of,
        drafts=args.drafts,
        cache_dir=cache,
        jobs=args.jobs,
        sites=tuple(dict.fromkeys(args.site)),
        quiet=args.quiet,
        verbose=args.verbose,
    )
    report = build_output(request)
    warnings = [str(warning) for warning in report.warnings]
    for warning in warnings:
        print(warning, file=sys.stderr)
    if report.problems or report.prepared is None:
        _print_problems(report.problems)
        return 1
    prepared = report.prepared
    # A build of some Sites leaves no stamp: the stamp says the whole output is what its inputs make.
    if cache is not None and inputs is not None and inputs[1] == prepared.as_of and not request.sites:
        from smops_policy.build.uptodate import record_build

        record_build(cache, output, inputs[0], report, warnings + said.lines)
    if args.verbose:
        for stage, seconds in report.timings:
            print(f"{seconds:8.2f} s  {stage}", file=sys.stderr)
        print(f"           {report.cache.summary()}", file=sys.stderr)
        print(f"{time.perf_counter() - started:8.2f} s  in all", file=sys.stderr)
    if not args.quiet and request.sites:
        print(
            f"built {report.pages} pages for Site {', '.join(request.sites)} as of {prepared.as_of.isoformat()} into "
            f"{output} (the other Sites' folders there are left as they were)"
        )
    elif not args.quiet:
        print(
            f"built {report.pages} pages for {len(prepared.plans)} Sites as of {prepared.as_of.isoformat()} into {output}"
        )
    return 0


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
    from smops_policy.commands.versions import version_rows

    rows = version_rows(args.repo, args.policy, lang=args.lang, site_id=args.site, as_of=args.as_of, drafts=args.drafts)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        print(
            f"{row['version']:<8} {row['effective']}  {row['status']:<10} {(row['commit'] or 'uncommitted')[:12]:<12} {row['sha256'][:16]}  {row['summary']}"
        )
    return 0


def _diff(args: argparse.Namespace) -> int:
    from smops_policy.commands.diff import compare

    result = compare(args.repo, args.policy, args.old, args.new, lang=args.lang, site_id=args.site, drafts=args.drafts)
    if args.format == "json":
        print(json.dumps(result.json(), indent=2, ensure_ascii=False))
    elif args.format == "html":
        print(result.html())
    elif args.format == "markdown":
        sys.stdout.write(result.markdown())
    else:
        sys.stdout.write(result.text(color=sys.stdout.isatty()))
    return 0


def _review(args: argparse.Namespace) -> int:
    from smops_policy.commands.review import render_review, review_repository

    review = review_repository(args.repo, args.base, strict=args.strict)
    if args.effective_dates:
        for date in review.effective_dates:
            print(date.isoformat())
    else:
        sys.stdout.write(render_review(review, limit=args.max_size))
    return 1 if review.failed else 0


def _import(args: argparse.Namespace) -> int:
    from smops_policy.commands.import_history import ImportRequest, describe, next_steps, plan_import, write_import

    request = ImportRequest(args.repo, args.source, args.file, args.policy, args.lang, args.versions_file)
    plan = plan_import(request)
    if args.dry_run:
        print("\n".join(describe(plan, done=False)))
        return 0
    made = write_import(plan)
    print("\n".join(describe(plan, done=True)))
    print(f"made {len(made.commits)} commits on the current branch (to undo them: {made.undo})")
    print("\n".join(next_steps(plan)))
    return 0


def _verify(args: argparse.Namespace) -> int:
    from smops_policy.commands.verify import verify_output

    output = args.output if args.output else args.repo / "site"
    cache = None if args.no_cache else (args.cache or args.repo / ".smops-cache")
    problems = verify_output(args.repo, output, as_of=args.as_of, cache_dir=cache, sites=tuple(args.site))
    _print_problems(problems)
    if problems:
        return 1
    from smops_policy.build.config_inputs import uncommitted_inputs

    # a theme file the build read from disk, not from git: the output is HEAD's only with it as it is here
    loose = uncommitted_inputs(args.repo / "mkdocs.yml")
    for name in loose:
        hint = "commit it, then build and verify again"
        warning = Problem(name, "is not committed: the build and this check read it from disk", hint=hint, warning=True)
        print(warning, file=sys.stderr)
    if loose:
        print(f"ok: {output} is what a build of HEAD writes with the uncommitted files above, not git alone")
        return 0
    print(f"ok: {output} matches git: every file is what a build of HEAD writes")
    return 0


def _measured() -> bool:
    """Whether a profiler, tracer or coverage watches this process: it writes its data at exit."""
    return sys.gettrace() is not None or sys.getprofile() is not None or "coverage" in sys.modules


def run() -> None:
    """The `smops-policy` console script: main(), then exit at once.

    Tearing the interpreter down after a build (freeing mkdocs, the theme's templates and the plan,
    object by object) takes about 0.1 s, which is as long as a build with nothing to do; the process
    drops all of it anyway. So, with every stream flushed, the command ends with os._exit, unless a
    profiler or coverage is watching (their data is written at exit). `python -m smops_policy.cli`
    always exits the usual way. An exception still ends the usual way, with its traceback.
    """
    code = _flushed(main())
    if _measured():
        sys.exit(code)
    os._exit(code)


def _flushed(code: int) -> int:
    """Flush what the command printed; a reader that went away (`| head`) before the end leaves
    nothing more to say, and Python's own flush at exit must not complain of it either."""
    try:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = code or READER_GONE
    return code


if __name__ == "__main__":
    sys.exit(_flushed(main()))
