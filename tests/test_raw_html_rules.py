"""Raw HTML in a policy body as a visitor's browser gets it: the allowed inline elements rebuilt from
their attributes, everything else shown as the text it is, and every element closed.

Pure and fast (no git, no build): `content/rawhtml.py` on strings, and `analyse` for a page's HTML.
Complements tests/test_raw_html.py (check and builds on a repository).
"""

from __future__ import annotations

import pytest

from smops_policy.content.document import analyse
from smops_policy.content.rawhtml import safe_tag, sanitise


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ('<abbr title="General Data Protection Regulation">', '<abbr title="General Data Protection Regulation">'),
        ("<span lang=nl title='x &amp; y'>", '<span lang="nl" title="x &amp; y">'),
        ('<span title="a &quot;b&quot;">', '<span title="a &quot;b&quot;">'),
        ("<abbr title>", '<abbr title="">'),
        ('<SPAN LANG="nl">', '<span lang="nl">'),
        # written twice, a browser keeps the first; the attributes after it still count
        ('<span title="first" title="second" lang="nl">', '<span title="first" lang="nl">'),
        ("<br/>", "<br>"),
        ("</B>", "</b>"),
        ("<!-- a note -->", ""),
    ],
)
def test_an_allowed_tag_is_rebuilt_from_its_parsed_attributes(raw: str, safe: str) -> None:
    assert safe_tag(raw) == safe


@pytest.mark.parametrize(
    "raw", ["<b onclick=x>", '<span style="color:red">', "<img src=x>", "</br>", "<a href=x>", "<script>"]
)
def test_a_tag_outside_the_allowlist_or_with_another_attribute_is_not_allowed(raw: str) -> None:
    assert safe_tag(raw) is None


def test_an_html_block_keeps_its_text_and_allowed_tags_and_shows_the_rest_as_written() -> None:
    assert sanitise("<div\nfoo <b>x</b> &amp; y") == "&lt;div\nfoo <b>x</b> &amp; y"
    assert sanitise("<b><i>left open") == "<b><i>left open</i></b>"
    assert sanitise("text </i> <em>e</em>") == "text  <em>e</em>"


def test_elements_left_open_in_a_paragraph_are_closed_at_its_end_innermost_first() -> None:
    _, html = analyse("Text <b><i>open\n")
    assert html.endswith(">Text <b><i>open</i></b></p>\n")
