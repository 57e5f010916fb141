"""The privacy promise, enforced: a policy body cannot make a page load or run anything.

`check` refuses raw HTML outside a small allowlist of harmless inline elements, and every image, with
the file and line; a build whose check was skipped still renders such HTML as the text it is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import PolicyRepo, policy_text
from .htmlpage import html_pages, loads, parse

AS_OF = "2026-11-25"
HOSTILE = [
    '<script src="https://evil.example/x.js"></script>',
    "<script>alert(1)</script>",
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<img src="https://evil.example/p.png">',
    '<img src="x" onerror="alert(1)">',
    '<picture><source srcset="https://evil.example/x.webp"></picture>',
    '<video src="https://evil.example/v.mp4"></video>',
    '<audio src="https://evil.example/a.mp3"></audio>',
    '<form action="https://evil.example/"><button>Go</button></form>',
    "<style>body{background:url(https://evil.example/x)}</style>",
    '<span style="background:url(https://evil.example/x)">x</span>',
    '<b onclick="alert(1)">x</b>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<math><mi>x</mi></math>",
    '<a href="javascript:alert(1)">x</a>',
    '<div class="x">x</div>',
]
IMAGES = ["![a tracking pixel](https://evil.example/p.png)", "![x](//evil.example/p.png)", "![a logo](logo.png)"]


def commit_policy(repo: PolicyRepo, clauses: list[str]) -> None:
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", clauses))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", ["Eén.", "Twee.", "Drie."]))
    repo.commit("a policy", "2019-12-01T10:00:00+01:00")


@pytest.mark.parametrize("fragment", HOSTILE + IMAGES)
def test_check_refuses_html_that_loads_or_runs_anything_with_its_line(policy_repo: PolicyRepo, fragment: str) -> None:
    # once inside a clause (inline HTML, line 11), once as a block of its own (line 13)
    commit_policy(policy_repo, ["One.", f"Two {fragment} two.\n\n{fragment}\n", "Three."])
    result = policy_repo.smops("check")
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    kind = "an image" if fragment.startswith("!") else "raw HTML <"
    for line in (11, 13):
        assert re.search(rf"^policies/privacy/en\.md:{line}: {re.escape(kind)}", result.stderr, re.M), result.stderr
    assert "(write it in Markdown" in result.stderr or "describe it in words" in result.stderr


def test_allowed_inline_html_passes_check_and_renders_as_written(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    clauses = [
        'The <abbr title="General Data Protection Regulation">GDPR</abbr> applies; see [the EU](https://europa.eu/).',
        "Water is H<sub>2</sub>O, area m<sup>2</sup>,<br>and <em>this</em> is <strong>plain</strong>.",
        'The <span lang="nl">privacyverklaring</span> <!-- a note for editors --> prevails.',
    ]
    commit_policy(policy_repo, clauses)
    result = policy_repo.smops("check")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "site"
    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    page = parse(out / "alpha/en/privacy/index.html")
    assert [a.attrs for a in page.all("abbr")] == [{"title": "General Data Protection Regulation"}]
    assert page.texts("sub") == ["2"] and page.texts("sup") == ["2"]
    assert [s.attrs for s in page.all("span") if s.attrs.get("lang")] == [{"lang": "nl"}]
    assert any(a.attrs.get("href") == "https://europa.eu/" for a in page.all("a"))  # links to other sites stay
    assert "a note for editors" not in (out / "alpha/en/privacy/index.html").read_text(encoding="utf-8")


def test_a_build_without_check_shows_refused_html_as_text_and_loads_nothing(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    commit_policy(policy_repo, ["One.", "Two.", "Three."])
    plain = tmp_path / "plain"
    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(plain), check=True)
    hostile = [f"Clause {fragment} here." for fragment in HOSTILE + IMAGES]
    hostile += [f"Block:\n\n{fragment}\n" for fragment in HOSTILE]
    hostile.append("Last.")
    policy_repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", hostile))
    policy_repo.commit("hostile HTML, before the date", "2019-12-02T10:00:00+01:00")
    out = tmp_path / "site"
    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    for page_path in html_pages(out):
        twin = plain / page_path.relative_to(out)
        got, expected = loads(parse(page_path)), loads(parse(twin))
        assert got.scripts <= expected.scripts, page_path
        assert got.sources <= expected.sources, page_path
        assert not got.handlers, page_path
    page = parse(out / "alpha/en/privacy/index.html")
    text = page.text
    assert '<iframe src="https://evil.example/"></iframe>' in text  # shown as the text it is
    assert "Clause a tracking pixel here." in text  # an image shows its description
    assert "evil.example" not in " ".join(str(e.attrs) for e in page.elements)


def test_site_only_passages_still_work_beside_the_html_rules(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    clauses = ["One.", "Two.\n\n<!-- only: beta -->\nOnly beta reads this.\n<!-- end only -->\n", "Three."]
    commit_policy(policy_repo, clauses)
    assert policy_repo.smops("check").returncode == 0
    out = tmp_path / "site"
    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    assert "Only beta reads this." in parse(out / "beta/en/privacy/index.html").text
    assert "Only beta reads this." not in parse(out / "alpha/en/privacy/index.html").text
