"""A policy body read as Markdown: the units a visitor sees with their anchors, the HTML of the page,
a Site's values put in, and what `check` says about raw HTML and images.

Pure and fast (no git, no build): `analyse`, `structure`, `fill_html`, `html_problems`, `unsafe_links`
and `heading_text` on strings, as the build and `check` call them.
"""

from __future__ import annotations

import pytest

from smops_policy.content.document import (
    analyse,
    fill_html,
    heading_text,
    html_problems,
    structure,
    unsafe_links,
)
from smops_policy.content.structure import Block
from smops_policy.errors import PolicyError, Problems

PATH = "policies/privacy/en.md"
ALLOWED = (
    "write it in Markdown; the HTML allowed is <abbr> <b> <br> <cite> <code> <dfn> <em> <i> <kbd> <mark> <q> <s> "
    "<small> <span> <strong> <sub> <sup> <u> <wbr>, title on abbr, dfn and span, lang on span, and <!-- comments -->"
)
IMAGE = (
    "policy pages show no images: a remote one would tell another host who reads the policy, and the build "
    "publishes no image files; describe it in words"
)

MIXED = """\
Intro   text
over two lines.

## Data

- One
  - nested one
    - deeper
- Two

> Quoted
> text.

| Kind | Kept |
| --- | --- |
| Names | 1 year |
|  |  |
"""


def test_each_kind_of_unit_keeps_its_blocks_line_and_own_anchor() -> None:
    document, html = analyse(MIXED, body_line=10, numbering="none")
    intro, data = document.sections
    assert (intro.heading, intro.line, intro.level) == (None, 10, 0)
    assert (data.heading, data.line, data.level, data.anchor) == ("Data", 13, 2, "section-data")
    units = [(c.kind, c.line, c.blocks) for s in document.sections for c in s.clauses]
    assert units == [
        ("paragraph", 10, (Block("paragraph", "Intro text over two lines."),)),
        (
            "bullet",
            15,
            (Block("bullet", "One", 0), Block("bullet", "nested one", 1), Block("bullet", "deeper", 2)),
        ),
        ("bullet", 18, (Block("bullet", "Two", 0),)),
        ("quote", 20, (Block("paragraph", "Quoted text."),)),
        ("table", 23, (Block("row", "Kind | Kept"), Block("row", "Names | 1 year"))),
    ]
    anchors = [c.anchor for c in document.clauses()]
    assert all(a.startswith("passage-") for a in anchors) and len(set(anchors)) == len(anchors)
    # every unit's anchor is on the element a visitor's link lands on; nested items have none
    for tag, anchor in zip(["p", "li", "li", "blockquote", "table"], anchors, strict=True):
        assert f'<{tag} id="{anchor}">' in html
    assert "<li>nested one" in html
    assert '<h2 id="section-data">Data</h2>' in html


def test_the_structure_alone_is_the_analysed_structure() -> None:
    body = "# Privacy\n\n" + MIXED + "\n## More\n\n1. One.\n2. Two.\n"
    assert structure(body, body_line=4, title="Privacy") == analyse(body, body_line=4, title="Privacy")[0]


def test_numbered_clauses_carry_anchor_number_and_class_and_a_second_list_is_its_own() -> None:
    document, html = analyse("1. One.\n2. Two.\n\nBetween.\n\n1) Again.\n", numbering="none")
    assert [(c.kind, c.number, c.anchor != "") for c in document.clauses()] == [
        ("item", None, True),
        ("item", None, True),
        ("paragraph", None, True),
        ("item", None, True),
    ]
    document, html = analyse("## A\n\n1. One.\n2. Two.\n\n## B\n\n1. Again.\n")
    assert document.numbering == "per-section"
    assert '<li id="section-a-clause-1" value="1" class="clause">One.</li>' in html
    assert '<li id="section-b-clause-1" value="1" class="clause">Again.</li>' in html


def test_with_numbering_none_a_numbered_item_is_a_passage_with_its_own_anchor_and_no_number() -> None:
    document, html = analyse("1. One.\n2. Two.\n", numbering="none")
    first = document.sections[0].clauses[0]
    assert (first.kind, first.number) == ("item", None)
    assert f'<li id="{first.anchor}">One.</li>' in html
    assert 'value="' not in html


def test_a_title_heading_is_taken_out_of_the_page_and_its_links_go_to_the_top() -> None:
    body = "# Privacy  *Policy*\n\nSee [data](#data), [the top](#privacy-policy) and [elsewhere](#nowhere).\n\n## Data\n\nText.\n"
    document, html = analyse(body, title="Privacy Policy")
    assert [s.heading for s in document.sections] == [None, "Data"]
    assert "<h1" not in html
    assert '<a href="#section-data">data</a>' in html
    assert '<a href="#">the top</a>' in html
    assert '<a href="#nowhere">elsewhere</a>' in html
    # without the title, the heading is a section and a link to its slug goes to its anchor
    document, html = analyse(body.replace("](#privacy-policy)", "](#privacy-policy)"), title="Other")
    assert document.sections[0].heading == "Privacy *Policy*"
    assert '<h1 id="section-privacy-policy">' in html
    assert '<a href="#section-privacy-policy">the top</a>' in html


def test_links_to_two_headings_with_one_slug_go_to_the_first() -> None:
    _, html = analyse("[go](#terms)\n\n## Terms\n\nOne.\n\n## Terms\n\nTwo.\n")
    assert '<a href="#section-terms">go</a>' in html
    assert '<h2 id="section-terms-2">Terms</h2>' in html


def test_without_problems_given_a_numbering_problem_stops_with_every_problem() -> None:
    with pytest.raises(PolicyError) as caught:
        analyse("1. One.\n3. Three.\n\n## Empty\n", path=PATH, body_line=5, numbering="continuous")
    assert [str(p) for p in caught.value.problems] == [
        f"{PATH}:6: clause numbering jumps from 1 to 3 (number clauses 1, 2, 3, ... through the whole document)"
    ]
    # with problems given (check), an empty section is reported too, and nothing is raised
    problems = Problems()
    analyse("1. One.\n3. Three.\n\n## Empty\n", path=PATH, body_line=5, numbering="continuous", problems=problems)
    assert [str(p) for p in problems.errors] == [
        f"{PATH}:6: clause numbering jumps from 1 to 3 (number clauses 1, 2, 3, ... through the whole document)",
        f"{PATH}:8: section 'Empty' is empty (write its text under the heading, or remove the heading)",
    ]


def test_raw_html_is_kept_when_allowed_balanced_and_shown_as_text_otherwise() -> None:
    body = "Text <b>bold <i>it</b> and <script>x</script> <!-- note --> ![alt & more](https://x.test/y.png)\n\n<div>\nblock <em>e\n</div>\n"
    _, html = analyse(body)
    assert html.endswith(
        ">Text <b>bold <i>it</i></b> and &lt;script&gt;x&lt;/script&gt;  alt &amp; more</p>\n"
        "&lt;div&gt;\nblock <em>e\n&lt;/div&gt;\n</em>"
    )
    _, html = analyse('Open <span lang="nl" onclick="x">a</span> <abbr title=\'A &amp; B\'>AB\n')
    assert html.endswith('>Open &lt;span lang="nl" onclick="x"&gt;a <abbr title="A &amp; B">AB</abbr></p>\n')


def test_check_names_each_refused_tag_and_image_with_its_line() -> None:
    body = (
        "One.\n\nTwo <script src=x>y</script> and <b>ok</b> </b>\nline ![chart](https://x.test/a.png)\n\n"
        "<iframe\nsrc=x></iframe>\n<div class='averyveryveryveryveryverylongattributevaluethatgoesonforever'>\n\n"
        '<!-- a comment -->\n\n<span title="t">fine</span>\n'
    )
    problems = Problems()
    html_problems(body, path=PATH, body_line=7, problems=problems)
    assert [str(p) for p in problems.errors] == [
        f"{PATH}:10: an image (https://x.test/a.png) in a policy text ({IMAGE})",
        f"{PATH}:9: raw HTML <script src=x> is not allowed in a policy text ({ALLOWED})",
        f"{PATH}:12: raw HTML <iframe\nsrc=x> is not allowed in a policy text ({ALLOWED})",
        f"{PATH}:14: raw HTML <div class='averyveryveryveryveryverylongattributevalueth... is not allowed in a "
        f"policy text ({ALLOWED})",
    ]


def test_an_image_without_an_address_is_still_named_and_its_line_counted_within_the_paragraph() -> None:
    problems = Problems()
    html_problems("Para\nsecond\nthird ![]()\n", path=PATH, body_line=1, problems=problems)
    assert [str(p) for p in problems.errors] == [f"{PATH}:3: an image () in a policy text ({IMAGE})"]


def test_a_sites_values_go_into_the_page_escaped_and_into_links_checked() -> None:
    _, html = analyse("Mail {{ site.email }}, [site]({{ site.url }}), [p](https://x.test/{{site.path}}).\n")
    filled = fill_html(html, {"email": "a<b>@x.test", "url": "javascript:alert(1)", "path": "a b"})
    assert filled.endswith('>Mail a&lt;b&gt;@x.test, <a>site</a>, <a href="https://x.test/a%20b">p</a>.</p>\n')
    assert unsafe_links(html, {"email": "e", "url": "javascript:alert(1)", "path": "ok"}) == ["javascript:alert(1)"]
    assert unsafe_links(html, {"url": "https://ok.test", "path": "ok"}) == []
    # a value that looks like a marker is put in as it is, never read again
    tricky = fill_html(
        html, {"email": "%EE%80%80url%EE%80%81", "url": 'https://ok.test/?q="x"', "path": "\ue000email\ue001"}
    )
    assert tricky.endswith(
        '>Mail %EE%80%80url%EE%80%81, <a href="https://ok.test/?q=%22x%22">site</a>, '
        '<a href="https://x.test/%EE%80%80email%EE%80%81">p</a>.</p>\n'
    )


def test_a_page_without_values_is_left_as_it_is() -> None:
    _, html = analyse("Plain [link](https://x.test/a) text.\n")
    assert fill_html(html, {"url": "x"}) == html
    assert unsafe_links(html, {}) == []


def test_a_heading_in_the_table_of_contents_is_plain_text_with_the_sites_values() -> None:
    heading = structure("## About *{{ site.company }}* `code` <b>x</b>\n\nText.\n").sections[0].heading
    assert heading is not None
    assert heading_text(heading, {"company": "Acme <Ltd>"}) == "About Acme <Ltd> code x"
    assert heading_text("One  [two](#x)   three", {}) == "One two three"


def test_a_heading_inside_a_quote_is_part_of_the_quote_without_an_anchor_of_its_own() -> None:
    document, html = analyse("> ## Quoted\n>\n> Text.\n\n## Real\n\nMore.\n")
    assert [s.heading for s in document.sections] == [None, "Real"]
    assert [c.text for c in document.clauses()] == ["Quoted Text.", "More."]
    assert "\n<h2>Quoted</h2>\n" in html


def test_a_rule_a_comment_or_a_code_block_between_units_hides_nothing_after_it() -> None:
    body = "Intro.\n\n---\n\nAfter the rule.\n\n<!-- a note to editors -->\n\nAfter the note.\n\n    code\n\nLast.\n"
    assert [c.text for c in structure(body).clauses()] == ["Intro.", "After the rule.", "After the note.", "Last."]


def test_the_title_heading_leaves_nothing_of_itself_in_the_page() -> None:
    document, html = analyse("# Privacy Policy\n\nFirst words.\n", title="Privacy Policy")
    assert html == f'<p id="{document.sections[0].clauses[0].anchor}">First words.</p>\n'


def test_the_structure_for_a_diff_follows_the_front_matters_numbering() -> None:
    document = structure("1. One.\n2. Two.\n", numbering="none")
    assert document.numbering == "none"
    assert [(c.kind, c.number) for c in document.clauses()] == [("item", None), ("item", None)]


def test_values_in_text_alone_or_in_links_alone_are_filled() -> None:
    _, text_only = analyse("Write to {{ site.email }}.\n")
    assert fill_html(text_only, {"email": "legal@x.test"}).endswith(">Write to legal@x.test.</p>\n")
    _, link_only = analyse("[Our site]({{ site.url }})\n")
    assert fill_html(link_only, {"url": "https://x.test/"}).endswith('><a href="https://x.test/">Our site</a></p>\n')


def test_a_value_a_site_does_not_define_reads_as_nothing_in_text_and_in_links() -> None:
    _, html = analyse("Write to {{ site.email }} or [here](https://x.test/{{ site.path }}).\n")
    assert fill_html(html, {}).endswith('>Write to  or <a href="https://x.test/">here</a>.</p>\n')


def test_links_without_values_stay_as_they_are_on_a_page_with_values() -> None:
    _, html = analyse("For {{ site.company }}: [terms](https://x.test/terms?a=1&b=2), <https://x.test/>.\n")
    assert fill_html(html, {"company": "Acme"}).endswith(
        '>For Acme: <a href="https://x.test/terms?a=1&amp;b=2">terms</a>, '
        '<a href="https://x.test/">https://x.test/</a>.</p>\n'
    )


def test_each_refused_tag_or_image_is_named_at_its_own_line_even_when_repeated() -> None:
    body = "One ![a](a.png) <iframe> a\ntwo <iframe> b\nthree ![b](b.png) ![c](c.png)\n"
    problems = Problems()
    html_problems(body, path=PATH, body_line=3, problems=problems)
    assert [(p.line, p.message) for p in problems.errors] == [
        (3, "an image (a.png) in a policy text"),
        (5, "an image (b.png) in a policy text"),
        (5, "an image (c.png) in a policy text"),
        (3, "raw HTML <iframe> is not allowed in a policy text"),
        (4, "raw HTML <iframe> is not allowed in a policy text"),
    ]
    problems = Problems()
    html_problems(
        "<blink> first\nsecond ![a](a.png)\n![b](b.png) at a line's start\n", path=PATH, body_line=1, problems=problems
    )
    assert [(p.line, p.message) for p in problems.errors] == [
        (2, "an image (a.png) in a policy text"),
        (3, "an image (b.png) in a policy text"),
        (1, "raw HTML <blink> is not allowed in a policy text"),
    ]


def test_a_refused_tag_is_shown_whole_up_to_sixty_characters() -> None:
    sixty = "<x-tag " + "a" * 52 + ">"
    assert len(sixty) == 60
    problems = Problems()
    html_problems(f"{sixty}\n\nText {sixty[:-1]}b>\n", path=PATH, body_line=1, problems=problems)
    assert [p.message for p in problems.errors] == [
        f"raw HTML {sixty} is not allowed in a policy text",
        f"raw HTML {sixty[:57]}... is not allowed in a policy text",
    ]


def test_a_heading_written_over_two_lines_reads_as_one_line_in_the_table_of_contents() -> None:
    assert heading_text("Who we\nare", {}) == "Who we are"
    assert heading_text("Who we\\\nare", {}) == "Who we are"


def test_a_clause_keeps_its_own_bullets_and_only_its_own_blocks() -> None:
    body = "1. One:\n   - a\n   - b\n2. - first\n   - second\n\n   After.\n\nMiddle.\n\n<div>raw</div>\n\nLast.\n"
    document = structure(body, numbering="continuous")
    assert [c.blocks for c in document.clauses()] == [
        (Block("paragraph", "One:"), Block("bullet", "a"), Block("bullet", "b")),
        (Block("bullet", "first"), Block("bullet", "second"), Block("paragraph", "After.")),
        (Block("paragraph", "Middle."),),
        (Block("paragraph", "Last."),),
    ]


def test_code_raw_html_and_a_numbered_sub_list_in_a_clause_are_its_paragraphs() -> None:
    body = (
        "1. One.\n\n       indented code\n\n   ```\n   fenced\n   ```\n\n   <div>raw</div>\n\n"
        "   1. sub one\n   2. sub two\n"
    )
    assert structure(body).sections[0].clauses[0].blocks == tuple(
        Block("paragraph", text) for text in ("One.", "indented code", "fenced", "<div>raw</div>", "sub one", "sub two")
    )


def test_bullets_keep_their_depth_and_text_after_a_nested_list_goes_back_a_level() -> None:
    assert structure("- a\n  - b\n\n  c\n").sections[0].clauses[0].blocks == (
        Block("bullet", "a", 0),
        Block("bullet", "b", 1),
        Block("bullet", "c", 0),
    )
    assert structure("> Quote:\n> - a\n>   - b\n> - c\n>\n> End.\n").sections[0].clauses[0].blocks == (
        Block("paragraph", "Quote:"),
        Block("bullet", "a", 0),
        Block("bullet", "b", 1),
        Block("bullet", "c", 0),
        Block("paragraph", "End."),
    )


def test_an_empty_quote_is_no_unit_and_hides_nothing_after_it() -> None:
    assert [(c.kind, c.text) for c in structure("Intro.\n\n>\n\nAfter the quote.\n").clauses()] == [
        ("paragraph", "Intro."),
        ("paragraph", "After the quote."),
    ]
