"""Loading a policy repository (content/project.py) on real repositories made once per run.

`load_project` is what every command starts from: sites.yml, then each policy's versions as git's
history gives them (the commit and date of each, the path it had then), the upcoming versions taken
back, translations corrected openly, the policies a Site no longer lists kept as archives, drafts from
the working tree, and every problem an editor must fix, as `path:line: message (what to do)`. The
repositories are made once (session scope) and only read; no build runs, so each test takes
milliseconds (mutation testing runs them hundreds of times).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from smops_policy.content.project import SITES_FILE, Project, load_project
from smops_policy.errors import PolicyError, Problem, Problems

from .conftest import PolicyRepo, policy_text
from .gitsteps import git, head

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from smops_policy.model import Version


def at(when: str) -> dt.datetime:
    return dt.datetime.fromisoformat(when).astimezone(dt.UTC)


def sites_yml(alpha: str, beta: str | None = None, *, extra: str = "") -> str:
    """sites.yml with Site alpha (English and Dutch) and Site beta (English), listing those policies."""
    text = f"""\
timezone: Europe/Amsterdam
source_language: en
sites:
  alpha:
    name: Alpha Example
    url: https://alpha.example/
    support_url: https://alpha.example/help
    languages: [en, nl]
    policies: [{alpha}]
"""
    if beta is not None:
        text += f"""\
  beta:
    name: Beta Example
    url: https://beta.example/
    support_url: https://beta.example/support
    languages: [en]
    policies: [{beta}]
"""
    return text + extra


EN = ["We keep your records safe.", "We answer questions at {{ site.support_url }}."]
NL = ["Wij bewaren uw gegevens veilig.", "Wij beantwoorden vragen via {{ site.support_url }}."]


def en(version: str, effective: str, *more: str, summary: str = "A fictional test version.") -> str:
    return policy_text(version, effective, [*EN, *more], summary=summary)


def nl(version: str, effective: str, *more: str, corrected: str = "", first: str = NL[0]) -> str:
    extra = f'corrected: "{corrected}"' if corrected else ""
    return policy_text(
        version, effective, [first, NL[1], *more], title="Voorbeeldbeleid", summary="Een testversie.", extra_front=extra
    )


# --------------------------------------------------------------------------- a repository that loads


@dataclass(frozen=True)
class Published:
    root: Path
    start: str
    corrected: str
    unreadable: str
    v11: str
    v12: str
    revert: str
    rename_rules: str
    rename_terms: str
    faq_removed: str
    faq_delisted: str
    cookies_delisted: str
    v20: str


TERMS = ["Use the service kindly.", "Report what breaks.", "We may end an account that harms others."]


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """Policy privacy (1.0, 1.1, an upcoming 1.2 taken back, 2.0 upcoming; its Dutch 1.0 corrected once),
    policy terms (first called conditions, then rules), and policies cookies and faq that the Sites stopped
    listing; uncommitted: a comment in sites.yml and a draft 2.1 of privacy (READ-ONLY)."""
    repo = PolicyRepo(tmp_path_factory.mktemp("published") / "repo")
    old_sites = sites_yml("privacy, cookies, faq, conditions, legacy", "privacy, cookies")
    old_sites += (
        "  gamma:\n    name: Gamma\n    url: https://gamma.example/\n    languages: [en]\n    policies: [privacy]\n"
    )
    repo.write("policies/sites.yml", old_sites)
    repo.write("policies/privacy/en.md", en("1.0", "2020-01-01"))
    repo.write("policies/privacy/nl.md", nl("1.0", "2020-01-01"))
    repo.write("policies/conditions/en.md", policy_text("1.0", "2020-01-01", TERMS, title="Terms"))
    repo.write("policies/conditions/nl.md", policy_text("1.0", "2020-01-01", TERMS, title="Voorwaarden"))
    repo.write("policies/cookies/en.md", policy_text("1.0", "2020-01-01", ["We set one cookie."], title="Cookies"))
    repo.write("policies/faq/en.md", policy_text("1.0", "2020-01-01", ["Ask us anything."], title="FAQ"))
    repo.write("policies/cookies/nl.md", policy_text("1.0", "2020-01-01", ["Wij zetten een cookie."], title="Cookies"))
    repo.write("policies/legacy/nl.md", policy_text("1.0", "2020-01-01", ["Alleen in het Nederlands."], title="Oud"))
    start = repo.commit("Start", "2019-12-01T10:00:00+01:00")
    repo.write(
        "policies/privacy/nl.md", nl("1.0", "2020-01-01", corrected="spelling", first="Wij bewaren uw gegevens.")
    )
    cookies = policy_text(
        "1.0", "2020-01-01", ["Wij plaatsen een cookie."], title="Cookies", extra_front='corrected: "verb"'
    )
    repo.write("policies/cookies/nl.md", cookies)
    corrected = repo.commit("Correct the Dutch texts", "2021-01-01T10:00:00+01:00")
    repo.write("policies/privacy/en.md", "Not a policy file at all.\n")
    repo.write("policies/cookies/en.md", "Not a policy file either.\n")  # in an archive's history: not said
    unreadable = repo.commit("An accident", "2022-05-01T10:00:00+02:00")
    repo.write("policies/privacy/en.md", en("1.1", "2023-03-01", "We delete records after a year."))
    repo.write("policies/cookies/en.md", policy_text("1.0", "2020-01-01", ["We set one cookie."], title="Cookies"))
    v11 = repo.commit("1.1", "2023-02-01T10:00:00+01:00")
    repo.write("policies/privacy/en.md", en("1.2", "2024-01-01", "We delete records after a year.", "We sell nothing."))
    v12 = repo.commit("1.2", "2023-06-01T10:00:00+02:00")
    git(repo, "revert", "--no-edit", v12, when="2023-07-01T10:00:00+02:00")
    revert = head(repo)
    git(repo, "mv", "policies/conditions", "policies/rules")
    settings = "material: true\nnumbering: continuous"
    rules = policy_text("1.1", "2024-02-01", [*TERMS, "Be nice."], title="Terms", extra_front=settings)
    repo.write("policies/rules/en.md", rules)
    repo.write("policies/sites.yml", sites_yml("privacy, cookies, faq, rules", "privacy, cookies"))
    rename_rules = repo.commit("conditions is now rules, 1.1", "2024-01-01T10:00:00+01:00")
    git(repo, "mv", "policies/rules", "policies/terms")
    repo.write("policies/sites.yml", sites_yml("privacy, cookies, faq, terms", "cookies"))
    rename_terms = repo.commit("rules is now terms; beta drops privacy", "2024-01-15T10:00:00+01:00")
    repo.write("policies/sites.yml", sites_yml("privacy, cookies, faq, terms", "privacy, cookies"))
    repo.commit("beta lists privacy again", "2024-01-16T10:00:00+01:00")
    git(repo, "rm", "-q", "-r", "policies/faq")
    faq_removed = repo.commit("Remove the FAQ", "2024-02-20T10:00:00+01:00")
    repo.write("policies/sites.yml", sites_yml("privacy, cookies, terms", "privacy, cookies"))
    faq_delisted = repo.commit("Withdraw the FAQ", "2024-03-01T00:30:00+01:00")  # 29 February in UTC
    repo.write("policies/sites.yml", "sites: [not, a, mapping\n")
    repo.commit("A broken sites.yml", "2024-03-10T10:00:00+01:00")
    repo.write("policies/sites.yml", sites_yml("privacy, cookies, terms", "privacy, cookies"))
    repo.commit("Fixed", "2024-03-11T10:00:00+01:00")
    repo.write("policies/sites.yml", sites_yml("privacy, terms", "privacy"))
    cookies_delisted = repo.commit("Withdraw cookies", "2024-04-01T00:15:00+02:00")
    repo.write("policies/cookies/en.md", policy_text("1.1", "2025-01-01", ["We set no cookie."], title="Cookies"))
    repo.write("policies/help/en.md", policy_text("1.0", "2024-06-01", ["Ask us."], title="Help"))
    repo.write("policies/sites.yml", sites_yml("privacy, terms", "privacy, help"))
    repo.commit("Help; a later cookies text that no Site lists", "2024-05-01T10:00:00+02:00")
    git(repo, "mv", "policies/help", "policies/support")
    repo.write("policies/sites.yml", sites_yml("privacy, terms", "privacy, support"))
    repo.commit("help is now support", "2024-06-01T10:00:00+02:00")
    git(repo, "mv", "policies/support", "policies/help")
    repo.write("policies/sites.yml", sites_yml("privacy, terms", "privacy, help"))
    repo.commit("support is help again", "2024-07-01T10:00:00+02:00")
    repo.write(
        "policies/privacy/en.md",
        en("2.0", "2031-01-01", "We delete records after a year.", "We tell you by email.", summary="Notice by email."),
    )
    v20 = repo.commit("2.0", "2026-11-01T10:00:00+01:00")
    repo.write("policies/sites.yml", "# edited, not committed\n" + sites_yml("privacy, terms", "privacy, help"))
    repo.write(
        "policies/privacy/en.md",
        en("2.1", "2032-01-01", "We delete records after a year.", "We tell you by post.", summary="By post."),
    )
    repo.repo.close()
    yield Published(
        repo.path, start, corrected, unreadable, v11, v12, revert, rename_rules, rename_terms, faq_removed,
        faq_delisted, cookies_delisted, v20,
    )  # fmt: skip


# Loaded by each test, not once: mutation testing runs, for a mutant, only the tests that called the
# mutated function themselves (a session fixture's call is counted for the first test that asked).
@pytest.fixture
def project(published: Published) -> Project:
    return load_project(published.root)


@pytest.fixture
def drafts(published: Published) -> Project:
    return load_project(published.root, drafts=True)


def rows(versions: tuple[Version, ...] | list[Version]) -> list[tuple[str, str, str, dt.datetime | None]]:
    """(number, path, commit, committed) of each version."""
    return [(v.number, v.path, v.commit, v.committed) for v in versions]


def test_each_version_is_read_with_its_commit_date_and_text(project: Project, published: Published) -> None:
    privacy = project.history("privacy", "en")
    assert privacy is not None
    assert (privacy.policy, privacy.lang, privacy.withdrawn_on) == ("privacy", "en", None)
    assert {(v.policy, v.lang) for v in privacy.versions} == {("privacy", "en")}
    assert rows(privacy.versions) == [
        ("1.0", "policies/privacy/en.md", published.start, at("2019-12-01T10:00:00+01:00")),
        # the last commit that left it as it is: the revert of 1.2
        ("1.1", "policies/privacy/en.md", published.revert, at("2023-07-01T10:00:00+02:00")),
        ("2.0", "policies/privacy/en.md", published.v20, at("2026-11-01T10:00:00+01:00")),
    ]
    first = privacy.versions[0]
    data = en("1.0", "2020-01-01").encode()
    assert (first.source, first.sha256) == (data.decode(), hashlib.sha256(data).hexdigest())
    assert (first.title, first.summary, first.effective) == (
        "Sample Policy",
        "A fictional test version.",
        dt.date(2020, 1, 1),
    )
    assert first.first_committed == first.committed and not first.draft
    assert "Fictional Example Ltd" in first.body and first.body_line == 7
    assert first.key_lines[:2] == (("title", 2), ("version", 3))
    assert privacy.versions[2].summary == "Notice by email."
    assert (project.head, project.root, project.drafts) == (published.v20, published.root, False)


def test_an_upcoming_version_taken_back_is_withdrawn_by_the_revert(project: Project, published: Published) -> None:
    privacy = project.history("privacy", "en")
    assert privacy is not None
    [withdrawal] = privacy.withdrawn
    assert (withdrawal.version.policy, withdrawal.version.number, withdrawal.version.commit) == (
        "privacy",
        "1.2",
        published.v12,
    )
    assert (withdrawal.commit, withdrawal.withdrawn) == (published.revert, at("2023-07-01T10:00:00+02:00"))


def test_an_unreadable_state_fixed_later_is_skipped_with_a_warning(project: Project, published: Published) -> None:
    assert project.warnings == [
        Problem(
            SITES_FILE,
            "has uncommitted changes that are not published",
            hint="commit them, or preview with --drafts",
            warning=True,
        ),
        Problem(
            "policies/privacy/en.md",
            f"commit {published.unreadable[:12]} holds an unreadable version of this file; it is skipped",
            hint="a later commit fixed it; nothing to do",
            warning=True,
        ),
    ]


def test_a_translation_corrected_openly_carries_its_correction(project: Project, published: Published) -> None:
    dutch = project.history("privacy", "nl")
    assert dutch is not None
    [version] = dutch.versions
    assert (version.commit, version.first_committed) == (published.corrected, at("2019-12-01T10:00:00+01:00"))
    assert (dutch.policy, dutch.lang, version.policy, version.lang) == ("privacy", "nl", "privacy", "nl")
    [correction] = version.corrections
    assert (correction.number, correction.summary) == (1, "spelling")
    assert rows([correction.earlier, correction.text]) == [
        ("1.0", "policies/privacy/nl.md", published.start, at("2019-12-01T10:00:00+01:00")),
        ("1.0", "policies/privacy/nl.md", published.corrected, at("2021-01-01T10:00:00+01:00")),
    ]
    assert correction.earlier.first_committed == at("2019-12-01T10:00:00+01:00")
    assert "Wij bewaren uw gegevens veilig." in correction.earlier.body
    assert project.source_of(version) == project.history("privacy", "en").versions[0]  # type: ignore[union-attr]
    source = project.history("privacy", "en")
    assert source is not None and project.source_of(source.versions[0]) is None


def test_a_policy_renamed_twice_keeps_each_versions_first_path(project: Project, published: Published) -> None:
    terms = project.history("terms", "en")
    assert terms is not None
    assert rows(terms.versions) == [
        ("1.0", "policies/conditions/en.md", published.start, at("2019-12-01T10:00:00+01:00")),
        ("1.1", "policies/terms/en.md", published.rename_terms, at("2024-01-15T10:00:00+01:00")),
    ]
    assert terms.versions[1].first_committed == at("2024-01-01T10:00:00+01:00")  # published at its first path
    assert [(v.material, v.numbering) for v in terms.versions] == [(False, ""), (True, "continuous")]
    dutch = project.history("terms", "nl")
    assert dutch is not None
    assert rows(dutch.versions) == [
        ("1.0", "policies/terms/nl.md", published.rename_terms, at("2024-01-15T10:00:00+01:00"))
    ]


def test_policies_a_site_stopped_listing_are_archived_from_the_day_it_did(
    project: Project, published: Published
) -> None:
    assert sorted(project.archives) == ["alpha", "beta"]
    archived = [(h.policy, h.lang, h.withdrawn_on, rows(h.versions)) for h in project.archive("alpha", "en")]
    assert archived == [
        (
            "cookies",
            "en",
            dt.date(2024, 4, 1),
            # as it stood when taken off the list: its last state then (restored after an unreadable one)
            [("1.0", "policies/cookies/en.md", published.v11, at("2023-02-01T10:00:00+01:00"))],
        ),
        # removed first, then taken off the list: as it stood before its removal
        (
            "faq",
            "en",
            dt.date(2024, 3, 1),
            [("1.0", "policies/faq/en.md", published.start, at("2019-12-01T10:00:00+01:00"))],
        ),
    ]
    dutch, legacy = project.archive("alpha", "nl")  # a translation, with its correction
    assert (dutch.policy, dutch.withdrawn_on, [v.commit for v in dutch.versions]) == (
        "cookies",
        dt.date(2024, 4, 1),
        [published.corrected],
    )
    # a policy that only ever had a Dutch text: taken off alpha's list with the rename of conditions
    assert (legacy.policy, legacy.lang, legacy.withdrawn_on, [(v.policy, v.lang) for v in legacy.versions]) == (
        "legacy",
        "nl",
        dt.date(2024, 1, 1),
        [("legacy", "nl")],
    )
    assert [(c.summary, c.earlier.commit) for c in dutch.versions[0].corrections] == [("verb", published.start)]
    assert [(h.policy, h.withdrawn_on) for h in project.archive("beta", "en")] == [("cookies", dt.date(2024, 4, 1))]
    assert project.archive("gamma", "en") == []  # a Site gone is no withdrawal
    # beta listing privacy again, conditions and rules renamed to terms, support renamed back to help:
    # nothing withdrawn
    assert {h.policy for found in project.archives.values() for h in found} == {"cookies", "faq", "legacy"}
    faq = project.archive("alpha", "en")[1]
    assert (faq.lang, faq.withdrawn, [v.lang for v in faq.versions]) == ("en", (), ["en"])


def test_only_what_sites_yml_lists_is_loaded(project: Project) -> None:
    assert sorted(project.histories) == [
        ("help", "en"),
        ("privacy", "en"),
        ("privacy", "nl"),
        ("terms", "en"),
        ("terms", "nl"),
    ]
    assert [s.id for s in project.publisher.sites] == ["alpha", "beta"]


def test_drafts_add_the_working_trees_text_as_a_draft(drafts: Project, published: Published) -> None:
    privacy = drafts.history("privacy", "en")
    assert privacy is not None
    assert [v.number for v in privacy.versions] == ["1.0", "1.1", "2.0", "2.1"]
    draft = privacy.versions[-1]
    assert (draft.draft, draft.commit, draft.committed, draft.first_committed) == (True, "", None, None)
    assert (draft.policy, draft.lang, draft.path) == ("privacy", "en", "policies/privacy/en.md")
    assert draft.summary == "By post."
    assert drafts.drafts and drafts.head == published.v20
    # sites.yml is read as it is in the working tree: no warning about it
    assert [p.path for p in drafts.warnings] == ["policies/privacy/en.md"]
    dutch = drafts.history("privacy", "nl")
    assert dutch is not None and [v.draft for v in dutch.versions] == [False]  # unchanged: no draft


def test_a_policy_or_site_a_command_names_that_is_not_there(project: Project) -> None:
    assert project.named_history("terms", "nl") == project.history("terms", "nl")
    with pytest.raises(PolicyError) as policy:
        project.named_history("cookies", "en")
    assert policy.value.problems == [
        Problem(
            "policies/cookies/en.md",
            "no policy 'cookies' in 'en'",
            hint="policies there are: help (en), privacy (en), privacy (nl), terms (en), terms (nl)",
        )
    ]
    nothing = Project(project.root, project.publisher, {}, project.head)
    with pytest.raises(PolicyError) as none:
        nothing.named_history("privacy", "en")
    assert none.value.problems[0].hint == "policies there are: none"
    assert project.named_site("beta") == project.publisher.sites[1]
    with pytest.raises(PolicyError) as site:
        project.named_site("gamma")
    assert site.value.problems == [Problem(SITES_FILE, "has no Site 'gamma'", hint="Sites there are: alpha, beta")]


# --------------------------------------------------------------------------- sites.yml missing


def test_sites_yml_never_committed_is_read_only_as_a_draft(tmp_path: Path) -> None:
    repo = PolicyRepo(tmp_path / "repo")
    repo.write("policies/privacy/en.md", en("1.0", "2020-01-01"))
    repo.write("policies/privacy/nl.md", nl("1.0", "2020-01-01"))
    repo.commit("Policies, without sites.yml", "2019-12-01T10:00:00+01:00")
    with pytest.raises(PolicyError) as error:
        load_project(repo.path)
    assert error.value.problems == [
        Problem(
            SITES_FILE,
            "does not exist",
            hint="create it: see the README's content format",
        )
    ]
    repo.write(SITES_FILE, sites_yml("privacy"))
    with pytest.raises(PolicyError) as uncommitted:
        load_project(repo.path)
    assert uncommitted.value.problems == [
        Problem(
            SITES_FILE,
            "was never committed",
            hint=f"commit it (git add {SITES_FILE} && git commit), or preview with --drafts",
        )
    ]
    loaded = load_project(repo.path, drafts=True)
    assert loaded.warnings == []
    assert sorted(loaded.histories) == [("privacy", "en"), ("privacy", "nl")]
    repo.repo.close()


# --------------------------------------------------------------------------- a repository with problems


@dataclass(frozen=True)
class Broken:
    root: Path
    start: str
    places_11: str
    edited: str
    removed: str
    renamed: str
    alpha_policies: int
    alpha_languages: int
    beta_policies: int


BROKEN_SITES = sites_yml(
    "privacy, removed, partial, missing",
    "removed, fresh, broken, places, bad-passage, missing, moved",
    extra="""\
  delta:
    name: Delta Example
    url: https://delta.example/
    languages: [en]
    policies: [bad-passage]
""",
)

# A newest text written by hand: a placeholder on the body's first line, and passages naming Sites
PLACES = """\
---
title: Places of {{ site.nick }}
version: "1.2"
effective: 2031-01-01
summary: {default: "Phone us.", gamma: "Phone gamma."}
---
Call {{ site.phone }}.

1. Write to us.

<!-- only: beta -->
Only beta reads this.
<!-- end only -->

2. Or visit {{ site.name }}.

<!-- except: delta,gamma -->
Not on delta.
<!-- end except -->
"""


@pytest.fixture(scope="session")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broken]:
    """Every kind of problem the loader reports, each in its own policy (READ-ONLY)."""
    repo = PolicyRepo(tmp_path_factory.mktemp("broken") / "repo")
    repo.write("policies/sites.yml", BROKEN_SITES)
    for policy in ("privacy", "removed", "partial"):
        repo.write(f"policies/{policy}/en.md", en("1.0", "2020-01-01"))
        repo.write(f"policies/{policy}/nl.md", nl("1.0", "2020-01-01"))
    repo.write("policies/moved/en.md", en("1.0", "2020-01-01"))
    repo.write("policies/places/en.md", policy_text("1.0", "2020-01-01", ["No placeholders yet."]))
    repo.write("policies/bad-passage/en.md", policy_text("1.0", "2020-01-01", ["One."]))
    start = repo.commit("Start", "2019-12-01T10:00:00+01:00")
    old_places = ["Write to {{ site.contact }}.", "Or to {{ site.contact }} again."]  # one key, said once
    repo.write("policies/places/en.md", policy_text("1.1", "2021-01-01", old_places, summary="By {{ site.fax }}."))
    places_11 = repo.commit("Places 1.1", "2020-12-01T10:00:00+01:00")
    repo.write("policies/places/en.md", PLACES)
    repo.write(
        "policies/bad-passage/en.md",
        policy_text("1.1", "2031-01-01", ["One.", "Two.\n\n<!-- only: beta -->\nNever closed."]),
    )
    repo.write("policies/broken/en.md", "---\ntitle: [\n---\n")  # never readable
    repo.write("policies/privacy/en.md", en("1.0", "2020-01-01", "A clause added to the text in force."))
    edited = repo.commit("Newer texts", "2024-01-10T10:00:00+01:00")
    git(repo, "checkout", "-q", "-b", "drop")
    git(repo, "rm", "-q", "-r", "policies/removed")
    repo.commit("Drop the policy", "2024-02-20T10:00:00+01:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "--no-ff", "--no-edit", "drop", when="2024-03-01T00:30:00+01:00")  # 29 February in UTC
    removed = head(repo)
    git(repo, "mv", "policies/partial/nl.md", "policies/partial/de.md")
    git(repo, "mv", "policies/moved", "policies/elsewhere")
    renamed = repo.commit("Dutch becomes German?", "2024-04-01T10:00:00+02:00")
    repo.write("policies/fresh/en.md", en("1.0", "2031-01-01"))  # never committed
    repo.write("policies/privacy/nl.md", "---\ntitle: Voorbeeldbeleid\n---\n")  # an unfinished draft
    repo.repo.close()
    lines = BROKEN_SITES.splitlines()
    yield Broken(
        repo.path,
        start,
        places_11,
        edited,
        removed,
        renamed,
        lines.index("    policies: [privacy, removed, partial, missing]") + 1,
        lines.index("    languages: [en, nl]") + 1,
        lines.index("    policies: [removed, fresh, broken, places, bad-passage, missing, moved]") + 1,
    )


@pytest.fixture
def broken_problems(broken: Broken) -> list[str]:
    """What `check` says of the broken repository (loaded by each test that asks: mutation testing runs
    only the tests that call the loader themselves)."""
    problems = Problems()
    load_project(broken.root, problems=problems)
    return [str(p) for p in problems.items]


def test_every_problem_names_the_file_line_and_what_to_do(broken: Broken, broken_problems: list[str]) -> None:
    removed, renamed, edited, places = (
        broken.removed[:12],
        broken.renamed[:12],
        broken.edited[:12],
        broken.places_11[:12],
    )
    alpha, alpha_nl, beta = broken.alpha_policies, broken.alpha_languages, broken.beta_policies
    assert broken_problems == [
        # the newest text does not read: an error on its line
        "policies/broken/en.md:2: front matter is not valid YAML: expected the node content, but found '<stream end>' "
        "(fix the YAML syntax)",
        "policies/fresh/en.md: was never committed, so it has no published version (commit it (git add "
        "policies/fresh/en.md && git commit), or preview with --drafts)",
        "policies/missing/en.md: does not exist, but Sites alpha, beta publish policy 'missing' in 'en' (add the file, "
        "or remove 'en' or 'missing' from those Sites in policies/sites.yml)",
        "policies/missing/nl.md: does not exist, but Sites alpha publish policy 'missing' in 'nl' (add the file, or "
        "remove 'nl' or 'missing' from those Sites in policies/sites.yml)",
        # a whole policy gone (its folder renamed): said on the policies line of the one Site listing it
        f"policies/sites.yml:{beta}: Site 'beta' lists policy 'moved', but policies/moved/ was removed in commit "
        f"{renamed} on 2024-04-01 (remove it from the Site's policies to withdraw it, or restore it with git revert "
        f"--no-edit {renamed})",
        # a translation renamed away: on the Site's languages line; the date is Amsterdam's
        f"policies/sites.yml:{alpha_nl}: Site 'alpha' publishes policy 'partial' in 'nl', but policies/partial/nl.md "
        f"was renamed to policies/partial/de.md in commit {renamed} on 2024-04-01 (remove 'nl' from the Site's "
        f"languages (or 'partial' from its policies) to withdraw it, or restore it with git revert --no-edit {renamed})",
        # what the timeline says of a file's history comes through
        f"policies/privacy/en.md:3: version 1.0 took effect on 2020-01-01 but its text was changed in commit {edited} "
        "on 2024-01-10 (a published version must never change silently: restore the text it took effect with (git "
        f"revert --no-edit {edited}), or give it a new version number (higher than 1.0) with its own effective date)",
        # a whole policy removed in a merge commit: once per Site, on its policies line, reverted with -m 1;
        # committed at 00:30 in Amsterdam, still 29 February in UTC
        f"policies/sites.yml:{alpha}: Site 'alpha' lists policy 'removed', but policies/removed/ was removed in "
        f"commit {removed} on 2024-03-01 (remove it from the Site's policies to withdraw it, or restore it with git "
        f"revert --no-edit -m 1 {removed})",
        f"policies/sites.yml:{beta}: Site 'beta' lists policy 'removed', but policies/removed/ was removed in "
        f"commit {removed} on 2024-03-01 (remove it from the Site's policies to withdraw it, or restore it with git "
        f"revert --no-edit -m 1 {removed})",
        # said once, not once per Site that publishes it (beta and delta); the policies after it are checked too
        "policies/bad-passage/en.md:13: 'only:' passage is not closed (add a line <!-- end only -->)",
        # an older version's placeholders, in its summary too: on the Site's line, each key once
        f"policies/sites.yml:{beta}: Site 'beta' has no 'fax', which version 1.1 of policies/places/en.md (commit "
        f"{places}) fills in as {{{{ site.fax }}}} (add 'fax' (back) to the Site's entry: earlier versions are "
        "published with the Site's values, and without it their text would change)",
        f"policies/sites.yml:{beta}: Site 'beta' has no 'contact', which version 1.1 of policies/places/en.md (commit "
        f"{places}) fills in as {{{{ site.contact }}}} (add 'contact' (back) to the Site's entry: earlier versions are "
        "published with the Site's values, and without it their text would change)",
        "policies/places/en.md:5: 'summary' names the unknown Site 'gamma' (use one of: alpha, beta, delta (or "
        "'default'))",
        # the first passage that names it (delta,gamma), not the first passage
        "policies/places/en.md:17: a passage names the unknown Site 'gamma' (use one of: alpha, beta, delta)",
        # the body's first line and the title: each once, on its own line
        "policies/places/en.md:7: unknown placeholder {{ site.phone }} for Site 'beta' (use a key of the Site's "
        "entry in policies/sites.yml: id, name, support_url, url)",
        "policies/places/en.md:2: unknown placeholder {{ site.nick }} for Site 'beta' (use a key of the Site's "
        "entry in policies/sites.yml: id, name, support_url, url)",
    ]


def test_problems_stop_the_load_unless_collected(broken: Broken, broken_problems: list[str]) -> None:
    with pytest.raises(PolicyError) as error:
        load_project(broken.root)
    assert [str(p) for p in error.value.problems] == broken_problems
    problems = Problems()
    project = load_project(broken.root, problems=problems)
    assert len(problems.errors) == len(broken_problems) and project.warnings == []
    # what could be read is there: each file git has (broken/en.md without a version), not those it lacks
    assert sorted(project.histories) == [
        ("bad-passage", "en"),
        ("broken", "en"),
        ("partial", "en"),
        ("places", "en"),
        ("privacy", "en"),
        ("privacy", "nl"),
    ]
    places = project.histories[("places", "en")]
    assert (places.policy, places.lang, [v.number for v in places.versions]) == ("places", "en", ["1.0", "1.1", "1.2"])
    newest = places.versions[-1]
    assert (newest.policy, newest.lang, newest.title, newest.summary, newest.site_summaries) == (
        "places",
        "en",
        "Places of {{ site.nick }}",
        "Phone us.",
        (("gamma", "Phone gamma."),),
    )
    assert project.histories[("broken", "en")].versions == ()


def test_drafts_read_files_never_committed_and_report_drafts_that_do_not_read(
    broken: Broken, broken_problems: list[str]
) -> None:
    problems = Problems()
    project = load_project(broken.root, drafts=True, problems=problems)
    [fresh] = project.histories[("fresh", "en")].versions
    assert (fresh.number, fresh.draft, fresh.commit, fresh.path) == ("1.0", True, "", "policies/fresh/en.md")
    found = [str(p) for p in problems.items]
    assert [p for p in found if p not in broken_problems] == [
        "policies/privacy/nl.md:1: front matter has no 'summary' (add 'summary: ...')",
        'policies/privacy/nl.md:1: version is missing; it must be a dotted number (write e.g. version: "1.1")',
        "policies/privacy/nl.md:1: effective date is missing; it must be a real date YYYY-MM-DD (write e.g. "
        "effective: 2016-12-13)",
    ]
    assert [p for p in broken_problems if p not in found] == [broken_problems[1]]  # fresh/en.md is a draft now
    assert [v.draft for v in project.histories[("privacy", "nl")].versions] == [False]


def test_a_sites_yml_that_does_not_read_names_its_line(tmp_path: Path) -> None:
    repo = PolicyRepo(tmp_path / "repo")
    repo.write(SITES_FILE, "timezone: Europe/Amsterdam\nsites: [not, a, mapping\n")
    repo.commit("A broken sites.yml", "2019-12-01T10:00:00+01:00")
    with pytest.raises(PolicyError) as error:
        load_project(repo.path)
    [problem] = error.value.problems
    assert (problem.path, problem.line) == (SITES_FILE, 3)
    repo.repo.close()
