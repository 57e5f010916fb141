"""The rules that turn a policy file's history into its versions: judge the state, not every step.

A file's history is the list of states the first-parent chain of HEAD left it in (`history.py`). These
pure functions walk that list once and decide which versions it publishes, which upcoming versions were
withdrawn, and which mistakes it holds. A mistake a later commit can still repair is an error; one that a
later commit has repaired, or that later versions have built on (no commit can change it any more), is
a warning, so that old history never stops a publication. Every message names the commit that did it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING

from smops_policy.model import version_key

if TYPE_CHECKING:
    from smops_policy.content.document import PolicyText
    from smops_policy.content.history import Revision
    from smops_policy.errors import Problems

__all__ = ["Entry", "State", "Timeline", "as_read", "is_correction", "read_as", "read_timeline", "took_effect"]


@dataclass(frozen=True, slots=True)
class State:
    """The file as one commit on the chain left it, parsed; `index` is its place on the chain."""

    index: int
    revision: Revision
    text: PolicyText

    @property
    def number(self) -> str:
        return self.text.meta.version

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.text.meta.version)

    @property
    def effective(self) -> dt.date:
        return self.text.meta.effective

    @property
    def short(self) -> str:
        return self.revision.commit[:12]


@dataclass(frozen=True, slots=True)
class Entry:
    """A version as the chain leaves it: its first state (when it was published) and its last (its text)."""

    first: State
    last: State
    # translation corrections: (the wording as published before, the state that corrected it), in order
    corrections: tuple[tuple[State, State], ...] = ()


@dataclass(frozen=True, slots=True)
class Timeline:
    versions: list[Entry]  # oldest first
    withdrawn: list[tuple[Entry, State]]  # an upcoming version, and the state that took it back


def took_effect(state: State, moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """Whether `state`'s version was in effect at `moment`: from 00:00 on its effective date, there."""
    return moment >= dt.datetime.combine(state.effective, dt.time(), zone)


def as_read(text: PolicyText) -> tuple[str, str, dt.date]:
    """The text as a reader reads it (re-wrapped lines and indentation are no change), and its date."""
    return (*read_as(text.meta.title, text.body), text.meta.effective)


def read_as(title: str, body: str) -> tuple[str, str]:
    """A title and body as a reader reads them: whitespace folded (also what a Site reads, `relevance.py`)."""
    return " ".join(title.split()), " ".join(body.split())


class _Record:
    """A version while the walk goes on (mutable, private to `read_timeline`)."""

    def __init__(self, state: State, valid: bool) -> None:
        self.first = self.last = self.reference = state
        self.valid = valid  # its reference date was in order with the versions around it
        self.changed_by: State | None = None  # first state that differs from the reference once in effect
        self.corrections: list[tuple[State, State]] = []


@dataclass(frozen=True, slots=True)
class _Regression:
    state: State  # the state that went below a version in effect
    above: State  # that version's published state
    known: bool  # the state's own version was published before (it comes back)
    until: State | None = None  # the last of the states that stayed there, if more than one


def is_correction(state: State, before: State, reference: State) -> bool:
    """Whether `state` openly corrects the wording `reference` of a translation in force: it sets a new
    `corrected:` summary (one that `before`, the state just before it, does not carry) and keeps the
    effective date, which belongs to the source version."""
    corrected = state.text.meta.corrected
    return bool(corrected) and corrected != before.text.meta.corrected and state.effective == reference.effective


def read_timeline(states: list[State], timezone: str, problems: Problems, *, translation: bool = False) -> Timeline:
    """The versions a file's states publish, oldest first. `problems` gets every mistake, as an error
    while a commit can still repair it and as a warning once one has (or none can any more).
    A `translation`'s version in force may be corrected openly (`is_correction`); a source text never."""
    zone = zoneinfo.ZoneInfo(timezone)
    live: dict[str, _Record] = {}
    withdrawn: list[tuple[Entry, State]] = []
    regressions: list[_Regression] = []
    for state in states:
        moment = state.revision.committed
        higher = [r for r in live.values() if r.last.key > state.key]
        in_effect = [r for r in higher if r.valid and took_effect(r.reference, moment, zone)]
        if in_effect:
            top = max(in_effect, key=lambda r: r.last.key)
            last = regressions[-1] if regressions else None
            if last and (last.until or last.state).index == state.index - 1 and last.state.number == state.number:
                regressions[-1] = _Regression(last.state, last.above, last.known, state)  # the same mistake, edited
            else:
                regressions.append(_Regression(state, top.reference, state.number in live))
            if state.number not in live:
                continue  # out of order: never a version of the policy
        else:
            # Going back below versions that have not taken effect withdraws them.
            for gone in higher:
                withdrawn.append((Entry(gone.first, gone.last), state))
                del live[gone.last.number]
        record = live.get(state.number)
        if record is None:
            live[state.number] = _Record(state, _in_order(state, live))
            continue
        if record.valid and took_effect(record.reference, moment, zone):
            if as_read(record.reference.text) == as_read(state.text):
                record.changed_by = None  # back to the text it took effect with: no change
            elif translation and is_correction(state, record.last, record.reference):
                # The wording readers had is the reference: a silent edit before the correction (the
                # error's hint says to add `corrected:` in a later commit) was never a wording of its own.
                earlier = record.last if record.changed_by is None else record.reference
                record.corrections.append((earlier, state))
                record.reference, record.changed_by = state, None
            elif record.changed_by is None:
                record.changed_by = state
        else:
            record.reference, record.valid = state, _in_order(state, live)
        record.last = state
    final = sorted(live.values(), key=lambda r: r.last.key)
    head = states[-1] if states else None
    if head is not None:
        path = head.revision.path
        for regression in regressions:
            _report_regression(regression, states, path, head, problems)
        for record in final:
            if record.changed_by is not None:
                _report_change(record, states, path, head, zone, problems, translation=translation)
        if translation:
            _report_idle_correction(head, states, final, path, problems)
        if not translation and head.text.meta.corrected:
            problems.add(
                path,
                "'corrected' marks a correction of a translation, but this is the source text, which binds",
                line=_line(head, "corrected"),
                hint="remove the key: a change to a source text in force needs a new version number and effective date",
            )
        for before, after in itertools.pairwise(final):
            if after.last.effective <= before.last.effective:
                _report_order(before, after, path, head, problems)
    return Timeline([Entry(r.first, r.last, tuple(r.corrections)) for r in final], withdrawn)


def _in_order(state: State, live: dict[str, _Record]) -> bool:
    """Whether the state's date lies strictly between those of the versions just below and above it."""
    others = [r.last for n, r in live.items() if n != state.number]
    lower = [s for s in others if s.key < state.key]
    upper = [s for s in others if s.key > state.key]
    if lower and max(lower, key=lambda s: s.key).effective >= state.effective:
        return False
    return not (upper and min(upper, key=lambda s: s.key).effective <= state.effective)


def _later(states: list[State], after: State, at_least: tuple[int, ...], *, strictly: bool) -> State | None:
    """The first state after `after` whose version is above (or, unless `strictly`, equal to) `at_least`."""
    for state in states[after.index + 1 :]:
        if state.key > at_least or (not strictly and state.key == at_least):
            return state
    return None


def _line(state: State, key: str) -> int | None:
    return state.text.meta.line_of(key)


def _next_number(number: str) -> str:
    parts = number.split(".")
    return ".".join([*parts[:-1], str(int(parts[-1]) + 1)])


def _report_regression(
    regression: _Regression, states: list[State], path: str, head: State, problems: Problems
) -> None:
    state, above = regression.state, regression.above
    if regression.known:
        what = f"version {state.number} comes back in commit {state.short} after version {above.number} took effect on {above.effective}"
    else:
        what = f"version {state.number} (commit {state.short}) is lower than version {above.number}, which took effect on {above.effective}"
    repaired = _later(states, regression.until or state, above.key, strictly=False)
    if repaired is None:
        problems.add(
            path,
            f"{what}: a version in force cannot be taken back",
            line=_line(head, "version"),
            hint=f"give this text a new version number higher than {above.number} (e.g. {_next_number(above.number)}) "
            f"with an effective date after {above.effective}",
        )
        return
    outcome = "" if regression.known else f"; version {state.number} is not published"
    problems.warn(
        path,
        f"{what}; commit {repaired.short} repaired it with version {repaired.number}{outcome}",
        hint="nothing to do: a later commit repaired it",
    )


def _report_change(
    record: _Record,
    states: list[State],
    path: str,
    head: State,
    zone: zoneinfo.ZoneInfo,
    problems: Problems,
    *,
    translation: bool = False,
) -> None:
    reference, changed = record.reference, record.changed_by
    assert changed is not None
    when = changed.revision.committed.astimezone(zone).date()
    what = "text" if as_read(reference.text)[:2] != as_read(changed.text)[:2] else "effective date"
    message = f"version {reference.number} took effect on {reference.effective} but its {what} was changed in commit {changed.short} on {when}"
    superseded = _later(states, changed, reference.key, strictly=True)
    if superseded is not None:
        problems.warn(
            path,
            f"{message}; version {superseded.number} (commit {superseded.short}) has superseded it since, "
            f"so the page of version {reference.number} shows the changed {what}",
            hint="nothing to do: no later commit can take it back",
        )
        return
    old = reference.revision.path
    if changed is record.last:  # one commit changed it: undo that commit
        restore = f"git revert --no-edit{' -m 1' if changed.revision.merge else ''} {changed.short}"
    elif old == path:
        restore = f"git checkout {reference.short} -- {path}, then commit"
    else:
        restore = f"git show {reference.short}:{old} > {path}, then commit"
    if not translation:
        problems.add(
            path,
            message,
            line=_line(head, "version"),
            hint=f"a published version must never change silently: restore the text it took effect with ({restore}), "
            f"or give it a new version number (higher than {reference.number}) with its own effective date",
        )
        return
    if what == "effective date":
        fix = f"restore effective: {reference.effective} ({restore}): the date belongs to the source version"
    elif changed.text.meta.corrected:
        fix = (
            f"give 'corrected:' a new summary of what commit {changed.short} corrects "
            f"(it still says {changed.text.meta.corrected!r}, the summary of an earlier correction), or restore the text ({restore})"
        )
    else:
        fix = (
            'publish it openly as a correction of the translation: add corrected: "what was corrected" to its '
            f"front matter and commit, or restore the text it took effect with ({restore})"
        )
    problems.add(
        path, message, line=_line(head, "version"), hint=f"a published translation must never change silently: {fix}"
    )


def _report_idle_correction(
    head: State, states: list[State], final: list[_Record], path: str, problems: Problems
) -> None:
    """A `corrected:` summary the last commit set where it corrects nothing in force: readers would
    not see it, which its author surely meant them to."""
    corrected = head.text.meta.corrected
    before = states[head.index - 1] if head.index > 0 else None
    if not corrected or (before is not None and before.text.meta.corrected == corrected):
        return  # no key, or one left from an earlier correction: nothing new
    if any(after is head for r in final for _earlier, after in r.corrections):
        return
    if any(r.changed_by is not None for r in final):
        return  # the change itself is reported
    if not any(s.number == head.number for s in states[: head.index]):
        reason = f"it publishes version {head.number} for the first time"
    elif before is not None and as_read(before.text) == as_read(head.text):
        reason = f"the text of version {head.number} is unchanged"
    else:
        reason = f"version {head.number} takes effect only on {head.effective}"
    problems.warn(
        path,
        f"'corrected' is set in commit {head.short}, but {reason}: there is no correction to tell readers of",
        line=_line(head, "corrected"),
        hint="remove the key: a correction is a change to the text of a translation in force, and a version "
        "may be changed freely before its effective date",
    )


def _report_order(before: _Record, after: _Record, path: str, head: State, problems: Problems) -> None:
    last = after.last
    message = (
        f"version {last.number} takes effect on {last.effective} (commit {last.short}), "
        f"not after version {before.last.number} ({before.last.effective})"
    )
    if last.number != head.number:
        problems.warn(path, message, hint="nothing to do: later versions have built on it, so no commit can change it")
        return
    was = after.reference
    earlier = (
        f", e.g. {was.effective} as before commit {last.short}"
        if was is not last and was.effective > before.last.effective
        else ""
    )
    problems.add(
        path,
        message,
        line=_line(head, "effective"),
        hint=f"effective dates must increase with the versions: give version {last.number} an effective date after "
        f"{before.last.effective}{earlier}",
    )
