"""Benchmark `smops-policy build` against plain `mkdocs build` of as many comparable pages.

    python benchmarks/run.py --sizes small,medium [--large]

For each size: generate the synthetic repository (cached under benchmarks/work/<size>/), then time a
cold build (fresh output, no .smops-cache/), a warm build (nothing changed), an incremental build (one
word edited and committed in one policy) and the baseline (plain mkdocs, same theme and search plugin,
no smops-policy plugin, same page count, ~3,000-word pages, a 10-entry navigation). Each build runs as
a child process; CPU seconds and peak RSS come from that child's own rusage (os.wait4). Prints a
Markdown table and writes it to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import SIZES, generate, plain_words, sentence, vocabulary

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
AS_OF = "2026-11-25"
GEN_VERSION = "1"  # bump when generate.py changes, so cached repositories are rebuilt


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mib: float
    pages: int
    bytes: int
    log: str = ""  # what the build printed on stderr

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall if self.wall else 0.0


def _measure(cmd: list[str], cwd: Path, output: Path, env: dict[str, str] | None = None) -> Run:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    # Every build starts from a quiet disk: the files the previous step wrote or deleted are written
    # back first, so that their writeback does not land in whichever build happens to come next.
    os.sync()
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a long log cannot stall the child
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log, env=environment)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        log.seek(0)
        err = log.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(cmd)} failed ({os.waitstatus_to_exitcode(status)}):\n{err[-3000:]}")
    pages = sum(1 for _ in output.rglob("index.html"))
    size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, pages, size, err)


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            digest.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return digest.hexdigest()


def _repo(size: str) -> Path:
    repo = WORK / size / "repo"
    stamp = WORK / size / "generated"
    if not (stamp.exists() and stamp.read_text() == GEN_VERSION):
        generate(SIZES[size], repo)
        stamp.write_text(GEN_VERSION)
    return repo


def _baseline_project(dest: Path, pages: int) -> Path:
    """A plain mkdocs project: `pages` Markdown pages of ~3,000 words, a navigation of 10 entries."""
    stamp = dest / f"pages-{pages}"
    if stamp.exists():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    docs = dest / "docs"
    docs.mkdir(parents=True)
    rng = random.Random(11)
    vocab = vocabulary("en")
    for n in range(pages - 1):  # index.md is the last page
        lines = [f"# {sentence(rng, vocab, 4).rstrip('.')}", ""]
        words, clause = 0, 1
        while words < 3000:
            if clause % 8 == 1:
                lines += [f"## {sentence(rng, vocab, 3).rstrip('.')}", ""]
            body = plain_words(rng, vocab, rng.randint(40, 140))
            lines += [f"{clause}. {' '.join(body)}", ""]
            words += len(body)
            clause += 1
        folder = docs / f"p{n // 100:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"page-{n:05d}.md").write_text("\n".join(lines), encoding="utf-8")
    (docs / "index.md").write_text("# Baseline\n\nPlain pages.\n", encoding="utf-8")
    nav = ["  - index.md"] + [f"  - p000/page-{n:05d}.md" for n in range(min(9, pages - 1))]
    # The repository's mkdocs.yml without the smops-policy plugin and without its docs_dir.
    config = [
        line
        for line in (HERE.parent / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
        if "smops-policy" not in line and not line.startswith(("docs_dir:", "#"))
    ]
    (dest / "mkdocs.yml").write_text("\n".join(config) + "\nnav:\n" + "\n".join(nav) + "\n", encoding="utf-8")
    stamp.write_text("")
    return dest


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
        "GIT_AUTHOR_DATE": "2026-11-20T10:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-11-20T10:00:00+00:00",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, stdout=subprocess.DEVNULL)


ROWS = {
    "cold": "cold",
    "first": "cold, first run on the machine",
    "warm": "warm (nothing changed)",
    "restore": "rebuild into an empty output",
    "incremental": "incremental (one word)",
    "verify": "verify (after the build, its cache kept)",
    "verify_fresh": "verify --no-cache (all built again)",
    "baseline": "baseline (plain mkdocs)",
}
REPEATS = {"small": 15, "medium": 3, "large": 1}


def _median(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda run: run.wall)[len(runs) // 2]


def bench(size: str, repeats: int) -> dict[str, object]:
    """Each build `repeats` times, interleaved with the baseline (so both see the machine alike); the
    run with the median wall time is reported."""
    repo = _repo(size)
    # Both outputs are made in the same folder: on this machine's disk, writing the same files into
    # two sibling folders of the work tree differed up to four times in speed (ext4 places a folder's
    # files near it, and some places were slow), which is the disk, not either build.
    outputs = WORK / size / "out"
    out, base_out = outputs / "smops-policy", outputs / "mkdocs"
    outputs.mkdir(parents=True, exist_ok=True)
    build = [
        sys.executable,
        "-m",
        "smops_policy.cli",
        "build",
        "--repo",
        str(repo),
        "--as-of",
        AS_OF,
        "--output",
        str(out),
        "--quiet",
    ]
    runs: dict[str, list[Run]] = {name: [] for name in ROWS}
    identical = True
    for _ in range(repeats):
        # cold, first run on the machine: not even the theme's compiled templates (kept in the user's
        # cache folder, as Python keeps __pycache__) exist yet
        with tempfile.TemporaryDirectory() as empty:
            _clean(repo, out)
            runs["first"].append(_measure(build, repo, out, env={"XDG_CACHE_HOME": empty}))
        # cold: no output, no .smops-cache
        _clean(repo, out)
        runs["cold"].append(_measure(build, repo, out))
        cold_digest = _tree_digest(out)
        # the baseline right after the cold build, so that each pair meets the machine alike
        base_dir = _baseline_project(WORK / size / "baseline", runs["cold"][-1].pages)
        shutil.rmtree(base_out, ignore_errors=True)
        runs["baseline"].append(
            _measure([sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(base_out)], base_dir, base_out)
        )
        runs["warm"].append(_measure(build, repo, out))
        identical &= _tree_digest(out) == cold_digest
        # CI with its cache restored in a fresh checkout: .smops-cache, but no output folder
        shutil.rmtree(out)
        runs["restore"].append(_measure(build, repo, out))
        identical &= _tree_digest(out) == cold_digest
        # `smops-policy verify` as CI runs it right after the build (fails the benchmark if it fails),
        # and with nothing taken from the cache (every language built again, from git)
        verify = [sys.executable, "-m", "smops_policy.cli", "verify", "--repo", str(repo), "--output", str(out)]
        runs["verify"].append(_measure(verify, repo, out))
        runs["verify_fresh"].append(_measure([*verify, "--no-cache"], repo, out))
        # One word edited in the upcoming (newest) version of the first policy's source text, committed.
        edited = repo / "policies" / "privacy" / "en.md"
        text = edited.read_text(encoding="utf-8")
        cut = text.index("\n1. ") + 4
        edited.write_text(text[:cut] + "Benchmarked " + text[cut:], encoding="utf-8")
        _git(repo, "commit", "-q", "-am", "One-word edit")
        try:  # --verbose: the build says how many language builds it took from the cache
            runs["incremental"].append(_measure([*(a for a in build if a != "--quiet"), "--verbose"], repo, out))
        finally:
            _git(repo, "reset", "-q", "--hard", "HEAD~1")
    _clean(repo, out)
    # Each repetition's cold build and baseline ran one after the other: their ratio is less at the
    # mercy of the machine's load over the whole run than the ratio of the two medians.
    paired = sorted(cold.wall / base.wall for cold, base in zip(runs["cold"], runs["baseline"], strict=True))
    walls = {name: [round(run.wall, 3) for run in measured] for name, measured in runs.items()}  # results.json
    return {"size": size, "repeats": repeats, "identical": identical, "paired": paired, "walls": walls} | {
        name: _median(measured) for name, measured in runs.items()
    }


def _clean(repo: Path, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(repo / ".smops-cache", ignore_errors=True)


def _machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("mkdocs", "mkdocs-material", "markdown-it-py"))
    return [
        f"- CPUs (nproc): {os.cpu_count()}; CPU: {cpu}; RAM: {mem / 1024 / 1024:.1f} GiB",
        f"- Python {platform.python_version()}; {versions}; {platform.platform()}",
    ]


def _table(results: list[dict[str, object]]) -> list[str]:
    rows = [
        "| size | build | pages | wall s | CPU s | ms/page | pages/s | peak RSS MiB | output MiB | ratio to baseline (wall) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        base: Run = r["baseline"]  # type: ignore[assignment]
        for name, label in ROWS.items():
            run: Run = r[name]  # type: ignore[assignment]
            rows.append(
                f"| {r['size']} | {label} | {run.pages} | {run.wall:.2f} | {run.cpu:.2f} | "
                f"{1000 * run.wall / max(run.pages, 1):.1f} | {run.pages_per_s:.1f} | {run.rss_mib:.0f} | "
                f"{run.bytes / 2**20:.1f} | {run.wall / base.wall:.2f}× |"
            )
    return rows


def _middle(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _checks(results: list[dict[str, object]]) -> list[str]:
    lines = []
    by = {r["size"]: r for r in results}
    for r in results:
        cold, first, warm, base = r["cold"], r["first"], r["warm"], r["baseline"]
        lines.append(
            f"- {r['size']} (median of {r['repeats']}): cold/baseline {cold.wall / base.wall:.2f}× (target ≤ 0.5×; "  # type: ignore[attr-defined]
            f"each repetition's cold build ÷ its baseline: median {_middle(r['paired']):.2f}×, "  # type: ignore[arg-type]
            f"from {min(r['paired']):.2f}× to {max(r['paired']):.2f}×; "  # type: ignore[call-overload]
            f"first run on the machine {first.wall / base.wall:.2f}×); "  # type: ignore[attr-defined]
            f"cold/warm {cold.wall / warm.wall:.1f}× (target ≥ 5×); warm output byte-identical: "  # type: ignore[attr-defined]
            f"{'yes' if r['identical'] else 'NO'}; peak RSS {cold.rss_mib:.0f} MiB"  # type: ignore[attr-defined]
        )
    for r in results:
        cold, verify, fresh = r["cold"], r["verify"], r["verify_fresh"]
        lines.append(
            f"- {r['size']}: verify {verify.wall:.2f} s after the build ({verify.wall / cold.wall:.2f}× the cold "  # type: ignore[attr-defined]
            f"build), {fresh.wall:.2f} s with --no-cache ({fresh.wall / cold.wall:.2f}×)"  # type: ignore[attr-defined]
        )
    for r in results:
        reused = re.search(r"cache: (\d+) of (\d+) language builds reused", r["incremental"].log)  # type: ignore[attr-defined]
        if reused:
            kept, total = int(reused.group(1)), int(reused.group(2))
            lines.append(
                f"- {r['size']}: the one-word edit rebuilt {total - kept} of {total} language builds "
                f"(the Sites with that policy, in its language); the rest came from the cache"
            )
    if "medium" in by and "large" in by:
        per = lambda r: r["cold"].wall / r["cold"].pages  # noqa: E731
        lines.append(
            f"- linearity: large ms/page ÷ medium ms/page = {per(by['large']) / per(by['medium']):.2f} (target ≤ 1.2)"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="small,medium", help="comma-separated: small, medium, large")
    parser.add_argument("--large", action="store_true", help="add the large size (long)")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--repeat", type=int, help="runs per build (default: small 15, medium 3, large 1)")
    args = parser.parse_args()
    sizes = [s for s in args.sizes.split(",") if s] + (["large"] if args.large and "large" not in args.sizes else [])
    WORK.mkdir(exist_ok=True)
    # The package's bytecode, compiled as pip compiles an installed package (mkdocs' is): an editable
    # install under PYTHONDONTWRITEBYTECODE would otherwise compile it again in every build measured.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "smops_policy")], check=True)
    results = []
    for size in sizes:
        print(f"benchmarking {size} …", file=sys.stderr, flush=True)
        results.append(bench(size, args.repeat or REPEATS[size]))
    command = "python benchmarks/run.py " + " ".join(sys.argv[1:])
    report = [
        "# Benchmark results",
        "",
        f"Command: `{command.strip()}` (as of {AS_OF}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
        *_machine(),
        "",
        *_table(results),
        "",
        *_checks(results),
        "",
    ]
    text = "\n".join(report)
    print(text)
    args.results.write_text(text, encoding="utf-8")
    (WORK / "results.json").write_text(
        json.dumps(
            [{k: ({**v.__dict__, "log": ""} if isinstance(v, Run) else v) for k, v in r.items()} for r in results],
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
