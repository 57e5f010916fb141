"""Which versions are news on a Site (content/relevance.py), on versions made in memory: a version that
reads on one Site exactly as the version before it (passages selected, values filled, whitespace
folded) is "unchanged for this Site". The same rules through real builds are in test_site_relevance.py."""

from __future__ import annotations

import pytest

from smops_policy.content import relevance
from smops_policy.content.relevance import site_reading, site_summary, unchanged_for_site

from .domain import site, version

ALPHA, BETA = site("alpha"), site("beta", url="https://beta.example/")


@pytest.fixture(autouse=True)
def fresh_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test reads its versions afresh: a reading remembered by an earlier test (or process) would
    hide what this one checks."""
    monkeypatch.setattr(relevance, "_SHAPES", {})
    monkeypatch.setattr(relevance, "_READINGS", {})


ALPHA_ONLY = "<!-- only: alpha -->\n2. Alpha also keeps photographs.\n<!-- end only -->\n"


def test_a_first_version_always_changes_the_text() -> None:
    assert not unchanged_for_site(version("1.0", "2020-01-01"), None, ALPHA)


def test_the_same_text_reads_the_same_on_every_site() -> None:
    old, new = version("1.0", "2020-01-01"), version("1.1", "2021-01-01")
    assert unchanged_for_site(new, old, ALPHA)
    assert unchanged_for_site(new, old, BETA)


def test_a_different_text_without_site_passages_or_values_is_different_everywhere() -> None:
    old = version("1.0", "2020-01-01")
    new = version("1.1", "2021-01-01", body="1. We keep your records safe for a year.\n")
    assert not unchanged_for_site(new, old, ALPHA)


def test_a_new_title_is_a_change() -> None:
    old, new = version("1.0", "2020-01-01"), version("1.1", "2021-01-01", title="Privacy Notice")
    assert not unchanged_for_site(new, old, ALPHA)


def test_rewrapped_lines_are_no_change() -> None:
    old = version("1.0", "2020-01-01", body="1. We keep your\n   records safe.\n")
    new = version("1.1", "2021-01-01", body="1. We keep your records    safe.\n")
    assert unchanged_for_site(new, old, ALPHA)


def test_a_passage_for_one_site_is_news_there_only() -> None:
    old = version("1.0", "2020-01-01")
    new = version("1.1", "2021-01-01", body="1. We keep your records safe.\n" + ALPHA_ONLY)
    assert not unchanged_for_site(new, old, ALPHA)
    assert unchanged_for_site(new, old, BETA)
    assert unchanged_for_site(old, new, BETA)  # and taken away again: no news for beta either


def test_a_value_changed_in_the_text_is_news_only_where_the_value_differs() -> None:
    """1.0 names the Site's support address; 1.1 writes alpha's address out. Alpha reads the same."""
    old = version("1.0", "2020-01-01", body="1. Write to {{ site.support }}.\n")
    new = version("1.1", "2021-01-01", body="1. Write to help@alpha.example.\n")
    alpha, beta = site("alpha", support="help@alpha.example"), site("beta", support="help@beta.example")
    assert unchanged_for_site(new, old, alpha)
    assert not unchanged_for_site(new, old, beta)


@pytest.mark.parametrize(
    "value",
    ["", " help@alpha.example", "help@alpha.example ", "help@alpha  example", "help"],
    ids=["empty", "leading space", "trailing space", "inner run", "shorter"],
)
def test_values_that_folding_changes_are_compared_as_read(value: str) -> None:
    """A value with spaces that folding removes reads as its folded form (the quick length check
    must not say "changed" for it); an empty value reads as nothing."""
    old = version("1.0", "2020-01-01", body="1. Write to {{ site.support }} today.\n")
    new = version("1.1", "2021-01-01", body=f"1. Write to {' '.join(value.split())} today.\n")
    assert unchanged_for_site(new, old, site("alpha", support=value))
    assert not unchanged_for_site(new, old, site("alpha", support="other@alpha.example"))


def test_a_value_in_the_title_is_read_with_the_sites_value() -> None:
    old = version("1.0", "2020-01-01", title="Privacy at {{ site.brand }}")
    new = version("1.1", "2021-01-01", title="Privacy at Alpha")
    assert unchanged_for_site(new, old, site("alpha", brand="Alpha"))
    assert not unchanged_for_site(new, old, site("beta", brand="Beta"))


def test_a_missing_value_keeps_its_placeholder() -> None:
    old = version("1.0", "2020-01-01", title="Privacy at {{ site.brand }}")
    new = version("1.1", "2021-01-01", title="Privacy at {{ site.brand }}", body="1. Other.\n")
    assert not unchanged_for_site(new, old, site("alpha"))


def test_the_reading_of_a_site_depends_on_its_values_and_passages() -> None:
    text = version("1.0", "2020-01-01", body="1. Write to {{ site.support }}.\n" + ALPHA_ONLY)
    one = site_reading(text, site("alpha", support="a@alpha.example"))
    assert one == site_reading(text, site("alpha", support="a@alpha.example"))
    assert one != site_reading(text, site("alpha", support="b@alpha.example"))
    assert one != site_reading(text, site("beta", support="a@alpha.example"))
    assert len(one) == 64  # a sha256 digest: only digests are kept in memory


def test_remembered_readings_are_forgotten_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(relevance, "_KEPT", 2)
    readings, shapes = [], []
    before = version("1.0", "2020-01-01")
    for number in range(4):
        text = version(f"1.{number + 1}", "2020-01-01", body=f"1. Text {number}.\n")
        site_reading(text, ALPHA)
        readings.append(len(relevance._READINGS))
        unchanged_for_site(text, before, ALPHA)
        shapes.append(len(relevance._SHAPES))
    assert readings == [1, 2, 0, 1]  # a third is one too many: all forgotten
    assert shapes == [2, 1, 2, 1]  # cleared by the third, then the older one read again


def test_a_site_shows_its_own_summary_else_the_default() -> None:
    text = version("1.1", "2021-01-01", summary="Adds a clause.", site_summaries=(("beta", "Nothing new for Beta."),))
    assert site_summary(text, BETA) == "Nothing new for Beta."
    assert site_summary(text, ALPHA) == "Adds a clause."
