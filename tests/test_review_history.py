"""Review of the version-history rules (issues 13, 17, 18) on real repositories with the real CLI:
workflows where the published record disagreed with what the README's rules say."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from .conftest import SITES_YML, PolicyRepo, policy_text
from .gitsteps import errors, git, git_command_in_hint, versions

if TYPE_CHECKING:
    from pathlib import Path

AS_OF = "2026-11-25"
BASE = ["We keep your records safe.", "We answer questions at {{ site.support_url }}.", "We keep this text short."]
DUTCH = [
    "Wij bewaren uw gegevens veilig.",
    "Wij beantwoorden vragen via {{ site.support_url }}.",
    "Wij houden deze tekst kort.",
]


def dutch(clauses: list[str], corrected: str = "") -> str:
    extra = f'corrected: "{corrected}"' if corrected else ""
    return policy_text(
        "1.0", "2020-01-01", clauses, title="Voorbeeldbeleid", summary="Een verzonnen testversie.", extra_front=extra
    )


def test_a_correction_made_as_the_error_hint_says_keeps_the_published_wording_as_revision_0(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    """A translation in force is edited without `corrected:`; check's hint says to add it and commit.
    Done literally (a second commit, text unchanged), the earlier wording must be the one readers had,
    not the silent edit: else revision 0 shows the corrected text and the redline shows no change."""
    repo = policy_repo
    repo.write("policies/sites.yml", SITES_YML)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.write("policies/privacy/nl.md", dutch(DUTCH))
    original = repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    fixed = ["Wij bewaren uw gegevens zorgvuldig.", *DUTCH[1:]]
    repo.write("policies/privacy/nl.md", dutch(fixed))
    repo.commit("Correct the Dutch, forgetting the summary", "2024-05-06T10:00:00+02:00")
    assert 'add corrected: "what was corrected" to its front matter and commit' in repo.smops("check").stderr
    repo.write("policies/privacy/nl.md", dutch(fixed, "Artikel 1: zorgvuldig."))
    corrected = repo.commit("Add the summary, as check says", "2024-05-07T10:00:00+02:00")
    assert repo.smops("check").returncode == 0

    out = tmp_path / "site"
    repo.smops("build", "--site", "alpha", "--as-of", AS_OF, "--output", str(out), check=True)
    nl = json.loads((out / "alpha" / "versions.json").read_text())["policies"]["privacy"]["nl"]["versions"][0]
    assert [(r["revision"], r["commit"]) for r in nl["revisions"]] == [(0, original), (1, corrected)]
    earlier = (out / "alpha/nl/privacy/1.0/revisions/0/index.html").read_text(encoding="utf-8")
    assert "Wij bewaren uw gegevens veilig." in earlier
    assert "zorgvuldig" not in earlier
    redline = (out / "alpha/nl/privacy/1.0/revisions/1/changes/index.html").read_text(encoding="utf-8")
    assert "<ins" in redline and "zorgvuldig" in redline


def test_a_withdrawn_version_is_announced_with_each_sites_own_summary_filled(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    """An upcoming 2.0 with a per-Site summary (and a placeholder in its default) is announced, then
    withdrawn: each Site's changelog and feed tell of it in that Site's words, as for any version."""
    repo = policy_repo
    repo.write("policies/sites.yml", SITES_YML.replace("[en, nl]", "[en]"))
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    mapping = 'summary:\n  default: "Longer for {{ site.name }}."\n  beta: "Beta keeps letters for a year."'
    upcoming = policy_text("2.0", "2031-01-01", [*BASE, "We keep letters."], summary="X").replace("summary: X", mapping)
    repo.write("policies/privacy/en.md", upcoming)
    repo.commit("Announce 2.0", "2026-01-05T10:00:00+01:00")
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.commit("Withdraw 2.0", "2026-02-05T10:00:00+01:00")
    assert repo.smops("check").returncode == 0

    out = tmp_path / "site"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    for site, said in (("alpha", "Longer for Alpha Example."), ("beta", "Beta keeps letters for a year.")):
        feed = (out / site / "en/feed.atom").read_text(encoding="utf-8")
        changelog = (out / site / "en/changelog/index.html").read_text(encoding="utf-8")
        assert "withdrawn on 5 February 2026" in feed
        assert feed.count(f"<summary>{said}</summary>") == 2  # published, then withdrawn
        assert said in changelog
        assert "{{" not in feed + changelog


def test_a_withdrawn_site_only_version_is_no_news_on_the_other_sites(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    repo.write("policies/sites.yml", SITES_YML.replace("[en, nl]", "[en]"))
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    only_beta = [BASE[0], f"{BASE[1]}\n<!-- only: beta -->\n   Beta keeps letters.\n<!-- end only -->", BASE[2]]
    repo.write("policies/privacy/en.md", policy_text("2.0", "2031-01-01", only_beta, summary="Beta keeps letters."))
    repo.commit("Announce 2.0, for Beta only", "2026-01-05T10:00:00+01:00")
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.commit("Withdraw 2.0", "2026-02-05T10:00:00+01:00")
    assert repo.smops("check").returncode == 0, repo.smops("check").stderr

    out = tmp_path / "site"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    beta = (out / "beta/en/feed.atom").read_text(encoding="utf-8")
    assert "Sample Policy 2.0 withdrawn on 5 February 2026" in beta
    for page in ("alpha/en/feed.atom", "alpha/en/changelog/index.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "2.0" not in text and "Beta keeps letters" not in text, page


def test_a_removed_policy_restored_as_checks_hint_says_keeps_its_published_versions(policy_repo: PolicyRepo) -> None:
    """`git rm` of a policy a Site still lists is an error whose hint says to restore it with `git revert`.
    Done, the file is back at the same path: its versions (and their permalinks) are those it had,
    published when they were, not a new file whose history starts at the revert."""
    repo = policy_repo
    repo.write("policies/sites.yml", SITES_YML.replace("[en, nl]", "[en]"))
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    repo.write("policies/privacy/en.md", policy_text("1.1", "2023-01-01", [*BASE, "We answer within a week."]))
    repo.commit("1.1", "2022-12-01T10:00:00+01:00")
    before = versions(repo, AS_OF)
    git(repo, "rm", "-q", "-r", "policies/privacy")
    repo.commit("Remove the policy by mistake", "2024-01-10T10:00:00+01:00")
    message = errors(repo)[0]
    assert message.startswith("policies/sites.yml:9: Site 'alpha' lists policy 'privacy'")
    git(repo, *git_command_in_hint(message), when="2024-01-11T10:00:00+01:00")
    assert repo.smops("check").returncode == 0

    def record(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
        return [(r["version"], r["effective"], r["published"], r["sha256"], r["status"]) for r in rows]

    assert record(versions(repo, AS_OF)) == record(before)  # the commit is the revert's: the last state


def test_withdrawing_a_sites_only_policy_as_the_hint_says_passes_and_keeps_the_archive(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    """The removal error says to remove the policy from the Site's policies; for a Site with one policy
    that leaves `policies: []`, which must be accepted (the Site keeps its archive), not refused."""
    repo = policy_repo
    repo.write("policies/sites.yml", SITES_YML.replace("[en, nl]", "[en]"))
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    git(repo, "rm", "-q", "-r", "policies/privacy")
    repo.commit("Remove the policy", "2024-01-10T10:00:00+01:00")
    assert all("remove it from the Site's policies to withdraw it" in e for e in errors(repo))
    repo.write("policies/sites.yml", SITES_YML.replace("[en, nl]", "[en]").replace("[privacy]", "[]"))
    repo.commit("Withdraw the policy", "2024-01-11T10:00:00+01:00")
    result = repo.smops("check")
    assert result.returncode == 0, result.stderr

    out = tmp_path / "site"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    page = (out / "alpha/en/privacy/1.0/index.html").read_text(encoding="utf-8")
    assert "This policy was withdrawn on 11 January 2024. It no longer applies." in page
    assert repo.smops("verify", "--output", str(out)).returncode == 0


def test_a_version_withdrawn_and_published_again_the_same_day_has_unique_feed_ids(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    """2.0 announced, withdrawn and announced again (another date) on one day: three feed entries, and
    Atom ids must be unique (RFC 4287, 4.2.6), else feed readers drop one of the announcements."""
    repo = policy_repo
    repo.write("policies/sites.yml", SITES_YML.replace("[en, nl]", "[en]"))
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    repo.write("policies/privacy/en.md", policy_text("2.0", "2031-01-01", [*BASE, "New."]))
    repo.commit("Announce 2.0", "2026-01-05T09:00:00+01:00")
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.commit("Withdraw 2.0: wrong date", "2026-01-05T10:00:00+01:00")
    repo.write("policies/privacy/en.md", policy_text("2.0", "2030-01-01", [*BASE, "New."]))
    repo.commit("Announce 2.0 again", "2026-01-05T11:00:00+01:00")
    assert repo.smops("check").returncode == 0

    out = tmp_path / "site"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    feed = (out / "alpha/en/feed.atom").read_text(encoding="utf-8")
    ids = re.findall(r"<entry>\s*<id>([^<]+)</id>", feed)
    assert len(ids) == 5 and len(set(ids)) == 5, ids
    assert "tag:alpha.example,2026-01-05:alpha/en/privacy/2.0/published" in ids  # the first keeps its id


def test_a_passage_for_an_unknown_site_is_reported_on_its_marker_line(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    repo.write("policies/sites.yml", SITES_YML.replace("[en, nl]", "[en]"))
    passage = f"{BASE[1]}\n<!-- only: alpha, gamma -->\n   Only there.\n<!-- end only -->"
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", [BASE[0], passage, BASE[2]]))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    assert errors(repo) == [
        "policies/privacy/en.md:12: a passage names the unknown Site 'gamma' (use one of: alpha, beta)"
    ]


def test_an_edit_of_the_text_in_force_merged_from_a_branch_is_undone_by_following_the_hint(
    policy_repo: PolicyRepo,
) -> None:
    """The in-force text is edited on a branch and merged with a merge commit: check names the merge
    (the state main says) and its `git revert` hint must work on a merge, which takes `-m 1`."""
    repo = policy_repo
    repo.write("policies/sites.yml", SITES_YML.replace("[en, nl]", "[en]"))
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    git(repo, "checkout", "-q", "-b", "edit")
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", [*BASE[:2], "We keep it very short."]))
    repo.commit("Edit the text in force", "2024-06-01T10:00:00+02:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "--no-ff", "-q", "-m", "Merge edit", "edit", when="2024-08-01T10:00:00+02:00")
    message = errors(repo)[0]
    assert "(git revert --no-edit -m 1 " in message
    git(repo, *git_command_in_hint(message), when="2024-08-02T10:00:00+02:00")
    assert repo.smops("check").returncode == 0


def test_a_policy_removed_in_a_merge_is_restored_by_following_the_hint(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    repo.write("policies/sites.yml", SITES_YML.replace("[en, nl]", "[en]"))
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    git(repo, "checkout", "-q", "-b", "cleanup")
    git(repo, "rm", "-q", "-r", "policies/privacy")
    repo.commit("Remove the policy", "2024-06-01T10:00:00+02:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "--no-ff", "-q", "-m", "Merge cleanup", "cleanup", when="2024-08-01T10:00:00+02:00")
    message = errors(repo)[0]
    git(repo, *git_command_in_hint(message), when="2024-08-02T10:00:00+02:00")
    assert repo.smops("check").returncode == 0
    assert [row["version"] for row in versions(repo, AS_OF)] == ["1.0"]


def test_a_correction_of_another_sites_passage_is_no_news_on_this_site(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    """The Dutch 1.0 is corrected inside a passage for Beta only: Alpha's Dutch text is unchanged, so
    Alpha's feed, changelog and page say nothing of it (issue 17); Beta's announce it."""
    repo = policy_repo
    repo.write("policies/sites.yml", SITES_YML.replace("languages: [en]\n", "languages: [en, nl]\n"))
    only = "\n<!-- only: beta -->\n   {}\n<!-- end only -->"
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", [BASE[0], BASE[1] + only.format("Letters.")]))
    original = [DUTCH[0], DUTCH[1] + only.format("Beta bewaart brieven.")]
    repo.write("policies/privacy/nl.md", dutch(original))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    corrected = [DUTCH[0], DUTCH[1] + only.format("Beta bewaart alle brieven.")]
    repo.write("policies/privacy/nl.md", dutch(corrected, "Beta: alle brieven."))
    repo.commit("Correct Beta's Dutch passage", "2024-06-01T10:00:00+02:00")
    assert repo.smops("check").returncode == 0

    out = tmp_path / "site"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    for page in (
        "nl/feed.atom",
        "nl/changelog/index.html",
        "nl/privacy/1.0/index.html",
        "nl/privacy/history/index.html",
    ):
        assert "gecorrigeerd" in (out / "beta" / page).read_text(encoding="utf-8"), page
        alpha = (out / "alpha" / page).read_text(encoding="utf-8")
        assert "Beta: alle brieven." not in alpha and "gecorrigeerd" not in alpha, page


def test_the_pages_of_each_wording_fill_the_sites_values_in_the_title(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    """Titles may hold `{{ site.KEY }}` (README: filled per Site); a corrected translation's wording pages
    must fill them as its version page does, not show the placeholder."""
    repo = policy_repo

    def nl(clauses: list[str], corrected: str = "") -> str:
        extra = f'corrected: "{corrected}"' if corrected else ""
        return policy_text("1.0", "2020-01-01", clauses, title="Beleid van {{ site.name }}", extra_front=extra)

    repo.write("policies/sites.yml", SITES_YML)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE, title="Policy of {{ site.name }}"))
    repo.write("policies/privacy/nl.md", nl(DUTCH))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    repo.write("policies/privacy/nl.md", nl(["Wij bewaren uw gegevens zorgvuldig.", *DUTCH[1:]], "Artikel 1"))
    repo.commit("Correct the Dutch", "2024-05-07T10:00:00+02:00")

    out = tmp_path / "site"
    repo.smops("build", "--site", "alpha", "--as-of", AS_OF, "--output", str(out), check=True)
    for n in (0, 1):
        page = (out / f"alpha/nl/privacy/1.0/revisions/{n}/index.html").read_text(encoding="utf-8")
        assert "{{" not in page
        assert '<h1 class="policy-title">Beleid van Alpha Example</h1>' in page
        assert "<title>Beleid van Alpha Example 1.0" in page


def test_taking_a_key_out_of_sites_yml_that_an_earlier_version_fills_in_is_an_error(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    """1.0 says "{{ site.dpo }}"; 1.1 no longer does and the commit drops `dpo` from sites.yml. Every
    version stays published with the Site's values, so 1.0's page would silently read "Ask ." and its
    summary show the raw placeholder: check must say so on the Site's line, and the hint must work."""
    repo = policy_repo
    with_dpo = (
        SITES_YML.replace("[en, nl]", "[en]")
        .replace("help\n", "help\n    dpo: Ann Example\n")
        .replace("support\n", "support\n    dpo: Bob Example\n")
    )
    repo.write("policies/sites.yml", with_dpo)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", [*BASE, "Ask {{ site.dpo }}."]))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    repo.write("policies/privacy/en.md", policy_text("1.1", "2023-01-01", BASE))
    repo.write("policies/sites.yml", SITES_YML.replace("[en, nl]", "[en]"))
    repo.commit("1.1, and dpo is no longer needed", "2022-12-01T10:00:00+01:00")
    found = errors(repo)
    assert found[0] == (
        f"policies/sites.yml:9: Site 'alpha' has no 'dpo', which version 1.0 of policies/privacy/en.md "
        f"(commit {git(repo, 'rev-parse', 'HEAD~1').strip()[:12]}) fills in as {{{{ site.dpo }}}} (add 'dpo' (back) "
        "to the Site's entry: earlier versions are published with the Site's values, and without it their text would change)"
    )
    assert len(found) == 2 and found[1].startswith("policies/sites.yml:15: Site 'beta' has no 'dpo'")

    repo.write("policies/sites.yml", with_dpo)  # the hint, followed
    repo.commit("Keep dpo", "2022-12-02T10:00:00+01:00")
    assert repo.smops("check").returncode == 0
    out = tmp_path / "site"
    repo.smops("build", "--site", "alpha", "--as-of", AS_OF, "--output", str(out), check=True)
    assert "Ask Ann Example." in (out / "alpha/en/privacy/1.0/index.html").read_text(encoding="utf-8")


def test_a_withdrawn_policy_s_archive_reads_its_site_values_as_the_site_does(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    """A policy a Site stops listing keeps its pages as an archive: its title and summary there carry
    the Site's values, as they did while it was published, never `{{ site.KEY }}` as written."""
    repo = policy_repo
    two = SITES_YML.replace("policies: [privacy]", "policies: [privacy, terms]", 1)
    repo.write("policies/sites.yml", two)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", BASE))
    repo.write("policies/privacy/nl.md", dutch(DUTCH))
    terms = policy_text(
        "1.0",
        "2020-01-01",
        ["Use {{ site.name }} kindly."],
        title="Terms of {{ site.name }}",
        summary="For {{ site.name }}.",
    )
    repo.write("policies/terms/en.md", terms)
    repo.write("policies/terms/nl.md", terms)
    repo.commit("Privacy and terms", "2019-12-01T10:00:00+01:00")
    repo.write("policies/sites.yml", SITES_YML)  # alpha withdraws its terms
    repo.commit("Alpha withdraws its terms", "2024-03-01T10:00:00+01:00")
    out = tmp_path / "out"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    archive = (out / "alpha/en/terms/index.html").read_text(encoding="utf-8")
    assert "withdrawn on 1 March 2024" in archive
    history = (out / "alpha/en/terms/history/index.html").read_text(encoding="utf-8")
    assert "Terms of Alpha Example" in archive and "For Alpha Example." in history
    assert "{{" not in archive + history and "site.name" not in archive + history
