"""Every version of a real policy in its own git history through the checks `check` runs on a body.

    python benchmarks/real_history.py REPO FILE TITLE [--follow]

Each state of FILE along `git log` (renames followed with --follow) gets our front matter (TITLE,
version 1.0) in place of its own, then is read, parsed (structure, numbering, empty sections) and
checked for raw HTML, as `check` does. Prints how many versions pass, the units per version, the
numbering each was read with, the most frequent errors, and the time taken. Reads git only.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import time
from collections import Counter

from smops_policy.content.document import analyse, html_problems, read_policy_text
from smops_policy.errors import PolicyError, Problems

_OWN_FRONT_MATTER = re.compile(r"\A--- *\n.*?\n--- *\n", re.S)


def states(repo: str, path: str, follow: bool) -> list[tuple[str, str]]:
    """(commit, path at that commit) for each commit that changed the file, newest first."""
    args = ["git", "-C", repo, "log", "--format=%H", "--name-only", *(["--follow"] if follow else []), "--", path]
    found: list[tuple[str, str]] = []
    commit = ""
    for line in subprocess.run(args, capture_output=True, text=True, check=True).stdout.split("\n"):
        if re.fullmatch(r"[0-9a-f]{40}", line):
            commit = line
        elif line.strip() and commit:
            found.append((commit, line.strip()))
            commit = ""
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("repo")
    parser.add_argument("file")
    parser.add_argument("title")
    parser.add_argument("--follow", action="store_true")
    args = parser.parse_args()
    passed, units, modes, errors = 0, [], Counter[str](), Counter[str]()
    started = time.perf_counter()
    found = states(args.repo, args.file, args.follow)
    for commit, path in found:
        text = subprocess.run(["git", "-C", args.repo, "show", f"{commit}:{path}"], capture_output=True, check=True)
        body = _OWN_FRONT_MATTER.sub("", text.stdout.decode("utf-8", "replace"), count=1)
        source = f'---\ntitle: {args.title}\nversion: "1.0"\neffective: 2020-01-01\nsummary: s\n---\n{body}'
        problems = Problems()
        try:
            policy = read_policy_text(source.encode("utf-8"), path)
            document, _ = analyse(
                policy.body, path=path, body_line=policy.body_line, problems=problems, title=args.title
            )
            html_problems(policy.body, path=path, body_line=policy.body_line, problems=problems)
            units.append(sum(1 for _ in document.clauses()))
            modes[document.numbering] += 1
        except PolicyError as exc:
            problems.extend(exc)
        passed += not problems.errors
        errors.update(problem.message[:80] for problem in problems.errors)
    seconds = time.perf_counter() - started
    print(f"{len(found)} versions, {passed} pass, {len(found) - passed} refused; units {min(units)}-{max(units)}")
    print(f"numbering: {dict(modes)}; {seconds:.1f} s")
    for message, count in errors.most_common(6):
        print(f"  {count} x {message}")


if __name__ == "__main__":
    main()
