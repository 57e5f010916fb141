"""Build aside, swap at the end: the output is built in a marked sibling folder and renamed into
place, so a failed or killed build leaves the previous output as it was (DECISIONS.md)."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

from smops_policy.build.folders import (
    claim_output,
    is_our_output,
    is_tool_leftover,
    make_marked_folder,
    mark_output,
    process_alive,
)
from smops_policy.errors import PolicyError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Staging"]


class Staging:
    """Build aside, swap at the end: a failed or killed build leaves the previous output as it was.

    The folder built aside carries the output marker from its first moment, so the output it becomes,
    and any leftover of a killed build, can be told from folders the tool did not make."""

    def __init__(self, output: Path, repo: Path, *, option: str = "--output") -> None:
        claim_output(output, repo, option=option)
        self.output = output.resolve()
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            _recover(self.output)
            self.path = make_marked_folder(self.output.parent, f".{self.output.name}.building-{os.getpid()}-")
        except OSError as exc:  # a folder the user may not write in, say: nothing was built yet
            raise PolicyError.at(
                self.output.parent,
                f"the output {self.output.name} cannot be made here ({exc.strerror or exc})",
                hint="choose another folder for --output, one you can write in",
            ) from None

    def commit(self, sites: tuple[str, ...] = ()) -> None:
        """Put the build in place: the whole output, or with `sites` (a build of some Sites) only those
        Sites' folders and the front page, into an output that already exists."""
        if sites and self.output.is_dir():
            self._commit_sites(sites)
            return
        old = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
        if self.output.exists():
            if not self.output.is_dir():
                raise PolicyError.at(self.output, "exists and is not a folder", hint="choose another --output")
            if not is_our_output(self.output):  # an earlier release's output (claim_output accepted it)
                mark_output(self.output)
            self.output.rename(old)
        self.path.rename(self.output)
        shutil.rmtree(old, ignore_errors=True)

    def _commit_sites(self, sites: tuple[str, ...]) -> None:
        """Each named Site's folder swapped in by renames (a reader sees the old folder or the new one,
        whole), then the front page; the other Sites' folders are not touched. The old folders go to a
        marked folder beside the output (`.<output>.sites-old-PID-…`, left there if the build is killed
        between the two renames of a Site, so that no old Site folder is lost) and are then removed."""
        if not is_our_output(self.output):  # an earlier release's output (claim_output accepted it)
            mark_output(self.output)
        old = make_marked_folder(self.output.parent, f".{self.output.name}.sites-old-{os.getpid()}-")
        for site_id in sites:
            current = self.output / site_id
            if current.is_symlink() or current.exists():
                current.rename(old / site_id)
            (self.path / site_id).rename(current)
        (self.path / "index.html").replace(self.output / "index.html")
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(self.path, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _recover(output: Path) -> None:
    """Clear what a killed build left beside the output; put back an output it had set aside. Only the
    tool's own leftovers: a user's `.site.old-backup` is no business of ours, even when it is a copy
    of the output (and so carries the marker): only the names the tool gives, with a process id, count."""
    for leftover in sorted(output.parent.glob(f".{output.name}.old-*")):
        if not leftover.name.removeprefix(f".{output.name}.old-").isdigit() or not is_our_output(leftover):
            continue
        if not output.exists():
            leftover.rename(output)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in output.parent.glob(f".{output.name}.building-*"):
        pid = leftover.name.removeprefix(f".{output.name}.building-").split("-", 1)[0]
        if is_tool_leftover(leftover) and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)
