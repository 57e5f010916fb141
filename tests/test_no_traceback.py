"""Issue 12, item 5: no traceback, ever, for any input.

Hypothesis writes policy files, sites.yml files and small git histories (random front matter values and
YAML shapes, unicode, odd whitespace, random Markdown and HTML blocks), commits them with fixed dates in a
real repository, and runs the real `check` and `build`: each either succeeds or exits 1 with lines
`path:line: message`. The CLI ends with os._exit, so every run is a subprocess: the default profile keeps
to a few examples; `HYPOTHESIS_PROFILE=long pytest tests/test_no_traceback.py` runs many more.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from .conftest import SITES_YML, PolicyRepo, policy_text
from .hypothesis_profiles import BUILDS

PROFILE = BUILDS

# A problem as the CLI prints it: a repository path (or the output's absolute path), maybe a line, a message.
PROBLEM = re.compile(r"(?:policies/[^:\n]+|mkdocs\.yml|/[^:\n]+)(?::\d+)?: \S.*")

# ------------------------------------------------------------------ strategies

ODD_PIECES = [
    "\t", " ", "  ", "\u00a0", "\u2028", "\u0085", "\ufeff", "\r", "\r\n", "\n", ":", ": ", " #", "#", "&a ", "*a",
    "!!", "! ", "%", "@", "`", "|", ">", "'", '"', "\\", "[", "]", "{", "}", ",", "- ", "? ", "---", "...",
    "{{ site.name }}", "{{ site.nope }}", "{{site.url}}", "<script>alert(1)</script>", "<b>", "&amp;", "\ue000",
    "\ue001", "é", "ß", "漢字", "🙂", "\u202e", "\x00", "\x07", "\x7f", "1.10", "01", "2020-02-30",
]  # fmt: skip
# Any character UTF-8 can encode: every one but the surrogates (category Cs). Said by category rather
# than `codec="utf-8"`, which has hypothesis encode each of the 1.1 million code points once per
# checkout (a second of CPU on the first run of a fresh clone) to find the same set.
odd_text = st.lists(
    st.one_of(st.sampled_from(ODD_PIECES), st.text(st.characters(exclude_categories=("Cs",)), max_size=8)), max_size=6
).map("".join)
plain_word = st.text(st.characters(categories=("L", "N"), max_codepoint=0x2FF), min_size=1, max_size=10)

YAML_SCALARS = [
    "1.0", '"1.0"', "1.10", '"01.0"', '"1.0.0"', "2", "true", "no", "~", "", "null", "2020-01-01", "2020W011",
    "20200101", "2020-1-1", '"9999-12-31"', '"0001-01-01"', "[a, b]", "{a: b}", "&x a", "*x", "!!binary aGk=",
    "!!str 1.0", "'quoted'", "|\n  block\n  text", ">\n  folded", "1e400", ".nan", "-1", "0x1F", "0o17", "=", "<<",
    "[[[[[[[[[[[[x]]]]]]]]]]]]", '"a\\x00b"', '"\\ud800"', '"' + "x" * 300 + '"',
    "99999999999999999999", "3651", "-0", "0.0", "1" * 5000, ":".join(["1"] * 40),
]  # fmt: skip
yaml_value = st.one_of(
    st.sampled_from(YAML_SCALARS),
    odd_text,  # as written, unquoted
    odd_text.map(json.dumps),  # double-quoted, with escapes (lone surrogates too)
    st.lists(plain_word, max_size=3).map(lambda words: "[" + ", ".join(words) + "]"),
)


def front_value(valid: str) -> st.SearchStrategy[str | None]:
    """Mostly a valid value (so that deeper code runs), sometimes none, sometimes anything."""
    return st.one_of(st.just(valid), st.just(valid), st.none(), yaml_value)


@st.composite
def front_matter(draw: st.DrawFn, version: str, effective: str) -> str:
    fields = {
        "title": draw(front_value("Sample Policy")),
        "version": draw(front_value(f'"{version}"')),
        "effective": draw(front_value(effective)),
        "summary": draw(front_value("A fictional test version.")),
        "material": draw(st.one_of(st.none(), st.sampled_from(["true", "false"]), yaml_value)),
        draw(st.sampled_from(["extra", "title", "notes", "x y", "?", "- a"])): draw(st.one_of(st.none(), yaml_value)),
    }
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    if draw(st.booleans()):
        lines = draw(st.permutations(lines))
    return "---\n" + "\n".join(lines) + "\n---\n"


inline = st.one_of(
    st.sampled_from(
        [
            "We keep your records safe.",
            "Write to {{ site.support_url }}.",
            "Ask {{ site.nope }}.",
            "**bold** and _em_ and `code`",
            "[a link](https://example.invalid/) and [bad](javascript:alert(1))",
            "![an image](https://images.example.invalid/x.png)",
            "<abbr>GDPR</abbr> <script>alert(1)</script> <img src=x onerror=alert(1)>",
            "a footnote[^1] and a <https://auto.example.invalid/> link",
            "\ue000name\ue001 %EE%80%80x%EE%80%81",
        ]
    ),
    odd_text,
)


PAYLOADS = [
    'Terms & "Conditions" <2026>',
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    "<img src=https://x.invalid/a.png onerror=alert(1)>",
    "javascript:alert(1)",
    "![pixel](https://x.invalid/pixel.png)",
    '<iframe src="https://x.invalid/"></iframe>',
    "</title><script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
]


@st.composite
def markdown_block(draw: st.DrawFn, number: int) -> str:
    kind = draw(st.sampled_from(["clause", "clause", "clause", "heading", "bullet", "html", "other", "passage"]))
    text = draw(inline)
    if kind == "clause":
        return f"{draw(st.sampled_from([number, number, number + 1, 0]))}. {text}"
    if kind == "heading":
        return f"{draw(st.sampled_from(['#', '##', '###']))} {text}"
    if kind == "bullet":
        return f"   - {text}"
    if kind == "html":
        return draw(
            st.sampled_from(
                [
                    "<div>\nraw block\n</div>",
                    '<iframe src="https://x.invalid/"></iframe>',
                    "<style>body{background:url(https://x.invalid/a.png)}</style>",
                    "<!--",
                    "-->",
                    "<p onclick=alert(1)>x</p>",
                ]
            )
        )
    if kind == "passage":
        return draw(
            st.sampled_from(
                [
                    "<!-- only: alpha -->",
                    "<!-- end only -->",
                    "<!-- except: beta, zzz -->",
                    "<!-- end except -->",
                    "<!-- only: -->",
                ]
            )
        )
    return draw(
        st.sampled_from(["```\ncode\n```", "> a quote", "| a | b |\n|---|---|\n| 1 | 2 |", "***", "    indented", text])
    )


@st.composite
def policy_file(draw: st.DrawFn, version: str = "1.0", effective: str = "2020-01-01") -> str:
    head = draw(front_matter(version, effective))
    blocks: list[str] = []
    number = 1
    for _ in range(draw(st.integers(0, 6))):
        block = draw(markdown_block(number))
        number += block.startswith(f"{number}. ")
        blocks.append(block)
    separator = draw(st.sampled_from(["\n", "\n\n", "\r\n", "\n\t\n"]))
    return head + "\nFictional Example Ltd\n\n" + separator.join(blocks) + "\n"


@st.composite
def sites_file(draw: st.DrawFn) -> str:
    """Mostly the fixture's sites.yml with a few values changed; sometimes any YAML at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(odd_text)
    text = SITES_YML
    replacements = {
        "Europe/Amsterdam": st.sampled_from(["Europe/Amsterdam", "UTC", "Mars/Olympus", "../etc", "[a]", ""]),
        "source_language: en": st.sampled_from(["source_language: en", "source_language: nl", "source_language: no"]),
        "  alpha:": st.sampled_from(["  alpha:", "  Alpha:", "  al pha:", '  "alpha\\n":', "  beta:", "  1:", "  ~:"]),
        "Alpha Example": st.one_of(st.just("Alpha Example"), yaml_value),
        "https://alpha.example/help": st.one_of(st.just("https://alpha.example/help"), yaml_value),
        "https://beta.example/": st.sampled_from(["https://beta.example/", "ftp://beta", "https://beta.example", ""]),
        "languages: [en, nl]": st.sampled_from(
            [
                "languages: [en, nl]",
                "languages: [en]",
                "languages: [nl]",
                "languages: []",
                "languages: en",
                "languages: [en, no]",
                "languages: [EN]",
                "languages: [en, en]",
                "languages: [pt-BR]",
            ]
        ),
        "policies: [privacy]\n  beta": st.sampled_from(
            [
                "policies: [privacy]\n  beta",
                "policies: []\n  beta",
                "policies: [privacy, terms]\n  beta",
                "policies: [history]\n  beta",
                "policies: privacy\n  beta",
            ]
        ),
    }
    for old, new in replacements.items():
        text = text.replace(old, draw(new), 1)
    if draw(st.booleans()):
        text += f"    {draw(st.sampled_from(['extra', 'base_url', 'name', 'x']))}: {draw(yaml_value)}\n"
    if draw(st.booleans()):
        text += f"{draw(st.sampled_from(['notice_days', 'prevailing_language', 'other']))}: {draw(yaml_value)}\n"
    return text


# ------------------------------------------------------------------ the property


def assert_clean(result: subprocess.CompletedProcess[str], command: str) -> None:
    said = f"smops-policy {command} said:\n{result.stdout}{result.stderr}"
    assert "Traceback" not in result.stderr + result.stdout, said
    assert result.returncode in (0, 1), said
    if result.returncode == 1:
        problems = [line for line in result.stderr.splitlines() if line and not line.startswith("WARNING: ")]
        assert problems, said
        assert all(PROBLEM.fullmatch(line) for line in problems), said


class _ForeignContent(HTMLParser):
    """What in a page could run a script of the content's or make the browser ask another host."""

    LOADS = frozenset({"src", "srcset", "data", "poster", "background", "formaction", "action"})
    LINKS_THAT_LOAD = frozenset(
        {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "preconnect"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"iframe", "object", "embed", "frame"}:
            self.found.append(f"<{tag}>")
        self.in_script = tag == "script"
        rel = set((dict(attrs).get("rel") or "").lower().split())
        for name, value in attrs:
            value = (value or "").strip().lower()
            remote = value.startswith(("http:", "https:", "//"))
            if (name.startswith("on") and "alert(" in value) or (name in self.LOADS and remote):
                self.found.append(f"<{tag} {name}={value}>")
            elif name == "href" and remote and tag == "link" and rel & self.LINKS_THAT_LOAD:
                self.found.append(f"<link rel={' '.join(sorted(rel))} href={value}>")
            elif name == "href" and value.startswith(("javascript:", "vbscript:", "data:")):
                self.found.append(f"<{tag} href={value}>")
            elif name == "style" and "url(" in value:
                self.found.append(f"<{tag} style={value}>")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert(" in data:
            self.found.append(f"<script>{data[:60]}")


def foreign_content(output: Path) -> list[str]:
    """Every script of the content's and every request to another host in the output's pages."""
    found = []
    for page in sorted(output.rglob("*.html")):
        parser = _ForeignContent()
        parser.feed(page.read_text(encoding="utf-8"))
        found.extend(f"{page.relative_to(output)}: {what}" for what in parser.found)
    return found


def run_everything(sites: str, history: list[dict[str, str]], *, pages_safe: bool = False) -> None:
    """Commit sites.yml and each step of `history` (files by path) with fixed dates; check and build
    (and, with `pages_safe`, look in a successful build's pages for anything foreign)."""
    with tempfile.TemporaryDirectory() as folder:
        repo = PolicyRepo(Path(folder) / "repo")
        try:
            repo.write("policies/sites.yml", sites.encode("utf-8", "surrogatepass"))
            for day, files in enumerate(history, start=1):
                for path, text in files.items():
                    repo.write(path, text.encode("utf-8", "surrogatepass"))
                repo.commit(f"Step {day}", f"2020-01-{day:02d}T10:00:00+01:00")
            assert_clean(repo.smops("check"), "check")
            out = Path(folder) / "out"
            built = repo.smops("build", "--as-of", "2026-11-25", "--output", str(out))
            assert_clean(built, "build")
            if pages_safe and built.returncode == 0:
                assert not foreign_content(out), foreign_content(out)
        finally:
            repo.repo.close()


VALID_EN = policy_text("1.0", "2020-01-01", ["We keep your records safe.", "Write to {{ site.support_url }}."])
VALID_NL = policy_text("1.0", "2020-01-01", ["Wij bewaren uw gegevens.", "Schrijf naar {{ site.support_url }}."])


@PROFILE
@given(en=policy_file(), nl=st.one_of(st.just(VALID_NL), policy_file()))
def test_any_policy_file_gives_pages_or_a_clean_error(en: str, nl: str) -> None:
    run_everything(SITES_YML, [{"policies/privacy/en.md": en, "policies/privacy/nl.md": nl}])


@PROFILE
@given(sites=sites_file())
def test_any_sites_yml_gives_pages_or_a_clean_error(sites: str) -> None:
    files = {"policies/privacy/en.md": VALID_EN, "policies/privacy/nl.md": VALID_NL, "policies/terms/en.md": VALID_EN}
    run_everything(sites, [files])


@settings(PROFILE, phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking: each try is a build
@given(
    title=st.sampled_from(PAYLOADS),
    summary=st.sampled_from(PAYLOADS),
    clauses=st.lists(st.one_of(st.sampled_from(PAYLOADS), inline.filter(lambda t: "site.nope" not in t)), max_size=4),
    name=st.sampled_from(PAYLOADS),
    support_url=st.sampled_from(PAYLOADS),
)
def test_a_successful_build_runs_no_script_of_the_content_and_asks_no_other_host(
    title: str, summary: str, clauses: list[str], name: str, support_url: str
) -> None:
    """Valid files whose values and text carry payloads: the pages show them as text, and load nothing."""
    en = policy_text("1.0", "2020-01-01", [*clauses, "Write to {{ site.support_url }}."], title=json.dumps(title))
    en = en.replace("summary: A fictional test version.", f"summary: {json.dumps(summary)}")
    sites = SITES_YML.replace("Alpha Example", json.dumps(name)).replace(
        "https://alpha.example/help", json.dumps(support_url)
    )
    run_everything(sites, [{"policies/privacy/en.md": en, "policies/privacy/nl.md": VALID_NL}], pages_safe=True)


@st.composite
def history(draw: st.DrawFn) -> list[dict[str, str]]:
    """Two to four commits of en.md (and sometimes nl.md), with versions and dates in any order."""
    steps: list[dict[str, str]] = [{"policies/privacy/en.md": VALID_EN, "policies/privacy/nl.md": VALID_NL}]
    for _ in range(draw(st.integers(1, 3))):
        version = draw(st.sampled_from(["1.0", "1.1", "2.0", "01.0", "1.10", "1.0.1", "0.9"]))
        effective = draw(st.sampled_from(["2020-01-01", "2021-06-01", "2019-12-31", "2031-01-01", "2020-01-03"]))
        step = {"policies/privacy/en.md": draw(policy_file(version, effective))}
        if draw(st.booleans()):
            step["policies/privacy/nl.md"] = draw(policy_file(version, effective))
        steps.append(step)
    return steps


@PROFILE
@given(steps=history())
def test_any_small_history_gives_pages_or_a_clean_error(steps: list[dict[str, str]]) -> None:
    run_everything(SITES_YML, steps)


# The readers themselves, in process: many more examples in the same time, for the YAML and value checks.
READERS = settings(PROFILE, max_examples=PROFILE.max_examples * 20)


@READERS
@given(text=st.one_of(policy_file(), odd_text.map(lambda t: "---\n" + t + "\n---\n")))
def test_reading_any_policy_file_raises_nothing_but_a_policy_error(text: str) -> None:
    from smops_policy.content.document import read_policy_text
    from smops_policy.errors import PolicyError

    try:
        read_policy_text(text.encode("utf-8", "surrogatepass"), "policies/privacy/en.md")
    except PolicyError as exc:
        assert all(PROBLEM.fullmatch(str(problem)) for problem in exc.problems), exc


@READERS
@given(text=st.one_of(sites_file(), odd_text))
def test_reading_any_sites_yml_raises_nothing_but_a_policy_error(text: str) -> None:
    from smops_policy.content.sites import read_publisher
    from smops_policy.errors import PolicyError

    try:
        read_publisher(text.encode("utf-8", "surrogatepass"), "policies/sites.yml")
    except PolicyError as exc:
        assert all(PROBLEM.fullmatch(str(problem)) for problem in exc.problems), exc


def test_a_closed_pipe_ends_a_command_quietly(policy_repo: PolicyRepo) -> None:
    """`smops-policy diff … | head -c 10`: the reader leaves after 10 bytes of a long redline."""
    clauses = [f"Fictional clause {n} " + "word " * 60 for n in range(300)]
    policy_repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", clauses))
    policy_repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", clauses))
    policy_repo.commit("1.0", "2020-01-01T10:00:00+01:00")
    policy_repo.write("policies/privacy/en.md", policy_text("1.1", "2021-01-01", [c[::-1] for c in clauses]))
    policy_repo.commit("1.1", "2020-06-01T10:00:00+01:00")
    command = policy_repo.command("diff", "privacy", "1.0", "1.1", "--format", "html")
    writer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stderr is not None
    assert len(writer.stdout.read(10)) == 10
    writer.stdout.close()
    said = writer.stderr.read()
    writer.wait(timeout=60)
    writer.stderr.close()
    assert "Traceback" not in said, said
    assert said == ""
