"""The progress line of a build: pages done of total, per Site, on one terminal line."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

__all__ = ["Progress"]


class Progress:
    """Pages done of total, per Site, on one terminal line; silent when not a terminal or --quiet."""

    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None, shared: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.total, self.done = total, 0
        self.label = ""
        self._shown = 0.0
        self._shared = shared  # a worker's count goes to the parent through this multiprocessing.Value

    def start(self, label: str) -> None:
        self.label = label
        self._show(force=True)

    def advance(self, pages: int = 1) -> None:
        self.done += pages
        if self._shared is not None:
            with self._shared.get_lock():
                self._shared.value += pages
                self.done = self._shared.value  # every process's pages, not only this one's
        self._show()

    def share(self, counter: Any) -> None:
        """Count from now on in `counter`, with the forked workers."""
        with counter.get_lock():
            counter.value = self.done
        self._shared = counter

    def _show(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.enabled and (force or now - self._shown > 0.1):
            self._shown = now
            self.stream.write(f"\r\x1b[K{self.label}: {self.done} of {self.total} pages")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
