"""Issue 15 (5), history: any sequence of commits an editor might make (new numbers, lower numbers, edits
after a version took effect, dates out of order, a title changed) either builds, or `check` refuses it
with `path:line: message` for each error; and when it builds, what `smops-policy versions` reports is
what the pages and versions.json say. Each example is a real git repository and a real build (the
BUILDS profile: 5 fixed examples in CI, `HYPOTHESIS_PROFILE=long` for 400 random ones)."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from .conftest import PolicyRepo, policy_text
from .gitsteps import one_site
from .htmlpage import parse
from .hypothesis_profiles import BUILDS

AS_OF = "2026-11-25"
PATH = "policies/privacy/en.md"
ERROR_LINE = re.compile(r"^policies/[^:\s]+:\d+: \S")
NUMBERS = ["1.0", "1.1", "1.2", "1.9", "1.10", "2.0"]
WORDINGS = [
    ["We keep your records safe.", "We answer questions by email."],
    ["We keep your records safe for a year.", "We answer questions by email."],
    ["We answer questions by email.", "We keep your records safe."],
]
TITLES = ["Sample Policy", "Privacy Notice"]

# One commit: which number, how many days after the commit it takes effect (negative: before, so the
# version is in effect at once), which wording and title, and how many days after the commit before.
commits = st.lists(
    st.tuples(
        st.sampled_from(NUMBERS),
        st.integers(min_value=-30, max_value=60),
        st.integers(min_value=0, max_value=len(WORDINGS) - 1),
        st.integers(min_value=0, max_value=len(TITLES) - 1),
        st.integers(min_value=1, max_value=40),
    ),
    min_size=1,
    max_size=5,
)


def commit_all(repo: PolicyRepo, steps: list[tuple[str, int, int, int, int]]) -> None:
    one_site(repo)
    day = dt.date(2024, 1, 1)
    for number, lead, wording, title, gap in steps:
        day += dt.timedelta(days=gap)
        effective = (day + dt.timedelta(days=lead)).isoformat()
        repo.write(PATH, policy_text(number, effective, WORDINGS[wording], title=TITLES[title]))
        repo.commit(f"version {number}", f"{day.isoformat()}T10:00:00+01:00")


def assert_refused_with_lines(stderr: str) -> None:
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("policies/") and ": warning: " not in line]
    assert errors, f"check failed without naming a file:\n{stderr}"
    for line in errors:
        assert ERROR_LINE.match(line), f"no path:line: in {line!r}"


@BUILDS
@given(steps=commits)
def test_any_history_builds_or_is_refused_with_lines_and_versions_agree_with_the_pages(
    steps: list[tuple[str, int, int, int, int]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = PolicyRepo(Path(folder) / "repo")
        try:
            commit_all(repo, steps)
            checked = repo.smops("check")
            event(f"check exit {checked.returncode}")
            assert checked.returncode in (0, 1), checked.stderr
            if checked.returncode == 1:
                assert_refused_with_lines(checked.stderr)
                return
            out = Path(folder) / "site"
            built = repo.smops("build", "--as-of", AS_OF, "--output", str(out))
            assert built.returncode == 0, f"check passed but build failed:\n{built.stderr}"
            listed = json.loads(repo.smops("versions", "privacy", "--as-of", AS_OF, "--site", "alpha", "--json").stdout)
            assert_pages_agree(out / "alpha", listed)
        finally:
            repo.repo.close()


def assert_pages_agree(site: Path, listed: list[dict[str, object]]) -> None:
    index = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    english = index["policies"]["privacy"]["en"]
    # versions.json holds the same records as `versions --json` (which adds the language and path)
    assert english["versions"] == [{k: v for k, v in r.items() if k not in {"lang", "path"}} for r in listed]
    numbers = [str(r["version"]) for r in listed]
    assert len(numbers) == len(set(numbers))
    keys = [_key(n) for n in numbers]
    assert keys == sorted(keys)  # oldest first, 1.10 after 1.9
    in_force = [r for r in listed if r["status"] == "in-force"]
    assert len(in_force) <= 1
    assert english["in_force"] == (in_force[0]["version"] if in_force else None)
    for record in listed:
        page = parse(site / "en" / "privacy" / str(record["version"]) / "index.html")
        assert page.texts("h1", class_="policy-title") == [record["title"]]
        assert str(record["version"]) in page.texts("dd")
        assert page.texts("span", class_=f"policy-status--{record['status']}"), record
    current = parse(site / "en" / "privacy" / "index.html")
    if in_force:
        assert current.texts("h1", class_="policy-title") == [in_force[0]["title"]]
        assert str(in_force[0]["version"]) in current.texts("dd")
    history = parse(site / "en" / "privacy" / "history" / "index.html").text
    for number in numbers:
        assert number in history


def _key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))
