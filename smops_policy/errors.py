"""One exception family: every problem names a file (and line) and says what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import PurePath

__all__ = ["PolicyError", "Problem", "Problems"]


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem a person can act on: where it is, what is wrong, and what to do."""

    path: str
    message: str
    line: int | None = None
    hint: str = ""
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "warning: " if self.warning else ""
        text = f"{where}: {kind}{self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class PolicyError(Exception):
    """Raised with one or more problems; the CLI prints them as `path:line: message`."""

    def __init__(self, problems: Problem | list[Problem]) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str | PurePath, message: str, *, line: int | None = None, hint: str = "") -> PolicyError:
        return cls(Problem(str(path), message, line, hint))


class Problems:
    """Collects problems so that `check` reports all of them, not only the first."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str | PurePath, message: str, *, line: int | None = None, hint: str = "") -> None:
        self.items.append(Problem(str(path), message, line, hint))

    def warn(self, path: str | PurePath, message: str, *, line: int | None = None, hint: str = "") -> None:
        self.items.append(Problem(str(path), message, line, hint, warning=True))

    def extend(self, error: PolicyError) -> None:
        self.items.extend(error.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.warning]

    def raise_if_any(self) -> None:
        if self.errors:
            raise PolicyError(self.errors)
