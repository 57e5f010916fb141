"""Issue 16: every heading and unit has an anchor a Site can link to, and it holds while its own text does.

Pure properties on `analyse` (fast, reachable by mutation testing), the seed's anchors and HTML as
they were, and a build showing that a translation uses its source's anchors.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from smops_policy.content.document import analyse, read_policy_text
from smops_policy.content.structure import Block, passage_anchor, slugify

from .conftest import ROOT, PolicyRepo
from .hypothesis_profiles import PURE

WORDS = ["notice", "data", "account", "privacy", "retention", "cookies", "email", "billing", "request", "law"]
sentence = st.lists(st.sampled_from(WORDS), min_size=2, max_size=6).map(lambda words: " ".join(words).capitalize())
# A document: sections, each a heading and paragraphs or bullets (texts made unique below, as a real
# policy's passages are: an exact duplicate is told apart by its order, see README, Anchors).
documents = st.lists(
    st.tuples(sentence, st.lists(st.tuples(st.booleans(), sentence), min_size=1, max_size=4)),
    min_size=1,
    max_size=5,
)

Doc = list[tuple[str, list[tuple[bool, str]]]]


def unique(doc: Doc) -> Doc:
    """Every heading and passage text made distinct (a running number appended)."""
    n = 0
    out: Doc = []
    for heading, units in doc:
        n += 1
        parts = []
        for bullet, text in units:
            n += 1
            parts.append((bullet, f"{text} {n}."))
        out.append((f"{heading} {n}", parts))
    return out


def markdown(doc: Doc) -> str:
    lines: list[str] = []
    for heading, units in doc:
        lines += [f"## {heading}", ""]
        for bullet, text in units:
            lines += [f"- {text}" if bullet else text, ""]
    return "\n".join(lines)


def anchors(body: str) -> dict[str, str]:
    """Each unit's and heading's text → its anchor."""
    document, _ = analyse(body)
    found = {c.text: c.anchor for c in document.clauses()}
    found.update({s.heading: s.anchor for s in document.sections if s.heading})
    return found


@PURE
@given(doc=documents, edit=st.sampled_from(["insert", "delete", "rewrite", "rename", "new section"]), data=st.data())
def test_an_anchor_survives_edits_elsewhere_in_the_document(doc: Doc, edit: str, data: st.DataObject) -> None:
    doc = unique(doc)
    before = anchors(markdown(doc))
    s = data.draw(st.integers(0, len(doc) - 1))
    heading, units = doc[s]
    u = data.draw(st.integers(0, len(units) - 1))
    edited = [(h, list(us)) for h, us in doc]
    touched = {units[u][1]}
    if edit == "insert":
        edited[s][1].insert(u, (False, "An inserted passage about data."))
    elif edit == "delete" and len(units) > 1:
        del edited[s][1][u]
    elif edit == "rewrite":
        edited[s][1][u] = (units[u][0], "A rewritten passage about email.")
    elif edit == "rename":
        edited[s] = ("A renamed heading", edited[s][1])
        touched = {heading}
    elif edit == "new section":
        edited.insert(s, ("A new section", [(False, "Its own text.")]))
    after = anchors(markdown(edited))
    for text, anchor in before.items():
        if text not in touched and text in after:
            assert after[text] == anchor, (edit, text)


@PURE
@given(doc=documents)
def test_anchors_are_unique_within_the_page_and_each_unit_carries_its_own(doc: Doc) -> None:
    body = markdown(doc)  # duplicates allowed here: they must still get distinct anchors
    document, html = analyse(body)
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    expected = [s.anchor for s in document.sections if s.heading] + [c.anchor for c in document.clauses()]
    assert sorted(ids) == sorted(expected)
    assert all(re.fullmatch(r"(section|passage)-[a-z0-9-]+", anchor) for anchor in ids)


def test_an_unnumbered_passage_anchor_is_its_own_texts_hash_whatever_its_wrapping() -> None:
    one, _ = analyse("## A\n\nWe keep   your data\nfor a year.\n")
    two, _ = analyse("Intro.\n\n## Renamed\n\n- Other.\n\nWe keep your data for a year.\n")
    (kept,) = list(one.clauses())
    assert kept.anchor == next(c.anchor for c in two.clauses() if c.text == "We keep your data for a year.")
    assert re.fullmatch(r"passage-[0-9a-f]{8}", kept.anchor)


SEED = ROOT / "policies" / "privacy" / "en.md"
# sha256 of the seed's rendered body before issue 16 (main at 1ef7000): the seed keeps its exact output.
SEED_HTML = {
    "en.md": "26a584f74e063ef6",
    "nl.md": "b047ccec4219f870",
}


def test_the_seed_renders_exactly_as_before_with_clause_and_section_anchors_only() -> None:
    for name, digest in SEED_HTML.items():
        path = SEED.parent / name
        text = read_policy_text(path.read_bytes(), f"policies/privacy/{name}")
        document, html = analyse(text.body, body_line=text.body_line, title=text.meta.title)
        assert hashlib.sha256(html.encode()).hexdigest()[:16] == digest, name
        assert document.numbering == "continuous"
        ids = re.findall(r' id="([^"]+)"', html)
        numbered = len(document.numbered())
        assert numbered == 25
        assert [i for i in ids if i.startswith("clause-")] == [f"clause-{n}" for n in range(1, numbered + 1)]
        assert all(re.fullmatch(r"clause-\d+|section-[\w-]+", i) for i in ids)


def test_a_translation_uses_the_anchors_of_the_source_version(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    front = '---\ntitle: {title}\nversion: "1.0"\neffective: 2020-01-01\nsummary: {summary}\n---\n\n'
    policy_repo.write(
        "policies/privacy/en.md",
        front.format(title="Privacy", summary="First.")
        + "We are Acme.\n\n## Data\n\nWe keep your data for a year.\n\n- We never sell it.\n",
    )
    policy_repo.write(
        "policies/privacy/nl.md",
        front.format(title="Privacy", summary="Eerste.")
        + "Wij zijn Acme.\n\n## Gegevens\n\nWij bewaren uw gegevens een jaar.\n\n- Wij verkopen ze nooit.\n",
    )
    policy_repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    out = tmp_path / "site"
    policy_repo.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)

    def passages(lang: str) -> list[str]:
        page = (out / "alpha" / lang / "privacy" / "1.0" / "index.html").read_text(encoding="utf-8")
        return re.findall(r' id="(passage-[0-9a-f]{8})"', page)

    english = passages("en")
    assert len(english) == 3
    assert passages("nl") == english


def test_anchor_rules_exactly() -> None:
    """The anchor formulas the README states, value for value (a Site's links depend on them)."""
    assert passage_anchor([Block("paragraph", "We keep  your\nData"), Block("bullet", "for a year.", 1)]) == (
        "passage-" + hashlib.sha1(b"we keep your data for a year.").hexdigest()[:8]
    )
    assert [slugify(text) for text in ("— Notes —", "A. Definitions", "!!!", "Données & Co")] == [
        "notes",
        "a-definitions",
        "section",
        "données-co",
    ]
    document, _ = analyse("## Notes\n\nOne.\n\n## Notes\n\nTwo.\n\n## Notes\n\nThree.\n\nThree.\n")
    assert [s.anchor for s in document.sections] == ["section-notes", "section-notes-2", "section-notes-3"]
    repeated = [c.anchor for c in document.clauses()][2:]
    assert repeated == [repeated[0], repeated[0] + "-2"]
