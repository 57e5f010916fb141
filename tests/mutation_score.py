"""Mutants, killed and score per module from mutmut's remembered results (`make mutation-score`).

Usage: python tests/mutation_score.py urls model compare.diff ...  (module paths under smops_policy/).
Killed counts timeouts and segfaults too (the mutant broke the run); "not checked" mutants are left out
of the score and counted apart, so a module measured in part says so.
"""

from __future__ import annotations

import collections
import subprocess
import sys
from pathlib import Path

KILLED = {"killed", "timeout", "segfault"}


def main(modules: list[str]) -> int:
    mutmut = Path(sys.executable).with_name("mutmut")
    listing = subprocess.run([str(mutmut), "results", "--all", "true"], capture_output=True, text=True, check=True)
    counts: dict[str, collections.Counter[str]] = {m: collections.Counter() for m in modules}
    for line in listing.stdout.splitlines():
        name, _, status = line.strip().rpartition(": ")
        module = name.rsplit(".", 1)[0].removeprefix("smops_policy.")
        if module in counts:
            counts[module][status] += 1
    print("| module | mutants | killed (incl. timeouts) | survived | not checked | score |")
    print("| --- | --- | --- | --- | --- | --- |")
    for module, found in counts.items():
        killed = sum(found[s] for s in KILLED)
        unchecked = found["not checked"]
        checked = sum(found.values()) - unchecked
        score = f"{100 * killed / checked:.1f}%" if checked else "-"
        print(f"| `{module}` | {sum(found.values())} | {killed} | {found['survived']} | {unchecked} | {score} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
