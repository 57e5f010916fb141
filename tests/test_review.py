"""Issue 17 (2): `smops-policy review` and `diff --format markdown` on real git repositories with a
feature branch, read back as a pull request shows them (rendered by a Markdown renderer like GitHub's)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from .conftest import SITES_YML, policy_text
from .helpers import feature_branch

if TYPE_CHECKING:
    from .conftest import PolicyRepo


def gfm(markdown: str) -> str:
    """Markdown as GitHub renders it, near enough: CommonMark with tables, strikethrough and raw HTML."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)


class Outline(HTMLParser):
    """The parts of the rendered review a reviewer reads: each <details> (its summary, inserted and deleted
    words), table rows, and every element opened."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.sections: list[dict[str, list[str]]] = []
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self._open: list[str] = []
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._open.append(tag)
        if tag == "details":
            self._depth += 1
            self.sections.append({"summary": [], "ins": [], "del": [], "text": []})
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th") and self.rows:
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "details":
            self._depth -= 1
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if ("td" in self._open or "th" in self._open) and self.rows:
            self.rows[-1][-1] += data
        if not self._depth or not self.sections:
            return
        section = self.sections[-1]
        section["text"].append(data)
        for kind in ("summary", "ins", "del"):
            if kind in self._open:
                section[kind].append(data)


def test_review_shows_each_site_and_language_with_marked_words_dates_and_notice(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo, notice_days=30, material=True)
    result = policy_repo.smops("review", "--base", "main")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    page = Outline(gfm(result.stdout))
    summaries = ["".join(s["summary"]) for s in page.sections]
    assert summaries == [
        "Alpha Example (alpha), en: 1 changed, 0 inserted, 0 deleted, 0 moved",
        "Beta Example (beta), en: 1 changed, 0 inserted, 0 deleted, 0 moved",
        "Alpha Example (alpha), nl: 1 changed, 0 inserted, 0 deleted, 0 moved",
    ]
    for section in page.sections:
        # textual markers, so the change reads without colour (and GitHub's <ins>/<del> underline and strike)
        assert [w.strip() for w in section["del"]] == ["[- 30 -]"], section
        assert [w.strip() for w in section["ins"]] == ["[+ 60 +]"], section
    beta = "".join(page.sections[1]["text"])
    assert "https://beta.example/support" not in beta  # only the clauses that changed, the rest folded
    assert beta.count("… 3 unchanged clauses …") == 2
    rows = {row[0]: row for row in page.rows[1:]}
    assert rows["Sample Policy (privacy)"][1:] == [
        "en",
        "1.0 → 1.1",
        "2031-01-01",
        "upcoming",
        "material change: 42 days' notice from 2030-11-20 (sites.yml asks for 30): enough",
    ]
    assert "Check: passed" in result.stdout
    assert "Records are kept for 60 days." in result.stdout


def test_review_reports_check_failures_and_exits_1(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo, notice_days=60, material=True)
    result = policy_repo.smops("review", "--base", "main")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    rendered = gfm(result.stdout)
    assert "<strong>Check: FAILED</strong> (1 error, 0 warnings)" in rendered
    # the same problem, word for word, as `check` prints it
    check = policy_repo.smops("check")
    assert check.returncode == 1
    problem = check.stderr.strip()
    assert problem.startswith("policies/privacy/en.md:4: version 1.1 is a material change")
    assert f"<li><strong>error:</strong> {problem}</li>" in rendered.replace("&#x27;", "'")
    row = Outline(rendered).rows[1]
    assert row[-1] == "material change: NOT ENOUGH NOTICE, 42 days from 2030-11-20 (sites.yml asks for 60)"
    # the redlines are there all the same: a reviewer sees what failed and what changed
    assert len(Outline(rendered).sections) == 3


def test_policy_text_cannot_break_the_markdown(policy_repo: PolicyRepo) -> None:
    hostile = "We keep records </details> <script>alert(1)</script> | x | ** _y_ [a](https://evil.example) $z$ <!-- c"
    feature_branch(
        policy_repo,
        clause3=hostile,
        title="'Sample | Policy *x* </td>'",
        summary='"Longer | kept\\n\\n## Not a heading\\n<details><summary>x</summary>"',
    )
    sites = (policy_repo.path / "policies/sites.yml").read_text(encoding="utf-8")
    policy_repo.write(
        "policies/sites.yml",
        sites
        + "  gamma:\n    name: 'Gamma </summary></details> <b>bold</b> | *'\n    url: https://gamma.example/\n"
        + "    support_url: https://gamma.example/help\n    languages: [en]\n    policies: [privacy]\n",
    )
    policy_repo.commit("A third Site", "2030-11-20T11:00:00+01:00")
    result = policy_repo.smops("review", "--base", "main")
    # check refuses the <script> (raw HTML in a policy text); the review is printed all the same
    assert result.returncode == 1, result.stdout[:1500]
    assert "raw HTML &#60;script&#62; is not allowed" in result.stdout
    rendered = gfm(result.stdout)
    page = Outline(rendered)
    assert "script" not in page.tags
    assert "a" not in page.tags  # no link made from the policy's text
    assert "b" not in page.tags
    assert page.tags.count("details") == 4
    assert page.tags.count("h2") == 1
    assert all(len(row) == 6 for row in page.rows), page.rows
    assert page.rows[1][0] == "Sample | Policy *x* </td> (privacy)"
    for section in page.sections[:3]:
        assert "".join(section["ins"]).strip() == f"[+ {hostile} +]"
    assert "".join(page.sections[2]["summary"]).startswith("Gamma </summary></details> <b>bold</b> | * (gamma), en:")
    assert (
        "<li><strong>privacy 1.1 (en)</strong>: Longer | kept ## Not a heading &lt;details&gt;&lt;summary&gt;x&lt;/summary&gt;</li>"
        in rendered
    )


def test_no_base_is_a_clear_error(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo)
    policy_repo.repo.git.branch("-D", "main")
    result = policy_repo.smops("review")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"{policy_repo.path}: no base to compare with: git knows neither origin/main nor main "
        "(pass --base REF (a branch, tag or commit; in CI fetch it first, e.g. fetch-depth: 0))"
    )
    wrong = policy_repo.smops("review", "--base", "no-such-branch")
    assert wrong.returncode == 1
    assert "git knows no no-such-branch" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_default_base_is_origin_main_then_main(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo)
    assert "<code>main</code>" in policy_repo.smops("review").stdout.split("\n")[0]
    base = policy_repo.repo.git.rev_parse("main")
    policy_repo.repo.git.update_ref("refs/remotes/origin/main", base)
    assert "<code>origin/main</code>" in policy_repo.smops("review").stdout.split("\n")[0]


def test_effective_dates_for_previews(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo)
    result = policy_repo.smops("review", "--base", "main", "--effective-dates")
    assert (result.returncode, result.stdout) == (0, "2031-01-01\n")


def test_a_version_changed_in_place_is_compared_with_the_base_text(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo)
    policy_repo.repo.git.checkout("main")
    policy_repo.repo.git.merge("feature")
    policy_repo.repo.git.checkout("-b", "fix")
    text = (policy_repo.path / "policies/privacy/en.md").read_text(encoding="utf-8")
    policy_repo.write("policies/privacy/en.md", text.replace("60 days", "90 days"))
    policy_repo.commit("Privacy 1.1: 90 days, not 60", "2030-11-21T10:00:00+01:00")
    result = policy_repo.smops("review", "--base", "main")
    page = Outline(gfm(result.stdout))
    assert [row[2] for row in page.rows[1:]] == ["1.1 (changed)"]
    assert [(s["del"], s["ins"]) for s in page.sections] == [(["[- 60 -]"], ["[+ 90 +]"])] * 2


def test_a_long_review_is_cut_to_fit_with_a_note(policy_repo: PolicyRepo) -> None:
    long = [f"Clause {n} says something about records kept for {n} days." for n in range(1, 400)]
    policy_repo.write("policies/sites.yml", SITES_YML)
    policy_repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", long))
    policy_repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", long))
    policy_repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    policy_repo.repo.git.checkout("-b", "feature")
    policy_repo.write(
        "policies/privacy/en.md",
        policy_text("1.1", "2031-01-01", [c.replace("days", "weeks") for c in long]),
    )
    policy_repo.commit("1.1", "2030-11-20T10:00:00+01:00")
    whole = policy_repo.smops("review", "--base", "main", "--max-size", "10000000")
    assert len(whole.stdout.encode()) > 65_536
    assert "cut short" not in whole.stdout
    result = policy_repo.smops("review", "--base", "main")
    assert len(result.stdout.encode()) <= 65_536
    assert "The review is cut short here:" in result.stdout
    page = Outline(gfm(result.stdout))
    assert page.tags.count("details") >= 1
    assert result.stdout.count("<details") == result.stdout.count("</details>")
    assert page.rows[1][2] == "1.0 → 1.1"  # the table of versions comes before the redlines, so it stays
    small = policy_repo.smops("review", "--base", "main", "--max-size", "3000")
    assert len(small.stdout.encode()) <= 3000
    assert small.stdout.count("<details") == small.stdout.count("</details>")


def test_diff_format_markdown(three_versions: PolicyRepo) -> None:
    result = three_versions.smops("diff", "privacy", "1.0", "1.1", "--format", "markdown", check=True)
    rendered = gfm(result.stdout)
    assert "<strong>Sample Policy: version 1.0 → 1.1 (en)</strong>" in rendered
    assert "<ins>[+ We delete records after one year. +]</ins>" in rendered
    assert "<em>… 3 unchanged clauses …</em>" in rendered
    assert "<em>… 1 unchanged clause …</em>" in rendered
    assert "<strong>§ 3 inserted</strong>" in rendered


def test_a_new_policy_is_shown_whole_as_inserted(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo)
    policy_repo.repo.git.checkout("-b", "terms")
    sites = (policy_repo.path / "policies/sites.yml").read_text(encoding="utf-8")
    policy_repo.write("policies/sites.yml", sites.replace("policies: [privacy]\n", "policies: [privacy, terms]\n", 1))
    policy_repo.write("policies/terms/en.md", policy_text("1.0", "2031-02-01", ["You may use it.", "Be kind."]))
    policy_repo.write("policies/terms/nl.md", policy_text("1.0", "2031-02-01", ["Gebruik het.", "Wees aardig."]))
    policy_repo.commit("Terms 1.0 for Alpha", "2030-11-21T10:00:00+01:00")
    result = policy_repo.smops("review", "--base", "feature")
    assert result.returncode == 0, result.stdout + result.stderr
    page = Outline(gfm(result.stdout))
    assert [row[2] for row in page.rows[1:]] == ["1.0 (new policy)", "1.0 (new policy)"]
    assert "Other files changed under policies/: policies/sites.yml" in gfm(result.stdout).replace(
        "<code>", ""
    ).replace("</code>", "")
    assert ["".join(s["summary"]) for s in page.sections] == [
        "Alpha Example (alpha), en: 0 changed, 3 inserted, 0 deleted, 0 moved",
        "Alpha Example (alpha), nl: 0 changed, 3 inserted, 0 deleted, 0 moved",
    ]
    assert [w.strip() for w in page.sections[0]["ins"]] == [
        "[+ Fictional Example Ltd +]",
        "[+ You may use it. +]",
        "[+ Be kind. +]",
    ]
    assert "heading" not in result.stdout  # the text before the first heading has none to show


def test_policies_that_cannot_be_read_give_check_problems_and_no_redline(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo)
    policy_repo.write("policies/sites.yml", "sites: [this is not a mapping of Sites\n")
    policy_repo.commit("A broken sites.yml", "2030-11-21T10:00:00+01:00")
    result = policy_repo.smops("review", "--base", "main")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "**Check: FAILED**" in result.stdout
    assert "- **error:** policies/sites.yml" in result.stdout
    assert "The policies at HEAD cannot be read, so there is no redline: fix the errors above." in result.stdout
    assert "<details" not in result.stdout


def test_strict_fails_on_warnings_as_check_strict_does(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo)
    policy_repo.repo.git.checkout("-b", "english-only")
    text = (policy_repo.path / "policies/privacy/en.md").read_text(encoding="utf-8")
    policy_repo.write(
        "policies/privacy/en.md", text.replace('version: "1.1"', 'version: "1.2"').replace("2031-01-01", "2031-02-01")
    )
    policy_repo.commit("1.2, not yet translated", "2030-11-22T10:00:00+01:00")
    relaxed = policy_repo.smops("review", "--base", "feature")
    assert relaxed.returncode == 0
    assert "**Check: passed** (0 errors, 1 warning)." in relaxed.stdout
    assert "- **warning:** policies/privacy/nl.md:3: translates version 1.1" in relaxed.stdout
    strict = policy_repo.smops("review", "--base", "feature", "--strict")
    assert strict.returncode == 1
    assert "**Check: FAILED** (0 errors, 1 warning)" in strict.stdout
    assert "- **error:** policies/privacy/nl.md:3: translates version 1.1" in strict.stdout


def test_a_change_made_and_undone_on_the_branch_is_nothing_to_review(policy_repo: PolicyRepo) -> None:
    feature_branch(policy_repo)
    policy_repo.repo.git.checkout("main")
    policy_repo.repo.git.merge("feature")
    policy_repo.repo.git.checkout("-b", "undone")
    path = policy_repo.path / "policies/privacy/en.md"
    text = path.read_text(encoding="utf-8")
    policy_repo.write("policies/privacy/en.md", text.replace("60 days", "90 days"))
    policy_repo.commit("90 days", "2030-11-21T10:00:00+01:00")
    policy_repo.write("policies/privacy/en.md", text)
    policy_repo.commit("Back to 60 days", "2030-11-21T11:00:00+01:00")
    result = policy_repo.smops("review", "--base", "main")
    assert result.returncode == 0
    assert "No policy version is added or changed between the base and HEAD." in result.stdout
    assert "<details" not in result.stdout
