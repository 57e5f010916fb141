"""Log lines during a build: mkdocs' own during the Site × language builds, and where a command's go."""

from __future__ import annotations

import contextlib
import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["LOG_FORMAT", "PLUGIN_NAME", "Said", "log", "logging_to_stderr", "quiet_unless_verbose"]

PLUGIN_NAME = "smops-policy"
# the logger mkdocs gives a plugin: mkdocs prints its lines as "WARNING -  ..." in its own format
log = logging.getLogger(f"mkdocs.plugins.{PLUGIN_NAME}")


@contextlib.contextmanager
def quiet_unless_verbose(verbose: bool) -> Iterator[None]:
    """The inner builds' 'Building documentation…' lines are noise, one pair per Site and language:
    below warnings, mkdocs says nothing during them unless `verbose`."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    if not verbose:
        logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


LOG_FORMAT = "%(levelname)s: %(message)s"


class Said(logging.Handler):
    """The warnings and errors this process logged, as they were printed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.setFormatter(logging.Formatter(LOG_FORMAT))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextlib.contextmanager
def logging_to_stderr(level: int, *more: logging.Handler) -> Iterator[None]:
    """Log records at `level` and above go to this command's stderr while it runs, and only then:
    `main()` may run many times in one process (the tests run it in-process), each time with its own
    streams."""
    root = logging.getLogger()
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setFormatter(logging.Formatter(LOG_FORMAT))
    handlers = [to_stderr, *more]
    saved_level = root.level
    root.setLevel(level)
    for handler in handlers:
        root.addHandler(handler)
    try:
        yield
    finally:
        for handler in handlers:
            root.removeHandler(handler)
        root.setLevel(saved_level)
