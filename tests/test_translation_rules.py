"""Translations in step with their source (content/translations.py), on histories made in memory: which
source version a translation's reader is told about, and what `check` says of a translation that lags,
claims a version its source never had, or numbers its clauses differently."""

from __future__ import annotations

import datetime as dt

from smops_policy.content.translations import check_translations, lag, newer_source_versions, structure
from smops_policy.errors import Problems
from smops_policy.model import PolicyHistory, Publisher

from .domain import history, site, version

TODAY = dt.date(2026, 11, 27)
TWO = "1. We keep your records safe.\n2. We answer questions.\n"
THREE = TWO + "3. We delete records after a year.\n"
EN1 = version("1.0", "2020-01-01", body=TWO)
EN2 = version("1.1", "2023-03-01", body=THREE)
EN3 = version("2.0", "2031-01-01", body=THREE)
NL1 = version("1.0", "2020-01-01", lang="nl", body=TWO)
NL2 = version("1.1", "2023-03-01", lang="nl", body=THREE)
PUBLISHER = Publisher("Europe/Amsterdam", "en", (site("alpha", languages=("en", "nl")),), "en")


def test_a_translation_behind_the_version_in_force_is_told_of_that_version() -> None:
    found = lag(history(EN1, EN2, EN3), NL1, TODAY)
    assert found is not None
    assert (found.translation, found.source, found.in_force) == (NL1, EN2, True)


def test_a_translation_of_the_version_in_force_is_told_of_the_first_newer_upcoming_one() -> None:
    found = lag(history(EN1, EN2, EN3), NL2, TODAY)
    assert found is not None
    assert (found.translation, found.source, found.in_force) == (NL2, EN3, False)
    translated_ahead = version("2.0", "2031-01-01", lang="nl", body=THREE)
    assert lag(history(EN1, EN2, EN3), translated_ahead, TODAY) is None  # translates the upcoming one already
    assert lag(history(EN1, EN2, EN3), NL2, dt.date(2031, 1, 1)) is not None  # then in force
    assert lag(history(EN1, EN2), NL2, TODAY) is None  # in step
    assert lag(None, NL2, TODAY) is None
    assert lag(history(EN1, EN2), EN1, TODAY) is None  # the source is no translation of itself


def test_the_newer_source_versions_are_those_not_superseded_above_the_newest_translation() -> None:
    draft = version("2.1", "2032-01-01", body=THREE, committed=None)
    assert newer_source_versions(history(EN1, EN2, EN3, draft), history(NL1), TODAY) == [EN2, EN3, draft]
    assert newer_source_versions(history(EN1, EN2, EN3), history(NL1), dt.date(2031, 6, 1)) == [EN3]
    assert newer_source_versions(history(EN1, EN2), history(NL1, NL2), TODAY) == []


def test_structure_counts_clauses_and_headed_sections_as_a_site_shows_them() -> None:
    headed = version("1.0", "2020-01-01", body="## Contact\n\n1. One.\n2. Two.\n\n## Other\n\n3. Three.\n")
    assert structure(headed, "alpha") == (3, 0, (2, 2))  # 3 numbered clauses, no other passage, two ## sections
    passage = version("1.0", "2020-01-01", body="1. One.\n<!-- only: beta -->\n2. Two.\n<!-- end only -->\n")
    assert structure(passage, "alpha") == (1, 0, ())
    assert structure(passage, "beta") == (2, 0, ())
    prose = version("1.0", "2020-01-01", body="## Who\n\nA paragraph.\n\n- a bullet\n- another\n")
    assert structure(prose, "alpha") == (0, 3, (2,))  # a paragraph and two top-level bullets: three passages
    broken = version("1.0", "2020-01-01", body="1. One.\n<!-- only: beta -->\n2. Two.\n")
    assert structure(broken, "alpha") is None


def check(*histories: object, missing: dict[str, str] | None = None) -> Problems:
    problems = Problems()
    found = {(h.policy, h.lang): h for h in histories}  # type: ignore[attr-defined]
    check_translations(PUBLISHER, found, TODAY, problems, missing_sources=missing)
    return problems


def test_check_warns_of_a_translation_that_lags_naming_the_newer_versions() -> None:
    problems = check(history(EN1, EN2, EN3), history(NL1))
    assert problems.errors == []
    [warning] = problems.warnings
    assert warning.path == "policies/privacy/nl.md"
    assert warning.line == 3
    assert warning.message == (
        "translates version 1.0, but policies/privacy/en.md has version 1.1 in force since 2023-03-01 "
        "and version 2.0 taking effect on 2031-01-01"
    )
    draft = version("2.1", "2032-01-01", body=THREE, committed=None)
    [warning] = check(history(EN1, EN2, draft), history(NL1, NL2)).warnings
    assert warning.message.endswith("has a draft of version 2.1")


def test_check_refuses_a_translation_of_a_version_the_source_never_had() -> None:
    nl = version("1.5", "2022-01-01", lang="nl", body=TWO)
    [error] = check(history(EN1, EN2), history(NL1, nl)).errors
    assert error.message == (
        f"version 1.5 (commit {nl.short_commit}) claims to translate version 1.5 of policies/privacy/en.md, "
        "which it never had (its versions: 1.0, 1.1)"
    )
    assert error.line == 3


def test_check_refuses_a_translation_with_other_clauses_or_sections() -> None:
    nl = version("1.1", "2023-03-01", lang="nl", body=TWO)
    [error] = check(history(EN1, EN2), history(NL1, nl)).errors
    assert error.message == (
        f"version 1.1 (commit {nl.short_commit}) has 2 clauses and 0 sections, but version 1.1 of "
        "policies/privacy/en.md has 3 clauses and 0 sections (as Site 'alpha' shows them)"
    )
    one = version("1.1", "2023-03-01", lang="nl", body="## Contact\n\n1. One.\n", committed=None)
    [error] = check(history(EN1, EN2), history(NL1, one)).errors
    assert error.message.startswith("version 1.1 has 1 clause and 1 section, but")  # a draft: no commit


def test_check_names_a_missing_source_text() -> None:
    [error] = check(history(NL1), missing={"privacy": "policies/privacy/en.md"}).errors
    assert (error.path, error.message) == (
        "policies/privacy/nl.md",
        "is a translation of policies/privacy/en.md, which does not exist",
    )
    assert check(history(NL1)).items == []


def test_check_accepts_translations_in_step() -> None:
    assert check(history(EN1, EN2), history(NL1, NL2)).items == []


def test_each_problem_names_the_file_line_and_what_to_do() -> None:
    lagging = check(history(EN1, EN2), history(NL1)).items[0]
    assert lagging.hint == "translate the newer version and give the translation its version number"
    nl = version("1.5", "2022-01-01", lang="nl", body=TWO)
    [claimed] = check(history(EN1, EN2), history(NL1, nl)).errors
    assert (claimed.path, claimed.hint) == (
        "policies/privacy/nl.md",
        "set version to the number of the source version this text translates",
    )
    other = version("1.1", "2023-03-01", lang="nl", body=TWO)
    [numbered] = check(history(EN1, EN2), history(NL1, other)).errors
    assert (numbered.path, numbered.line, numbered.hint) == (
        "policies/privacy/nl.md",
        3,
        "a translation keeps the numbered clauses, the unnumbered passages and the headings (and their levels) of the text it translates",
    )
    [missing] = check(history(NL1), missing={"privacy": "policies/privacy/en.md"}).errors
    assert missing.hint == "add the en text it translates, or remove this file"


def test_every_translation_and_policy_is_checked_not_only_the_first() -> None:
    """Histories are checked in order (policy, language): one without a source text, or whose source
    has no versions, must not end the check of the others."""
    alpha = site("alpha", languages=("en", "nl", "de"), policies=("cookies", "privacy", "terms"))
    publisher = Publisher("Europe/Amsterdam", "en", (alpha,), "en")
    histories = {
        ("cookies", "de"): history(version("1.0", "2020-01-01", policy="cookies", lang="de", body=TWO)),
        ("empty", "en"): PolicyHistory("empty", "en", ()),
        ("empty", "nl"): history(version("1.0", "2020-01-01", policy="empty", lang="nl", body=TWO)),
        ("privacy", "en"): history(EN1, EN2),
        ("privacy", "nl"): history(NL1, version("1.5", "2022-01-01", lang="nl", body=TWO)),
        ("terms", "en"): history(version("1.0", "2020-01-01", policy="terms", body=THREE)),
        ("terms", "nl"): history(version("1.0", "2020-01-01", policy="terms", lang="nl", body=TWO)),
    }
    problems = Problems()
    check_translations(publisher, histories, TODAY, problems)
    assert sorted((p.path, p.message.split(" (commit")[0]) for p in problems.errors) == [
        ("policies/privacy/nl.md", "version 1.5"),
        ("policies/terms/nl.md", "version 1.0"),
    ]


ONLY_GAMMA = "1. We keep your records safe.\n<!-- only: gamma -->\n2. Gamma only.\n<!-- end only -->\n"


def test_structure_is_compared_as_each_site_publishing_both_languages_shows_it() -> None:
    """gamma shows the English text only: its passage is no reason to number the Dutch text differently."""
    beta = site("beta", languages=("en", "nl"))
    gamma = site("gamma", languages=("en",))
    en = version("1.0", "2020-01-01", body=ONLY_GAMMA)
    nl = version("1.0", "2020-01-01", lang="nl", body="1. Wij bewaren uw gegevens.\n")
    problems = Problems()
    histories = {("privacy", "en"): history(en), ("privacy", "nl"): history(nl)}
    check_translations(Publisher("Europe/Amsterdam", "en", (beta, gamma), "en"), histories, TODAY, problems)
    assert problems.items == []
    # No Site shows both: then as every Site publishing the policy shows it.
    delta = site("delta", languages=("nl",))
    check_translations(Publisher("Europe/Amsterdam", "en", (gamma, delta), "en"), histories, TODAY, problems)
    [error] = problems.errors
    assert error.message.endswith("(as Site 'gamma' shows them)")
    outside = site("outside", languages=("en", "nl"), policies=("terms",))
    problems = Problems()
    check_translations(Publisher("Europe/Amsterdam", "en", (gamma, outside), "en"), histories, TODAY, problems)
    assert [e.message.endswith("(as Site 'gamma' shows them)") for e in problems.errors] == [True]


def test_a_translation_that_does_not_parse_is_left_to_its_own_error() -> None:
    broken = version("1.0", "2020-01-01", lang="nl", body="1. Een.\n<!-- only: beta -->\n")
    assert check(history(EN1), history(broken)).items == []
    broken_source = version("1.0", "2020-01-01", body="1. One.\n<!-- only: beta -->\n")
    assert check(history(broken_source), history(NL1)).items == []


def test_every_version_and_every_site_of_a_translation_is_checked() -> None:
    """A claimed version, or a Site whose view agrees, does not end the check of what follows."""
    claimed = version("1.5", "2022-01-01", lang="nl", body=TWO)
    numbered = version("1.1", "2023-03-01", lang="nl", body=TWO)
    assert [e.message.split(" (commit")[0] for e in check(history(EN1, EN2), history(claimed, numbered)).errors] == [
        "version 1.5",
        "version 1.1",
    ]
    # Site beta agrees (its passage hides the extra clause from both); gamma does not.
    only_beta = "1. One.\n2. Two.\n<!-- except: beta -->\n3. Three.\n<!-- end except -->\n"
    en = version("1.0", "2020-01-01", body=only_beta)
    nl = version("1.0", "2020-01-01", lang="nl", body="1. Een.\n2. Twee.\n")
    beta, gamma = site("beta", languages=("en", "nl")), site("gamma", languages=("en", "nl"))
    problems = Problems()
    histories = {("privacy", "en"): history(en), ("privacy", "nl"): history(nl)}
    check_translations(Publisher("Europe/Amsterdam", "en", (beta, gamma), "en"), histories, TODAY, problems)
    [error] = problems.errors
    assert error.message.endswith("(as Site 'gamma' shows them)")


def test_a_translations_own_site_passages_are_read_as_each_site_shows_them() -> None:
    en = version("1.0", "2020-01-01", body="1. One.\n2. Two.\n")
    nl = version("1.0", "2020-01-01", lang="nl", body="1. Een.\n<!-- only: alpha -->\n2. Twee.\n<!-- end only -->\n")
    assert check(history(en), history(nl)).items == []  # alpha shows both clauses


def test_a_structure_error_in_one_policy_does_not_end_the_check_of_the_next() -> None:
    alpha = site("alpha", languages=("en", "nl"), policies=("privacy", "terms"))
    publisher = Publisher("Europe/Amsterdam", "en", (alpha,), "en")
    histories = {
        ("privacy", "en"): history(version("1.0", "2020-01-01", body=THREE)),
        ("privacy", "nl"): history(version("1.0", "2020-01-01", lang="nl", body=TWO)),
        ("terms", "en"): history(version("1.0", "2020-01-01", policy="terms", body=THREE)),
        ("terms", "nl"): history(version("1.0", "2020-01-01", policy="terms", lang="nl", body=TWO)),
    }
    problems = Problems()
    check_translations(publisher, histories, TODAY, problems)
    assert [p.path for p in problems.errors] == ["policies/privacy/nl.md", "policies/terms/nl.md"]
