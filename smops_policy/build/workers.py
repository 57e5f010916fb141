"""Site × language builds side by side: `jobs - 1` forked worker processes and this one take the
builds of one run from a shared queue until none is left.

Forked, so nothing is pickled on the way in: a worker starts with the run as it is (the plan, the
configuration, the parsed mkdocs.yml) and sends back only what it did (`WorkerResult`). A worker
dies with the build that started it (Linux's PR_SET_PDEATHSIG), so nothing goes on writing into the
folder of a killed build.
"""

from __future__ import annotations

import contextlib
import os
import queue
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smops_policy.build.language_build import build_language
from smops_policy.errors import PolicyError, Problem

if TYPE_CHECKING:
    from smops_policy.build.run import BuildRun, Task

__all__ = ["TaskQueue", "WorkerResult", "build_in_workers", "take_tasks"]


class TaskQueue:
    """The Site × language builds of one run, shared by the processes that take them.

    A process keeps to one language while that language has builds left: the versions, diffs and
    dates of a language are parsed and rendered once per process (`BodyCache`, `DiffCache`), so the
    second Site in the same language costs a fraction of the first. When its language is done it
    takes a language no other process is on, and only then helps with another's (the longest first).
    """

    def __init__(self, context: Any, tasks: list[Task], processes: int) -> None:
        self.tasks = tasks
        languages = sorted({lang for _index, lang in tasks})
        self._code = {lang: number + 1 for number, lang in enumerate(languages)}  # 0: no language yet
        self._lock = context.Lock()
        self._taken = context.RawArray("b", len(tasks))
        self._holding = context.RawArray("i", processes)  # the language each process is on

    def take(self, slot: int) -> int | None:
        """The number of the next task for process `slot`, or None when none is left."""
        with self._lock:
            mine = self._holding[slot]
            others = {code for other, code in enumerate(self._holding) if other != slot}
            best: tuple[int, int] | None = None
            for number, (_index, lang) in enumerate(self.tasks):  # the longest first
                if self._taken[number]:
                    continue
                code = self._code[lang]
                rank = 0 if code == mine else 1 if code not in others else 2
                if best is None or rank < best[0]:
                    best = (rank, number)
                    if rank == 0:
                        break
            if best is None:
                return None
            number = best[1]
            self._taken[number] = 1
            self._holding[slot] = self._code[self.tasks[number][1]]
            return number


def take_tasks(run: BuildRun, tasks: TaskQueue, slot: int) -> None:
    """Build tasks until none is left; what stops one goes to `run.problems`, and the next is taken
    (as a build one by one would report every Site's problems)."""
    while (number := tasks.take(slot)) is not None:
        index, lang = tasks.tasks[number]
        plan = run.prepared.plans[index]
        try:
            build_language(run, plan, lang, run.target / plan.site.id)
        except PolicyError as exc:
            run.problems += exc.problems


@dataclass
class WorkerResult:
    """What a worker did, sent to the parent (pickled: small)."""

    used: set[str]
    hits: int
    misses: int
    dropped: int
    written: dict[str, dict[str, str]]
    problems: list[Problem]
    failure: str = ""  # an unexpected exception's traceback: the parent raises it


def build_in_workers(run: BuildRun, tasks: list[Task], jobs: int) -> None:
    """Run `tasks` in this process and `jobs - 1` forked workers; their records join the run's."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    run.progress.share(counter)
    shared = TaskQueue(context, tasks, jobs)
    results: Any = context.Queue()
    parent = os.getpid()
    workers = [
        context.Process(target=_work, args=(run.in_worker(counter), shared, slot, results, parent), daemon=True)
        for slot in range(1, jobs)
    ]
    try:
        for worker in workers:
            worker.start()
        take_tasks(run, shared, 0)  # slot 0 is this process
        for result in _results(run, results, workers):
            if result.failure:
                raise RuntimeError(f"a build worker failed:\n{result.failure}")
            run.cache.used |= result.used
            run.cache.hits += result.hits
            run.cache.misses += result.misses
            run.cache.dropped += result.dropped
            run.cache.written |= result.written
            run.problems += result.problems
    finally:
        for worker in workers:
            if worker.is_alive():  # only after a failure here: the others sent their result and ended
                worker.terminate()
            worker.join()


def _results(run: BuildRun, results: Any, workers: list[Any]) -> list[WorkerResult]:
    """Every worker's result, showing progress while they work."""
    found: list[WorkerResult] = []
    polls_after_the_end = 0
    while len(found) < len(workers):
        try:
            found.append(results.get(timeout=0.1))
        except queue.Empty:
            run.progress.advance(0)
            if any(worker.is_alive() for worker in workers):
                continue
            polls_after_the_end += 1
            if polls_after_the_end > 20:  # every worker ended, and what they sent has had 2 s to arrive
                raise RuntimeError("a build worker ended without a result (killed?)") from None
    return found


def _work(run: BuildRun, tasks: TaskQueue, slot: int, results: Any, parent: int) -> None:
    """A forked worker's life. Problems come back as data, since an exception is not a good way to
    carry them across processes."""
    _die_with_parent(parent)
    try:
        take_tasks(run, tasks, slot)
        cache = run.cache
        results.put(WorkerResult(cache.used, cache.hits, cache.misses, cache.dropped, cache.written, run.problems))
    except BaseException:  # sent to the parent, which raises it with its traceback
        results.put(WorkerResult(set(), 0, 0, 0, {}, [], failure=traceback.format_exc()))
    results.close()
    results.join_thread()  # sent before the process ends


def _die_with_parent(parent: int) -> None:
    """A worker whose parent is killed ends at once (on Linux), rather than write on into a folder that
    the next build clears as a dead build's leftover."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # killed before that took hold
        os._exit(1)
