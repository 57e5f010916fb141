"""The rules that turn a file's commits into versions (content/timeline.py), on states made in memory:
what a reader gets published, and what an editor is told, for each kind of history. The same rules on
real repositories are in test_version_rules.py and test_git_workflows.py; these run in milliseconds
(mutation testing runs them hundreds of times)."""

from __future__ import annotations

import datetime as dt
import hashlib

from smops_policy.content.document import read_policy_text
from smops_policy.content.history import Revision
from smops_policy.content.timeline import State, Timeline, as_read, is_correction, read_as, read_timeline, took_effect
from smops_policy.errors import Problems

from .conftest import policy_text

PATH = "policies/privacy/en.md"
ZONE = "Europe/Amsterdam"
CLAUSES = ["We keep your records safe.", "We answer questions by email."]


def file(
    version: str, effective: str, clauses: list[str] = CLAUSES, *, title: str = "Sample Policy", extra: str = ""
) -> str:
    return policy_text(version, effective, clauses, title=title, extra_front=extra)


def states(*commits: tuple[str, ...], path: str = PATH, merge: bool = False) -> list[State]:
    """(commit time, file[, its path then]) tuples, oldest first, as the first-parent chain leaves them."""
    found = []
    for index, (when, text, *renamed) in enumerate(commits):
        data = text.encode()
        where = renamed[0] if renamed else path
        sha = hashlib.sha1(f"{index}{when}".encode() + data).hexdigest()
        revision = Revision(sha, dt.datetime.fromisoformat(when), where, data, merge)
        found.append(State(index, revision, read_policy_text(data, where)))
    return found


def timeline(*commits: tuple[str, ...], translation: bool = False) -> tuple[Timeline, Problems]:
    problems = Problems()
    return read_timeline(states(*commits), ZONE, problems, translation=translation), problems


def numbers(result: Timeline) -> list[str]:
    return [entry.last.number for entry in result.versions]


def messages(problems: Problems) -> list[str]:
    return [str(p) for p in problems.items]


# --------------------------------------------------------------------------- publishing versions


def test_each_new_number_is_a_version_with_its_first_and_last_commit() -> None:
    result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-01-15T10:00:00+01:00", file("1.0", "2020-02-01", ["We keep records safe.", CLAUSES[1]])),
        ("2021-01-01T10:00:00+01:00", file("1.1", "2021-02-01")),
    )
    assert problems.items == []
    assert numbers(result) == ["1.0", "1.1"]
    first, second = result.versions
    assert (first.first.index, first.last.index) == (0, 1)  # edited before it took effect: its last text counts
    assert (second.first.index, second.last.index) == (2, 2)
    assert result.withdrawn == []
    assert first.first.short == first.first.revision.commit[:12]


def test_versions_are_ordered_by_number_not_by_text() -> None:
    result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.9", "2020-02-01")),
        ("2021-01-01T10:00:00+01:00", file("1.10", "2021-02-01")),
    )
    assert problems.items == []
    assert numbers(result) == ["1.9", "1.10"]


def test_no_commits_publish_nothing() -> None:
    result, problems = timeline()
    assert (result.versions, result.withdrawn, problems.items) == ([], [], [])


# --------------------------------------------------------------------------- a version in force never changes


def test_a_changed_text_after_the_version_took_effect_is_an_error_naming_the_commit() -> None:
    history = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),
    )
    problems = Problems()
    read_timeline(history, ZONE, problems)
    [error] = problems.errors
    changed = history[1].short
    assert error.path == PATH
    assert error.line == 3  # the `version:` line of the file
    assert (
        error.message
        == f"version 1.0 took effect on 2020-02-01 but its text was changed in commit {changed} on 2020-03-01"
    )
    assert f"git revert --no-edit {changed}" in error.hint
    assert "higher than 1.0" in error.hint


def test_a_changed_title_after_the_version_took_effect_is_a_change_of_its_text() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", title="Another Policy")),
    )
    [error] = problems.errors
    assert "its text was changed" in error.message


def test_a_changed_effective_date_after_the_version_took_effect_is_named_as_such() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-01-15")),
    )
    [error] = problems.errors
    assert "its effective date was changed" in error.message


def test_rewrapped_lines_and_indentation_are_no_change() -> None:
    rewrapped = file("1.0", "2020-02-01", ["We keep your\n   records    safe.", CLAUSES[1]])
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", rewrapped),
    )
    assert problems.items == []
    assert read_as("  Sample \n Policy ", "1. A\n   b  c\n") == ("Sample Policy", "1. A b c")


def test_a_change_undone_by_a_later_commit_leaves_nothing_to_report() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),
        ("2020-03-02T10:00:00+01:00", file("1.0", "2020-02-01")),
    )
    assert problems.items == []


def test_a_change_in_several_commits_is_restored_from_the_text_it_took_effect_with() -> None:
    history = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),
        ("2020-03-02T10:00:00+01:00", file("1.0", "2020-02-01", ["We keep less.", CLAUSES[1]])),
    )
    problems = Problems()
    read_timeline(history, ZONE, problems)
    [error] = problems.errors
    assert f"changed in commit {history[1].short} on 2020-03-01" in error.message  # the first change
    assert f"git checkout {history[0].short} -- {PATH}, then commit" in error.hint


def test_a_change_by_a_merge_is_reverted_with_its_first_parent() -> None:
    history = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),
        merge=True,
    )
    problems = Problems()
    read_timeline(history, ZONE, problems)
    assert f"git revert --no-edit -m 1 {history[1].short}" in problems.errors[0].hint


def test_a_change_superseded_since_by_a_higher_version_is_only_a_warning() -> None:
    history = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),
        ("2020-04-01T10:00:00+02:00", file("1.1", "2020-05-01")),
    )
    problems = Problems()
    result = read_timeline(history, ZONE, problems)
    assert problems.errors == []
    [warning] = problems.warnings
    assert warning.message.endswith(
        f"; version 1.1 (commit {history[2].short}) has superseded it since, so the page of version 1.0 shows the changed text"
    )
    assert numbers(result) == ["1.0", "1.1"]


# --------------------------------------------------------------------------- when a version takes effect


def test_a_version_takes_effect_at_midnight_of_its_effective_day_in_the_publishers_timezone() -> None:
    [state] = states(("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")))
    zone = __import__("zoneinfo").ZoneInfo(ZONE)
    midnight = dt.datetime(2020, 2, 1, tzinfo=zone)
    assert took_effect(state, midnight, zone)
    assert not took_effect(state, midnight - dt.timedelta(microseconds=1), zone)
    assert took_effect(state, midnight + dt.timedelta(microseconds=1), zone)
    # 23:00 UTC on 31 January is already 00:00 on 1 February in Amsterdam
    assert took_effect(state, dt.datetime(2020, 1, 31, 23, 0, tzinfo=dt.UTC), zone)


def test_a_commit_at_midnight_of_the_effective_day_changes_a_version_in_force() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-02-01T00:00:00+01:00", file("1.0", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),
    )
    assert len(problems.errors) == 1


def test_a_commit_one_second_before_midnight_still_edits_the_upcoming_text() -> None:
    result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-01-31T23:59:59+01:00", file("1.0", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),
    )
    assert problems.items == []
    assert result.versions[0].last.index == 1


# --------------------------------------------------------------------------- effective dates increase


def test_two_versions_taking_effect_on_the_same_day_is_an_error_on_the_effective_line() -> None:
    history = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-01-05T10:00:00+01:00", file("1.1", "2020-02-01")),
    )
    problems = Problems()
    read_timeline(history, ZONE, problems)
    [error] = problems.errors
    assert (error.path, error.line) == (PATH, 4)  # `effective:`
    assert error.message == (
        f"version 1.1 takes effect on 2020-02-01 (commit {history[1].short}), not after version 1.0 (2020-02-01)"
    )
    assert error.hint == (
        "effective dates must increase with the versions: give version 1.1 an effective date after 2020-02-01"
    )


def test_a_version_a_day_after_the_one_before_is_in_order() -> None:
    result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-01-05T10:00:00+01:00", file("1.1", "2020-02-02")),
    )
    assert problems.items == []
    assert numbers(result) == ["1.0", "1.1"]


def test_a_misdated_version_that_later_versions_built_on_is_only_a_warning() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-01-05T10:00:00+01:00", file("1.1", "2020-02-01")),
        ("2020-03-05T10:00:00+01:00", file("1.2", "2020-04-01")),
    )
    assert problems.errors == []
    [warning] = problems.warnings
    assert warning.message.startswith("version 1.1 takes effect on 2020-02-01")
    assert "no commit can change it" in warning.hint


def test_a_date_moved_before_the_version_below_suggests_the_date_it_had() -> None:
    history = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-01-05T10:00:00+01:00", file("1.1", "2020-03-01")),
        ("2020-03-05T10:00:00+01:00", file("1.1", "2020-01-15")),
    )
    problems = Problems()
    read_timeline(history, ZONE, problems)
    changed, order = problems.errors
    assert "its effective date was changed" in changed.message
    assert order.hint.endswith(
        f"an effective date after 2020-02-01, e.g. 2020-03-01 as before commit {history[2].short}"
    )


def test_a_version_dated_the_same_day_as_the_one_below_never_takes_effect() -> None:
    """Effective dates must strictly increase: 1.1 dated the day of 1.0 is out of order, so editing it
    after that day is no change of a version in force, only the date error."""
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-01-05T10:00:00+01:00", file("1.1", "2020-02-01")),
        ("2020-03-05T10:00:00+01:00", file("1.1", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),
    )
    assert [p.message.split(" (commit")[0] for p in problems.errors] == ["version 1.1 takes effect on 2020-02-01"]


def test_an_out_of_order_version_does_not_take_effect_before_the_version_below_it() -> None:
    """1.1 dated before 1.0 is not 'in order': a later edit of 1.1 after 1.1's (wrong) date is no change
    of a version in force, only the date error."""
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-06-01")),
        ("2020-01-05T10:00:00+01:00", file("1.1", "2020-02-01")),
        ("2020-03-05T10:00:00+01:00", file("1.1", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),
    )
    assert [p.message.split(" (commit")[0] for p in problems.errors] == ["version 1.1 takes effect on 2020-02-01"]


# --------------------------------------------------------------------------- going back to a lower number


def test_going_back_below_an_upcoming_version_withdraws_it() -> None:
    history = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("2.0", "2021-01-01")),
        ("2020-04-01T10:00:00+02:00", file("1.0", "2020-02-01")),
    )
    problems = Problems()
    result = read_timeline(history, ZONE, problems)
    assert problems.items == []
    assert numbers(result) == ["1.0"]
    [(gone, by)] = result.withdrawn
    assert (gone.last.number, by.index) == ("2.0", 2)


def test_going_back_below_a_version_in_force_is_an_error_until_a_higher_version_repairs_it() -> None:
    history = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("2.0", "2020-04-01")),
        ("2020-05-01T10:00:00+02:00", file("1.5", "2020-06-01")),
    )
    problems = Problems()
    result = read_timeline(history, ZONE, problems)
    [error] = problems.errors
    assert error.message == (
        f"version 1.5 (commit {history[2].short}) is lower than version 2.0, which took effect on 2020-04-01: "
        "a version in force cannot be taken back"
    )
    assert "higher than 2.0 (e.g. 2.1)" in error.hint
    assert numbers(result) == ["1.0", "2.0"]  # 1.5 is never a version of the policy

    repaired = [*history, *states(("2020-06-01T10:00:00+02:00", file("2.1", "2020-07-01")))[0:1]]
    repaired[-1] = State(3, repaired[-1].revision, repaired[-1].text)
    problems = Problems()
    result = read_timeline(repaired, ZONE, problems)
    assert problems.errors == []
    [warning] = problems.warnings
    assert f"commit {repaired[3].short} repaired it with version 2.1; version 1.5 is not published" in warning.message
    assert numbers(result) == ["1.0", "2.0", "2.1"]


def test_an_old_version_coming_back_after_a_newer_one_took_effect_is_named_as_coming_back() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("2.0", "2020-04-01")),
        ("2020-05-01T10:00:00+02:00", file("1.0", "2020-02-01")),
        ("2020-05-02T10:00:00+02:00", file("1.0", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),
    )
    back, changed = problems.errors
    assert "its text was changed" in changed.message
    error = back
    assert error.message.startswith("version 1.0 comes back in commit ")
    assert error.message.endswith(
        "after version 2.0 took effect on 2020-04-01: a version in force cannot be taken back"
    )


# --------------------------------------------------------------------------- corrections of translations


def test_a_translation_in_force_corrected_openly_is_a_correction_not_an_error() -> None:
    corrected = file("1.0", "2020-02-01", ["Wij bewaren uw gegevens.", CLAUSES[1]], extra='corrected: "typo"')
    result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", corrected),
        translation=True,
    )
    assert problems.items == []
    [entry] = result.versions
    [(before, after)] = entry.corrections
    assert (before.index, after.index) == (0, 1)


def test_a_translation_changed_silently_is_told_to_say_what_was_corrected() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["Wij bewaren.", CLAUSES[1]])),
        translation=True,
    )
    [error] = problems.errors
    assert error.hint.startswith("a published translation must never change silently: publish it openly")


def test_a_source_text_cannot_be_corrected() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01", extra='corrected: "typo"')),
    )
    [error] = problems.errors
    assert error.message.startswith("'corrected' marks a correction of a translation, but this is the source text")
    assert error.line == 6


def test_a_correction_needs_a_new_summary_and_the_same_effective_date() -> None:
    one, same, two, moved = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01", extra='corrected: "typo"')),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", extra='corrected: "typo"')),
        ("2020-03-02T10:00:00+01:00", file("1.0", "2020-02-01", extra='corrected: "term"')),
        ("2020-03-03T10:00:00+01:00", file("1.0", "2020-03-01", extra='corrected: "date"')),
    )
    assert not is_correction(same, one, one)
    assert is_correction(two, same, one)
    assert not is_correction(moved, two, one)
    assert as_read(one.text) == ("Sample Policy", as_read(one.text)[1], dt.date(2020, 2, 1))


# --------------------------------------------------------------------------- each message, whole


def test_a_lower_number_names_the_highest_version_in_effect() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-01-15")),
        ("2020-02-01T10:00:00+01:00", file("2.0", "2020-02-15")),
        ("2020-03-01T10:00:00+01:00", file("1.2.3", "2020-03-15")),
        ("2020-04-01T10:00:00+02:00", file("0.9", "2020-04-15")),
    )
    first, second = problems.errors
    assert "is lower than version 2.0, which took effect on 2020-02-15" in first.message
    assert "is lower than version 2.0, which took effect on 2020-02-15" in second.message


def test_a_lower_number_edited_in_several_commits_is_one_mistake() -> None:
    history = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-01-15")),
        ("2020-02-01T10:00:00+01:00", file("2.0", "2020-02-15")),
        ("2020-03-01T10:00:00+01:00", file("1.5", "2020-03-15")),
        ("2020-03-02T10:00:00+01:00", file("1.5", "2020-03-16")),
        ("2020-03-03T10:00:00+01:00", file("1.5", "2020-03-17")),
    )
    problems = Problems()
    read_timeline(history, ZONE, problems)
    [error] = problems.items
    assert error.message.startswith(f"version 1.5 (commit {history[2].short}) is lower than version 2.0")
    assert (error.path, error.line, error.warning) == (PATH, 3, False)
    assert error.hint == (
        "give this text a new version number higher than 2.0 (e.g. 2.1) with an effective date after 2020-02-15"
    )


def test_another_lower_number_does_not_repair_a_lower_number() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-01-15")),
        ("2020-02-01T10:00:00+01:00", file("2.0", "2020-02-15")),
        ("2020-03-01T10:00:00+01:00", file("1.5", "2020-03-15")),
        ("2020-03-05T10:00:00+01:00", file("1.6", "2020-03-16")),
    )
    assert [p.message.split(" (commit")[0] for p in problems.errors] == ["version 1.5", "version 1.6"]


def test_the_next_number_suggested_raises_the_last_part() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.2.3", "2020-01-15")),
        ("2020-02-01T10:00:00+01:00", file("1.2", "2020-02-15")),
    )
    [error] = problems.errors
    assert "higher than 1.2.3 (e.g. 1.2.4)" in error.hint


def test_a_repaired_lower_number_is_a_warning_without_a_line() -> None:
    history = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-01-15")),
        ("2020-02-01T10:00:00+01:00", file("2.0", "2020-02-15")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-01-15")),
        ("2020-03-02T10:00:00+01:00", file("2.0", "2020-02-15")),
    )
    problems = Problems()
    read_timeline(history, ZONE, problems)
    [warning] = problems.items
    assert (warning.path, warning.line, warning.warning) == (PATH, None, True)
    assert warning.message == (
        f"version 1.0 comes back in commit {history[2].short} after version 2.0 took effect on 2020-02-15; "
        f"commit {history[3].short} repaired it with version 2.0"
    )
    assert warning.hint == "nothing to do: a later commit repaired it"


def test_a_superseded_change_is_a_warning_on_the_file() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),
        ("2020-04-01T10:00:00+02:00", file("1.1", "2020-05-01")),
    )
    [warning] = problems.items
    assert (warning.path, warning.line) == (PATH, None)
    assert warning.hint == "nothing to do: no later commit can take it back"


def test_a_change_is_dated_in_the_publishers_timezone() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T00:30:00+01:00", file("1.0", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),  # 23:30 UTC
    )
    assert problems.errors[0].message.endswith(" on 2020-03-01")


def test_a_change_to_a_renamed_file_is_restored_from_its_old_path() -> None:
    old = "policies/privacy-old/en.md"
    history = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01"), old),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["We keep nothing.", CLAUSES[1]])),
        ("2020-03-02T10:00:00+01:00", file("1.0", "2020-02-01", ["We keep less.", CLAUSES[1]])),
    )
    problems = Problems()
    read_timeline(history, ZONE, problems)
    assert f"(git show {history[0].short}:{old} > {PATH}, then commit)" in problems.errors[0].hint


def test_a_source_text_marked_corrected_is_an_error_saying_what_to_do() -> None:
    _result, problems = timeline(("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01", extra='corrected: "typo"')))
    [error] = problems.items
    assert error.path == PATH
    assert error.hint == (
        "remove the key: a change to a source text in force needs a new version number and effective date"
    )


def test_a_misdated_version_built_on_is_a_warning_on_the_file() -> None:
    _result, problems = timeline(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-01-05T10:00:00+01:00", file("1.1", "2020-02-01")),
        ("2020-03-05T10:00:00+01:00", file("1.2", "2020-04-01")),
    )
    [warning] = problems.items
    assert (warning.path, warning.line) == (PATH, None)
    assert warning.hint == "nothing to do: later versions have built on it, so no commit can change it"


def test_an_upcoming_version_withdrawn_keeps_its_first_and_last_commit() -> None:
    history = states(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("2.0", "2021-01-01")),
        ("2020-03-02T10:00:00+01:00", file("2.0", "2021-01-02")),
        ("2020-04-01T10:00:00+02:00", file("1.0", "2020-02-01")),
    )
    result = read_timeline(history, ZONE, Problems())
    [(gone, _by)] = result.withdrawn
    assert (gone.first.index, gone.last.index) == (1, 2)


# --------------------------------------------------------------------------- translations: each message, whole

NL_PATH = "policies/privacy/nl.md"


def translation(*commits: tuple[str, str]) -> tuple[list[State], Problems]:
    history = states(*commits, path=NL_PATH)
    problems = Problems()
    read_timeline(history, ZONE, problems, translation=True)
    return history, problems


def test_a_translations_effective_date_changed_in_force_must_be_restored() -> None:
    history, problems = translation(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-01-20")),
    )
    [error] = problems.items
    assert (error.path, error.line) == (NL_PATH, 3)
    assert error.message.endswith(f"its effective date was changed in commit {history[1].short} on 2020-03-01")
    assert error.hint == (
        "a published translation must never change silently: restore effective: 2020-02-01 "
        f"(git revert --no-edit {history[1].short}): the date belongs to the source version"
    )


def test_a_second_change_under_an_old_correction_summary_needs_a_new_summary() -> None:
    history, problems = translation(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["Eén.", CLAUSES[1]], extra='corrected: "typo"')),
        ("2020-03-02T10:00:00+01:00", file("1.0", "2020-02-01", ["Twee.", CLAUSES[1]], extra='corrected: "typo"')),
    )
    [error] = problems.items
    assert error.hint == (
        f"a published translation must never change silently: give 'corrected:' a new summary of what commit "
        f"{history[2].short} corrects (it still says 'typo', the summary of an earlier correction), or restore "
        f"the text (git revert --no-edit {history[2].short})"
    )


def test_a_correction_after_a_silent_edit_replaces_the_wording_readers_had() -> None:
    history, problems = translation(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["Eén.", CLAUSES[1]])),
        ("2020-03-02T10:00:00+01:00", file("1.0", "2020-02-01", ["Twee.", CLAUSES[1]], extra='corrected: "typo"')),
    )
    assert problems.items == []
    [entry] = read_timeline(history, ZONE, Problems(), translation=True).versions
    [(earlier, after)] = entry.corrections
    assert (earlier.index, after.index) == (0, 2)  # the silent edit was never a wording of its own


def test_a_correction_after_a_rewrap_replaces_the_rewrapped_file() -> None:
    history, problems = translation(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["We keep your\nrecords safe.", CLAUSES[1]])),
        ("2020-03-02T10:00:00+01:00", file("1.0", "2020-02-01", ["Twee.", CLAUSES[1]], extra='corrected: "typo"')),
    )
    assert problems.items == []
    [entry] = read_timeline(history, ZONE, Problems(), translation=True).versions
    [(earlier, after)] = entry.corrections
    assert (earlier.index, after.index) == (1, 2)  # the wording as committed just before


def idle(*commits: tuple[str, str]) -> list[str]:
    history, problems = translation(*commits)
    for problem in problems.items:
        assert (problem.path, problem.line, problem.warning) == (NL_PATH, 6, True)
        assert problem.hint == (
            "remove the key: a correction is a change to the text of a translation in force, and a version "
            "may be changed freely before its effective date"
        )
        assert problem.message.startswith(f"'corrected' is set in commit {history[-1].short}, but ")
        assert problem.message.endswith(": there is no correction to tell readers of")
    return [p.message.split(", but ")[1].split(":")[0] for p in problems.items]


def test_a_correction_summary_that_corrects_nothing_says_why() -> None:
    corrected = 'corrected: "typo"'
    assert idle(("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01", extra=corrected))) == [
        "it publishes version 1.0 for the first time"
    ]
    assert idle(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", extra=corrected)),
    ) == ["the text of version 1.0 is unchanged"]  # in force, the same text, a new summary: nothing was corrected
    assert idle(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-01-02T10:00:00+01:00", file("1.0", "2020-02-01", extra=corrected)),
    ) == ["the text of version 1.0 is unchanged"]
    assert idle(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
        ("2020-01-02T10:00:00+01:00", file("1.0", "2020-02-01", ["Eén.", CLAUSES[1]], extra=corrected)),
    ) == ["version 1.0 takes effect only on 2020-02-01"]


def test_a_correction_summary_left_from_an_earlier_correction_is_not_news() -> None:
    corrected = 'corrected: "typo"'
    assert (
        idle(
            ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01")),
            ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["Eén.", CLAUSES[1]], extra=corrected)),
            ("2020-03-02T10:00:00+01:00", file("1.1", "2020-04-01", extra=corrected)),
        )
        == []
    )


def test_an_idle_correction_is_not_reported_beside_a_silent_change() -> None:
    _history, problems = translation(
        ("2020-01-01T10:00:00+01:00", file("1.0", "2020-02-01", extra='corrected: "a"')),
        ("2020-03-01T10:00:00+01:00", file("1.0", "2020-02-01", ["Eén.", CLAUSES[1]], extra='corrected: "a"')),
    )
    assert [p.warning for p in problems.items] == [False]  # the change, not the summary
