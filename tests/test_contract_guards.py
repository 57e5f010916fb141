"""Guards for promises that a one-line bug could break silently: where a Site's output is published
(`base_url`, not the Site's own `url`), and that a published version's title is part of its text."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .conftest import policy_text

if TYPE_CHECKING:
    from .conftest import PolicyRepo

HOSTED_ELSEWHERE = """\
timezone: Europe/Amsterdam
source_language: en
sites:
  alpha:
    name: Alpha Example
    url: https://alpha.example/
    base_url: https://legal.alpha.example/policies/
    support_url: https://alpha.example/help
    languages: [en]
    policies: [privacy]
"""


def test_absolute_addresses_use_the_folder_s_base_url_not_the_site_s_url(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    repo.write("policies/sites.yml", HOSTED_ELSEWHERE)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", ["We keep records safe."]))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    out = repo.path / "out"
    repo.smops("build", "--as-of", "2024-01-01", "--output", str(out), check=True)

    index = json.loads((out / "alpha" / "versions.json").read_text(encoding="utf-8"))
    english = index["policies"]["privacy"]["en"]
    assert english["url"] == "https://legal.alpha.example/policies/en/privacy/"
    assert english["versions"][0]["url"] == "https://legal.alpha.example/policies/en/privacy/1.0/"
    feed = (out / "alpha" / "en" / "feed.atom").read_text(encoding="utf-8")
    assert "https://legal.alpha.example/policies/en/privacy/1.0/" in feed
    sitemap = (out / "alpha" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://legal.alpha.example/policies/en/privacy/</loc>" in sitemap
    assert "https://alpha.example/en/" not in sitemap + feed


def test_a_new_title_for_a_version_in_force_is_a_change_of_its_text(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    clauses = ["We keep records safe.", "We answer questions."]
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", clauses))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", clauses, title="Data Protection Policy"))
    repo.commit("Retitle 1.0 after it took effect", "2021-06-01T10:00:00+02:00")

    result = repo.smops("check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "policies/privacy/en.md:" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
