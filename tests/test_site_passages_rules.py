"""Site-only passages and Site values in a policy body, on its text: what each Site reads, and what
`check` says about markers that do not pair up.

Pure and fast (no git, no build): the functions of `content/passages.py` on strings.
"""

from __future__ import annotations

import pytest

from smops_policy.content.passages import (
    MARKER_CLOSE,
    MARKER_OPEN,
    fill_placeholders,
    fill_text,
    has_markers,
    mark_placeholders,
    passage_site_ids,
    placeholders,
    select_site_passages,
)
from smops_policy.errors import PolicyError

PATH = "policies/privacy/en.md"
BODY = """\
For everyone.
<!-- only: acme, beta -->
For acme or beta.
<!-- end only -->
  <!--except:acme-->  \n\
Not for acme.
<!--   end   except   -->
The end."""


@pytest.mark.parametrize(
    ("site", "kept"),
    [
        ("acme", ["For everyone.", "", "For acme or beta.", "", "", "", "", "The end."]),
        ("beta", ["For everyone.", "", "For acme or beta.", "", "", "Not for acme.", "", "The end."]),
        ("gamma", ["For everyone.", "", "", "", "", "Not for acme.", "", "The end."]),
    ],
)
def test_each_site_reads_its_passages_and_every_line_keeps_its_number(site: str, kept: list[str]) -> None:
    assert select_site_passages(BODY, site, path=PATH, body_line=8).split("\n") == kept


def test_a_passage_inside_another_is_kept_only_where_both_keep_it() -> None:
    body = "<!-- only: acme beta -->\nA or B.\n<!-- except: beta -->\nA only.\n<!-- end except -->\n<!-- end only -->"
    assert select_site_passages(body, "acme").split("\n") == ["", "A or B.", "", "A only.", "", ""]
    assert select_site_passages(body, "beta").split("\n") == ["", "A or B.", "", "", "", ""]
    assert select_site_passages(body, "gamma").split("\n") == ["", "", "", "", "", ""]


def test_a_body_without_markers_is_every_sites_text() -> None:
    assert select_site_passages("One.\n\nTwo <b>.\n", "acme") == "One.\n\nTwo <b>.\n"
    assert select_site_passages("One <!-- a comment -->.\n", "acme") == "One <!-- a comment -->.\n"


def test_a_marker_that_does_not_pair_up_is_refused_at_its_line_with_what_to_write() -> None:
    def refusal(body: str) -> str:
        with pytest.raises(PolicyError) as caught:
            select_site_passages(body, "acme", path=PATH, body_line=5)
        return str(caught.value)

    assert refusal("Text.\n<!-- end only -->") == (
        f"{PATH}:6: 'end only' without a matching start "
        "(add a line <!-- only: SITE-ID --> before the passage, or remove this one)"
    )
    assert refusal("<!-- only: acme -->\n<!-- end except -->") == (
        f"{PATH}:6: 'end except' without a matching start "
        "(add a line <!-- except: SITE-ID --> before the passage, or remove this one)"
    )
    assert refusal("<!-- except: beta -->\nText.") == (
        f"{PATH}:5: 'except:' passage is not closed (add a line <!-- end except -->)"
    )
    # the innermost passage left open is named
    assert refusal("<!-- only: acme -->\n<!-- except: b -->\nx\n<!-- end except -->\n<!-- except: c -->") == (
        f"{PATH}:9: 'except:' passage is not closed (add a line <!-- end except -->)"
    )


def test_the_site_ids_the_markers_name_are_listed_for_check() -> None:
    assert passage_site_ids(BODY) == {"acme", "beta"}
    assert passage_site_ids("<!-- only: a,b  c -->\n<!-- end only -->\nText <!-- only: d -->") == {"a", "b", "c"}
    assert passage_site_ids("No markers.") == set()


def test_every_site_value_is_found_with_its_line() -> None:
    body = "Hello {{ site.company }} and {{site.support-email}}.\n\n{{ site.company_2 }}\n{{ page.title }} {{ site. }}"
    assert placeholders(body, 7) == [("company", 7), ("support-email", 7), ("company_2", 9)]


def test_a_title_or_summary_takes_the_sites_values_and_shows_an_unknown_one_as_written() -> None:
    values = {"company": "Acme & Co"}
    assert fill_placeholders("Terms of {{ site.company }}, {{site.company}}", values) == "Terms of Acme & Co, Acme & Co"
    assert fill_placeholders("Terms of {{ site.region }}", values) == "Terms of {{ site.region }}"
    assert fill_placeholders("Plain terms", values) == "Plain terms"


def test_values_travel_as_markers_through_markdown_and_are_filled_in_text() -> None:
    marked = mark_placeholders("For {{ site.company }} at {{site.url}}, not {{ page.url }}.")
    assert (
        marked == f"For {MARKER_OPEN}company{MARKER_CLOSE} at {MARKER_OPEN}url{MARKER_CLOSE}, not {{{{ page.url }}}}."
    )
    assert has_markers(marked)
    assert not has_markers("For {{ page.url }}.")
    assert fill_text(marked, {"company": "Acme"}) == "For Acme at , not {{ page.url }}."
    assert fill_text("No markers %EE%80%80url%EE%80%81", {"url": "x"}) == "No markers %EE%80%80url%EE%80%81"
