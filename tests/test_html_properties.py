"""Property: whatever HTML and Markdown a policy body holds, `check` passes or names the file and line,
and a successful build's pages run and load nothing that a plain body's pages do not.

Each example is a real repository, a real `check` and a real build, so CI runs a few (profile
`tests/hypothesis_profiles.py`); `HYPOTHESIS_PROFILE=long pytest tests/test_html_properties.py` runs many more.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from .conftest import SITES_YML, PolicyRepo, policy_text
from .htmlpage import Loads, html_pages, loads, parse
from .hypothesis_profiles import BUILDS

PROFILE = BUILDS
AS_OF = "2026-11-25"

PIECES = [
    # text and Markdown
    "plain words",
    "a & b",
    "x < y > z",
    "\"quoted\" and 'single'",
    "`code <b>`",
    "**bold**",
    "_em_",
    "\\",
    "ë ß 漢字 \u202e",
    "\ue000name\ue001",
    "{{ site.name }}",
    "{{ site.support_url }}",
    "[ok](https://ok.example/)",
    "[bad](javascript:alert(1))",
    "[site]({{ site.support_url }})",
    "<https://ok.example/>",
    "<javascript:alert(1)>",
    "![pixel](https://evil.example/p.png)",
    "![proto](//evil.example/p.png)",
    "![data](data:image/png;base64,AAAA)",
    "![local](logo.png)",
    "[ref]: https://evil.example/ref",
    "![ref][ref]",
    # HTML, allowed and not
    "<script>alert(1)</script>",
    "<script src=https://evil.example/x.js></script>",
    "<img src=https://evil.example/p.png>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=//evil.example/></iframe>",
    "<object data=https://evil.example/x></object>",
    "<embed src=https://evil.example/x>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>@import url(https://evil.example/x.css)</style>",
    '<span style="background:url(https://evil.example/x)">',
    "<span lang=nl>",
    "</span>",
    '<abbr title="a &quot;b&quot; <c>">',
    "</abbr>",
    "<br>",
    "<sup>",
    "</sup>",
    "<b onmouseover=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mi>x</mi></math>",
    "<a href=javascript:alert(1)>",
    "<!-- a comment -->",
    "<!-->",
    "<![CDATA[x]]>",
    "<?php echo 1 ?>",
    "<!DOCTYPE html>",
    "<video src=https://evil.example/v></video>",
    "<form action=https://evil.example/>",
    "<meta http-equiv=refresh content=0;url=https://evil.example/>",
    "<base href=https://evil.example/>",
    "<div>",
    "</div>",
    "<textarea>",
    "<noscript><img src=https://evil.example/x></noscript>",
    "<template><script>alert(1)</script></template>",
    "<plaintext>",
]
fragments = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from([" ", "", "\n", "\n\n"])), min_size=1, max_size=6
).map(lambda parts: "".join(piece + sep for piece, sep in parts).strip())
blocks = st.lists(st.tuples(st.sampled_from(["clause", "block", "heading"]), fragments), min_size=1, max_size=5)

ERROR_LINE = re.compile(r"^(policies/[^:\s]+):(\d+): ")


def body_clauses(parts: list[tuple[str, str]]) -> tuple[list[str], dict[int, str]]:
    """policy_text's clauses and sections: a clause per 'clause', a paragraph after the clause before for
    'block', a heading before the next clause for 'heading'."""
    clauses: list[str] = []
    sections: dict[int, str] = {}
    for kind, fragment in parts:
        if kind == "clause" or not clauses:
            clauses.append(fragment)
        elif kind == "block":
            clauses[-1] += f"\n\n{fragment}\n"
        else:
            sections[len(clauses) + 1] = " ".join(fragment.split())
    clauses.append("The last clause.")
    return clauses, sections


def make_repo(folder: Path, clauses: list[str], sections: dict[int, str]) -> PolicyRepo:
    repo = PolicyRepo(folder / "repo")
    repo.write("policies/sites.yml", SITES_YML.replace("languages: [en, nl]", "languages: [en]"))
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", clauses, sections=sections))
    repo.commit("a generated body", "2019-12-01T10:00:00+01:00")
    return repo


@pytest.fixture(scope="module")
def plain_loads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Loads]:
    """What each page of a build with a plain body runs and loads: the theme's own."""
    folder = tmp_path_factory.mktemp("plain")
    repo = make_repo(folder, ["One.", "Two."], {1: "A heading"})
    out = folder / "site"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    repo.repo.close()
    return {str(page.relative_to(out)): loads(parse(page)) for page in html_pages(out)}


def assert_reported_with_lines(result_stderr: str) -> None:
    assert "Traceback" not in result_stderr
    errors = [line for line in result_stderr.splitlines() if line and ": warning: " not in line]
    assert errors, "exit 1 without a message"
    for line in errors:
        if line.startswith(("policies/", "  ")):
            assert ERROR_LINE.match(line), f"no path:line: in {line!r}"


@PROFILE
@given(parts=blocks)
def test_any_body_is_checked_with_lines_and_builds_to_pages_that_load_nothing_new(
    plain_loads: dict[str, Loads], parts: list[tuple[str, str]]
) -> None:
    clauses, sections = body_clauses(parts)
    with tempfile.TemporaryDirectory() as folder:
        repo = make_repo(Path(folder), clauses, sections)
        try:
            checked = repo.smops("check")
            assert checked.returncode in (0, 1), checked.stderr
            if checked.returncode == 1:
                assert_reported_with_lines(checked.stderr)
            out = Path(folder) / "site"
            built = repo.smops("build", "--as-of", AS_OF, "--output", str(out))
            event(f"check exit {checked.returncode}, build exit {built.returncode}")
            assert built.returncode in (0, 1), built.stderr
            if built.returncode == 1:
                assert_reported_with_lines(built.stderr)
                return
            for page in html_pages(out):
                name = str(page.relative_to(out))
                got, theme = loads(parse(page)), plain_loads[name]
                assert got.scripts <= theme.scripts, f"{name}: {got.scripts - theme.scripts}"
                assert got.sources <= theme.sources, f"{name}: {got.sources - theme.sources}"
                assert not got.handlers, f"{name}: {got.handlers}"
                assert "\ue000" not in page.read_text(encoding="utf-8") or "\ue000name\ue001" in "".join(clauses)
        finally:
            repo.repo.close()


TEXT_PIECES = [
    "Terms",
    "&",
    "&amp;",
    "&#34;",
    '"',
    "'",
    "<",
    ">",
    "<2026>",
    "<script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "-->",
    "{{",
    "}}",
    "{{ site.name }}",
    "javascript:alert(1)",
    "\\",
    "é 漢字",
    " ",
]
texts = st.lists(st.sampled_from(TEXT_PIECES), min_size=1, max_size=6).map("".join).filter(lambda t: t.strip() != "")


def folded(text: str) -> str:
    return " ".join(text.split())


@PROFILE
@given(title=texts, summary=texts, name=texts)
def test_any_title_summary_and_site_name_show_as_written_and_load_nothing(
    plain_loads: dict[str, Loads], title: str, summary: str, name: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = PolicyRepo(Path(folder) / "repo")
        sites = SITES_YML.replace("languages: [en, nl]", "languages: [en]")
        repo.write("policies/sites.yml", sites.replace("name: Alpha Example", f"name: {json.dumps(name)}"))
        text = policy_text(
            "1.0",
            "2020-01-01",
            ["One.", "Two."],
            title=json.dumps(title),
            summary=json.dumps(summary),
            sections={1: "A heading"},
        )
        repo.write("policies/privacy/en.md", text)
        repo.commit("generated titles", "2019-12-01T10:00:00+01:00")
        try:
            out = Path(folder) / "site"
            built = repo.smops("build", "--as-of", AS_OF, "--output", str(out))
            event(f"build exit {built.returncode}")
            assert built.returncode in (0, 1), built.stderr
            if built.returncode == 1:
                assert_reported_with_lines(built.stderr)
                return
            shown_title = folded(title).replace("{{ site.name }}", name)
            shown_summary = folded(summary).replace("{{ site.name }}", name)
            page = parse(out / "alpha/en/privacy/index.html")
            assert [folded(t) for t in page.texts("title")] == [folded(f"{shown_title} - {name}")]
            assert [folded(t) for t in page.texts("h1", class_="policy-title")] == [folded(shown_title)]
            descriptions = [m.attrs["content"] for m in page.all("meta") if m.attrs.get("name") == "description"]
            assert [folded(d) for d in descriptions] == [folded(shown_summary)]
            for path in html_pages(out):
                got, theme = loads(parse(path)), plain_loads[str(path.relative_to(out))]
                assert got.scripts <= theme.scripts and got.sources <= theme.sources and not got.handlers, path
        finally:
            repo.repo.close()
