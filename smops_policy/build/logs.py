"""mkdocs' own log lines during the Site × language builds."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["PLUGIN_NAME", "log", "quiet_unless_verbose"]

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
