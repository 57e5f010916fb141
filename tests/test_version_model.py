"""The domain model's answers a reader relies on (pure, no git): which version is in force on a date,
each version's status, the order of version numbers, and what sites.yml's Sites publish."""

from __future__ import annotations

import datetime as dt

from smops_policy.model import Correction, Publisher, Site, Status, version_key

from .domain import history, site, version

DAY = dt.date.fromisoformat


def test_version_numbers_sort_as_numbers_not_as_text() -> None:
    numbers = ["1.10", "1.9", "2.0", "1.2.1", "10.0", "1.2"]
    assert sorted(numbers, key=version_key) == ["1.2", "1.2.1", "1.9", "1.10", "2.0", "10.0"]
    assert version_key("1.10") > version_key("1.9")
    assert version("1.10", "2024-01-01").key == (1, 10)


def test_the_version_in_force_is_the_last_one_whose_date_has_come() -> None:
    v1, v2, v3 = version("1.0", "2020-01-01"), version("1.1", "2023-03-01"), version("2.0", "2031-01-01")
    policy = history(v1, v2, v3)
    assert policy.in_force(DAY("2019-12-31")) is None
    assert policy.in_force(DAY("2020-01-01")) is v1  # from its effective day itself
    assert policy.in_force(DAY("2023-02-28")) is v1
    assert policy.in_force(DAY("2023-03-01")) is v2
    assert policy.in_force(DAY("2030-12-31")) is v2
    assert policy.in_force(DAY("2031-01-01")) is v3


def test_each_version_has_the_status_of_its_date() -> None:
    v1, v2, v3 = version("1.0", "2020-01-01"), version("1.1", "2023-03-01"), version("2.0", "2031-01-01")
    draft = version("2.1", "2032-01-01", committed=None)
    policy = history(v1, v2, v3, draft)
    today = DAY("2026-11-27")
    assert [policy.status(v, today) for v in policy.versions] == [
        Status.SUPERSEDED,
        Status.IN_FORCE,
        Status.UPCOMING,
        Status.DRAFT,
    ]
    assert policy.status(v2, DAY("2023-03-01")) is Status.IN_FORCE
    assert policy.status(v2, DAY("2023-02-28")) is Status.UPCOMING
    assert policy.upcoming(today) == [v3]  # a draft is no upcoming version
    assert policy.upcoming(DAY("2023-02-28")) == [v2, v3]
    assert policy.upcoming(DAY("2031-01-01")) == []  # in force from its effective day: no longer upcoming


def test_a_draft_is_never_in_force() -> None:
    v1, draft = version("1.0", "2020-01-01"), version("1.1", "2021-01-01", committed=None)
    assert draft.draft
    assert history(v1, draft).in_force(DAY("2026-01-01")) is v1
    assert history(v1, draft).status(draft, DAY("2026-01-01")) is Status.DRAFT


def test_a_withdrawn_policy_has_no_version_in_force_from_the_day_its_site_stopped_publishing_it() -> None:
    v1, v2 = version("1.0", "2020-01-01"), version("2.0", "2031-01-01")
    policy = history(v1, v2, withdrawn_on="2025-06-01")
    assert not policy.is_withdrawn(DAY("2025-05-31"))
    assert policy.in_force(DAY("2025-05-31")) is v1
    assert policy.upcoming(DAY("2025-05-31")) == [v2]
    assert policy.is_withdrawn(DAY("2025-06-01"))
    assert policy.in_force(DAY("2025-06-01")) is None
    assert policy.upcoming(DAY("2025-06-01")) == []
    assert policy.status(v1, DAY("2025-06-01")) is Status.WITHDRAWN
    assert history(v1).is_withdrawn(DAY("2999-01-01")) is False


def test_a_version_is_found_by_number_and_knows_the_one_before() -> None:
    v1, v2, v3 = version("1.0", "2020-01-01"), version("1.9", "2021-01-01"), version("1.10", "2022-01-01")
    policy = history(v1, v2, v3)
    assert policy.get("1.10") is v3
    assert policy.get("1.1") is None
    assert policy.previous(v1) is None
    assert policy.previous(v2) is v1
    assert policy.previous(v3) is v2


def test_a_corrected_translation_lists_each_wording_oldest_first() -> None:
    first = version("1.0", "2020-01-01", lang="nl", body="1. Eerste.\n")
    second = version("1.0", "2020-01-01", lang="nl", body="1. Tweede.\n", committed="2020-02-01T10:00:00+01:00")
    third = version("1.0", "2020-01-01", lang="nl", body="1. Derde.\n", committed="2020-03-01T10:00:00+01:00")
    corrections = (Correction(1, "typo", first, second), Correction(2, "term", second, third))
    assert version("1.0", "2020-01-01").wordings() == []
    corrected = version("1.0", "2020-01-01", lang="nl", body="1. Derde.\n", corrections=corrections)
    assert corrected.wordings() == [first, second, third]
    assert corrections[1].committed == third.committed


def test_a_commit_is_shown_by_its_first_twelve_characters() -> None:
    committed = version("1.0", "2020-01-01")
    assert committed.short_commit == committed.commit[:12]
    assert len(committed.short_commit) == 12
    assert version("1.1", "2021-01-01", committed=None).short_commit == "uncommitted"


def test_a_site_is_published_at_its_base_url_else_at_its_url() -> None:
    assert site(url="https://alpha.example/").base_url == "https://alpha.example/"
    moved = site(url="https://alpha.example/", base_url="https://policies.alpha.example/")
    assert moved.base_url == "https://policies.alpha.example/"
    assert site(url="https://alpha.example/", base_url="").base_url == "https://alpha.example/"


def test_the_publisher_knows_its_sites_policies_and_languages() -> None:
    alpha = Site("alpha", "Alpha", "https://alpha.example/", ("nl", "en"), ("privacy", "terms"))
    beta = Site("beta", "Beta", "https://beta.example/", ("de", "en", "fr"), ("privacy",))
    publisher = Publisher("Europe/Amsterdam", "en", (alpha, beta), "en")
    assert publisher.site("beta") is beta
    assert publisher.site("gamma") is None
    assert publisher.policies == ["privacy", "terms"]
    assert publisher.languages_of("privacy") == ["en", "de", "fr", "nl"]  # the source language first
    assert publisher.languages_of("terms") == ["en", "nl"]
    assert publisher.languages_of("cookies") == []
    assert publisher.notice_days == 0
