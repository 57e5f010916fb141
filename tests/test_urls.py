"""The URL layout readers bookmark and other sites link to (DECISIONS.md): each address, and the
relative links between pages that keep a Site's output movable to any host or folder."""

from __future__ import annotations

import posixpath

import pytest

from smops_policy import urls


def test_each_page_has_the_address_the_layout_promises() -> None:
    assert urls.lang_home_url("en") == "en/"
    assert urls.policy_url("en", "privacy") == "en/privacy/"
    assert urls.version_url("nl", "privacy", "1.10") == "nl/privacy/1.10/"
    assert urls.revision_url("nl", "privacy", "2.0", 3) == "nl/privacy/2.0/revisions/3/"
    assert urls.revision_diff_url("nl", "privacy", "2.0", 3) == "nl/privacy/2.0/revisions/3/changes/"
    assert urls.history_url("en", "terms") == "en/terms/history/"
    assert urls.diff_url("en", "terms", "1.9", "1.10") == "en/terms/changes/1.9...1.10/"
    assert urls.changelog_url("de") == "de/changelog/"
    assert urls.as_of_url("de") == "de/as-of/"
    assert urls.feed_url("de") == "de/feed.atom"
    assert urls.banner_url("de") == "de/banner.html"


def test_no_policy_may_take_a_name_the_layout_uses() -> None:
    assert {"changelog", "as-of", "assets", "search", "feed.atom", "banner.html"} == urls.RESERVED


@pytest.mark.parametrize(
    ("here", "there", "link"),
    [
        ("en/privacy/", "en/privacy/1.0/", "1.0/"),
        ("en/privacy/1.0/", "en/privacy/", "../"),
        ("en/privacy/1.0/", "en/privacy/1.0/", "./"),
        ("en/changelog/", "en/feed.atom", "../feed.atom"),
        ("en/as-of/", "versions.json", "../../versions.json"),
        ("en/privacy/", "nl/privacy/", "../../nl/privacy/"),
        ("en/", "en/privacy/#clause-2", "privacy/#clause-2"),
        ("en/privacy/", "en/privacy/#clause-2", "./#clause-2"),
        ("en/privacy/", "#top", "../..#top"),
        ("en/", "en/privacy/#a#b", "privacy/#a#b"),
        ("", "en/privacy/", "en/privacy/"),
        ("en/", "", ".."),
        ("en/", "./", "../"),
        ("en/changelog/", "en/changelog", "./"),
    ],
)
def test_a_relative_link_leads_from_one_page_to_the_other(here: str, there: str, link: str) -> None:
    assert urls.relative(here, there) == link


@pytest.mark.parametrize(
    ("here", "there"),
    [
        ("en/privacy/1.0/", "en/privacy/changes/1.0...1.1/"),
        ("nl/privacy/2.0/revisions/1/changes/", "nl/privacy/2.0/revisions/0/"),
        ("en/changelog/", "en/privacy/history/"),
    ],
)
def test_a_relative_link_resolves_to_the_page_it_names(here: str, there: str) -> None:
    """What a browser does with the link: join it to the page's address."""
    link = urls.relative(here, there)
    assert posixpath.normpath(posixpath.join(here, link)) + "/" == there
