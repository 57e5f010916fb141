"""How to read each policy file's states along the first-parent chain of HEAD: two ways, timed.

    python benchmarks/bench_history.py [--commits 500] [--repeat 7]

A plainly fictional repository gets `--commits` commits on its first-parent chain (one in twenty a
merge of a two-commit branch, the merge commit changing the file itself too), six
policy files (two policies in three languages). Then, for every file, the blob it has at each commit:

- `log`: one `git log -z --first-parent -m -M --raw -- policies/` (what smops_policy/content/history.py runs);
- `blobs`: `git rev-list --first-parent HEAD`, then one `git cat-file --batch-check` asked for
  `<commit>:<path>` of every file at every commit (renames would still need a diff per commit);
- `follow` (the old reader, for reference): one `git log --follow --raw` per file;
- `history.py`: what smops-policy runs, the `log` way parsed, with every state's blob read.

It prints the median of `--repeat` runs of each, in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

FILES = [f"{policy}/{lang}.md" for policy in ("privacy", "terms") for lang in ("en", "nl", "de")]


def git(repo: Path, *args: str, stdin: str | None = None, when: int | None = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.invalid")
    env.update(GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.invalid")
    if when is not None:
        env.update(GIT_AUTHOR_DATE=f"@{when} +0000", GIT_COMMITTER_DATE=f"@{when} +0000")
    result = subprocess.run(["git", *args], cwd=repo, env=env, input=stdin, capture_output=True, text=True, check=True)
    return result.stdout


def generate(repo: Path, commits: int) -> None:
    """A history whose first-parent chain has `commits` commits."""
    git(repo, "init", "-q", "-b", "main")
    when = 1_600_000_000
    for index, name in enumerate(FILES):
        path = repo / "policies" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\nversion: '1.{index}'\n---\n" + "".join(f"{n}. Clause {n}.\n" for n in range(1, 60)))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start", when=when)
    for step in range(1, commits):
        when += 3600
        name = FILES[step % len(FILES)]
        if step % 20 == 0:  # a merge of a two-commit branch, with a change in the merge commit itself
            git(repo, "checkout", "-q", "-b", f"b{step}")
            for extra in range(2):
                edit(repo / "policies" / name, f"branch {step}.{extra}")
                git(repo, "commit", "-q", "-am", f"branch {step}.{extra}", when=when)
            git(repo, "checkout", "-q", "main")
            git(repo, "merge", "-q", "--no-ff", "--no-commit", f"b{step}", when=when)
            edit(repo / "policies" / name, f"merge {step}")
            git(repo, "commit", "-q", "-am", f"merge {step}", when=when)
        else:
            edit(repo / "policies" / name, f"step {step}")
            git(repo, "commit", "-q", "-am", f"step {step}", when=when)


def edit(path: Path, words: str) -> None:
    lines = path.read_text().splitlines(keepends=True)
    lines[5 + len(words) % 40] = f"{len(words)}. Clause changed at {words}.\n"
    path.write_text("".join(lines))


def by_log(repo: Path) -> dict[str, int]:
    out = git(
        repo,
        "log",
        "-z",
        "--first-parent",
        "-m",
        "-M",
        "--raw",
        "--no-abbrev",
        "--format=%x01%H %ct",
        "HEAD",
        "--",
        "policies/",
    )
    states = dict.fromkeys(FILES, 0)
    for entry in out.split("\x01")[1:]:
        for field in entry.split("\x00"):
            name = field.removeprefix("policies/")
            if name in states:
                states[name] += 1
    return states


def by_blobs(repo: Path) -> dict[str, int]:
    chain = git(repo, "rev-list", "--first-parent", "HEAD").split()
    asked = "".join(f"{commit}:policies/{name}\n" for commit in chain for name in FILES)
    answers = git(repo, "cat-file", "--batch-check=%(objectname)", stdin=asked).split("\n")
    states = dict.fromkeys(FILES, 0)
    last: dict[str, str] = {}
    for index, answer in enumerate(answers[: len(chain) * len(FILES)]):
        name = FILES[index % len(FILES)]
        if answer != last.get(name):
            states[name] += 1
            last[name] = answer
    return states


def by_follow(repo: Path) -> dict[str, int]:
    return {
        name: git(
            repo, "log", "--follow", "--raw", "--no-abbrev", "--format=%x00%H", "HEAD", "--", f"policies/{name}"
        ).count("\x00")
        for name in FILES
    }


def by_history_py(repo: Path) -> dict[str, int]:
    """What smops-policy does: the `log` way, parsed, plus reading every state's blob."""
    from smops_policy.content.history import GitHistory

    with GitHistory(repo) as history:
        return {name: len(history.revisions(f"policies/{name}")) for name in FILES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder)
        started = time.perf_counter()
        generate(repo, args.commits)
        chain = len(git(repo, "rev-list", "--first-parent", "HEAD").split())
        total = len(git(repo, "rev-list", "HEAD").split())
        print(
            f"{chain} commits on the first-parent chain ({total} in all), made in {time.perf_counter() - started:.1f} s"
        )
        ways = (("log", by_log), ("blobs", by_blobs), ("follow", by_follow), ("history.py", by_history_py))
        for name, read in ways:
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                read(repo)
                times.append(time.perf_counter() - started)
            print(f"{name:<10} {statistics.median(times) * 1000:8.1f} ms  (min {min(times) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
