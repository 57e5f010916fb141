"""sites.yml and front matter are read with libyaml's parser when PyYAML has it (some seven times faster),
and that must change nothing an editor or a page sees: the same values, the same lines, the same errors.

The Python loader is the reference: for every input it reads, `load` reads the same, node by node
(tags, values and the lines they start on, which `line_of` and every error's line are made from); for
every input it refuses, `load` refuses with the same words and line, or reads it where libyaml is the
more lenient of the two (`|#`: a comment right after a block scalar's `|`). A text with a tab is read by
the Python loader alone (libyaml takes `a<TAB>`, and PyYAML's refusal says to indent with spaces).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from smops_policy.content import yamlsafe
from smops_policy.errors import PolicyError

from .hypothesis_profiles import PURE

ROOT = Path(__file__).resolve().parent.parent


def python_only(text: str, first_line: int = 1) -> yamlsafe.Loaded:
    return yamlsafe._load(text, "f.yml", first_line=first_line, what="is")


def shape(node: yaml.Node | None) -> Any:
    """A node tree as comparable data: tag, value, and the line it starts on (what `line_of` and the
    errors use; libyaml places an empty value, written as nothing, elsewhere: it has no line to name)."""
    if node is None:
        return None
    empty = isinstance(node, yaml.ScalarNode) and node.value == "" and node.tag.endswith(":null")
    where = None if empty else node.start_mark.line
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value, where)  # (not its style: plain is None in Python, '' in libyaml; unused)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, [shape(item) for item in node.value], where)
    assert isinstance(node, yaml.MappingNode)
    return (node.tag, [(shape(k), shape(v)) for k, v in node.value], where)


def fast(text: str, first_line: int = 1) -> yamlsafe.Loaded:
    return yamlsafe.load(text, "f.yml", first_line=first_line)


def outcome(read: Any, text: str) -> Any:
    try:
        loaded = read(text)
    except PolicyError as exc:
        return ("refused", str(exc))
    keys = [k.value for k, _ in loaded.root.value] if isinstance(loaded.root, yaml.MappingNode) else []
    # the file's line of each key, as check and the loader name it
    return ("read", loaded.data, shape(loaded.root), [loaded.line_of(key) for key in keys])


def test_libyaml_is_used_here() -> None:
    """The machines this project runs on have PyYAML's libyaml build (the speed is measured with it)."""
    assert yamlsafe._Fast is not None


def real_yaml() -> list[tuple[str, str]]:
    """sites.yml and the front matter of every policy file in this repository and the test fixtures
    (none in mutmut's copy of the tests, which has neither: `[tool.mutmut]` leaves this test out)."""
    sites = ROOT / "policies" / "sites.yml"
    found = [("sites.yml", sites.read_text(encoding="utf-8"))] if sites.exists() else []
    for path in sorted([*(ROOT / "policies").rglob("*.md"), *(ROOT / "tests" / "fixtures").rglob("*.md")]):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n") and "\n---\n" in text[4:]:
            found.append((str(path.relative_to(ROOT)), text[4 : text.index("\n---\n", 4) + 1]))
    return found


@pytest.mark.parametrize(("name", "text"), real_yaml(), ids=[name for name, _ in real_yaml()])
def test_real_files_read_the_same(name: str, text: str) -> None:
    assert outcome(fast, text) == outcome(python_only, text)


BAD = [
    "a: 1\na: 2\n",  # a duplicate key
    "a: [1\n",  # an unclosed list
    "a: &x 1\nb: *x\n",  # an anchor
    "a: !!str 1\n",  # a tag
    "a:\n\tb: 1\n",  # a tab
    "a: b: c\n",
    "- a\nb: 1\n",
    "a: 1\n---\nb: 2\n",  # a second document
    'a: "\\x07"\n',  # an escaped control character
    "a: \ud800\n",  # a lone surrogate (libyaml cannot even be given it)
    "a: \x07\n",  # a raw one
    "a: " + "[" * 12 + "]" * 12 + "\n",  # too deep
    "a: " + "[" * 10_000 + "\n",
    "? [a]\n: 1\n",  # a key that is not text
    "a: " + "1" * 40 + "\n",  # a number too long
    "{a: 1, b: 2",
    "a: 'x\n",
    'a: "x\n',
    "a:\n  - 1\n - 2\n",
]


@pytest.mark.parametrize("text", BAD)
def test_bad_yaml_is_refused_with_the_same_words_and_line(text: str) -> None:
    assert outcome(fast, text) == outcome(python_only, text)


# YAML-ish text: the characters YAML gives a meaning to, indentation and line breaks.
yamlish = st.lists(
    st.sampled_from([*"ab1.: -[]{},'\"#&*!?|>\n\t%@`\\", "  ", "\n  ", "é", "\x85", "a: ", "- ", "\n- "]), max_size=40
).map("".join)
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


@PURE
@given(yamlish)
def test_any_text_reads_the_same_or_only_libyaml_reads_it(text: str) -> None:
    reference = outcome(python_only, text)
    found = outcome(fast, text)
    if reference[0] == "refused" and found[0] == "read":
        event("read by libyaml only")
        return
    assert found == reference


@PURE
@given(values, st.sampled_from([None, False, True]), st.integers(1, 40))
def test_any_document_reads_the_same_in_any_style(data: Any, flow: bool | None, first_line: int) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    assert outcome(lambda t: fast(t, first_line), text) == outcome(lambda t: python_only(t, first_line), text)


def test_an_inherited_mkdocs_yml_that_is_not_yaml_is_refused_in_mkdocs_own_words(tmp_path: Path) -> None:
    """mkdocs.yml's own tree is read before anything is loaded, so its syntax errors are found there; an
    INHERIT'ed file is first read while loading, where libyaml's words differ from PyYAML's ("did not
    find expected ',' or ']'"): the message is the one `mkdocs build` gives."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    from smops_policy.build.mkdocs_yml import load_mkdocs_yml, read_mkdocs_yml

    (tmp_path / "parent.yml").write_text("site_name: Fictional\nnav: [a\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: parent.yml\n", encoding="utf-8")
    with pytest.raises(ConfigurationError) as theirs:
        load_config(str(tmp_path / "mkdocs.yml"))
    with pytest.raises(PolicyError) as ours:
        load_mkdocs_yml(read_mkdocs_yml(tmp_path / "mkdocs.yml", drafts=True))
    assert ours.value.problems[0].message == str(theirs.value)
    assert "expected ',' or ']', but got '<stream end>'" in str(theirs.value)
