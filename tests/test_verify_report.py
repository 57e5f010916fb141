"""What `smops-policy verify` reports (commands/verify.py), on small outputs written in tmp_path: an
output, and the build it is compared with, both written from the same in-memory histories by the real
page plan and Site files (bodies only, no mkdocs). Each test changes, removes or adds a file of the
output, or edits its versions.json, and asserts the lines a CI user reads. Fast: no git, no build."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest

from smops_policy.build.site_files import write_root_index, write_site_files
from smops_policy.commands.verify import Rebuilt, compare_with_build, read_output
from smops_policy.errors import PolicyError
from smops_policy.model import Correction
from smops_policy.pages.caches import BodyCache, DiffCache
from smops_policy.pages.plan import plan_site

from .domain import history, site, version
from .site_outputs import ALPHA, AS_OF, V1, V2, V3, project

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from smops_policy.content.project import Project
    from smops_policy.model import Site

HEAD = "c0ffee" * 6 + "c0ff"  # the in-memory project's HEAD
BUILD = f"the build of {HEAD[:12]} as of 2026-11-27"
HINT = "(build the output again; never edit built pages)"
NL = version("1.9", "2020-01-01", lang="nl", title="Privacyverklaring", body="1. Wij bewaren uw gegevens veilig.\n")
BETA = site("beta", url="https://beta.example/", languages=("en",))


def _project(*sites: Site) -> Project:
    return project(history(V1, V2, V3), history(NL), publisher_sites=sites or (ALPHA,))


def write_output(folder: Path, the_project: Project, sites: tuple[Site, ...], as_of: dt.date = AS_OF) -> None:
    """What a build writes that verify reads: each page's body (the theme's frame left out), each Site's
    versions.json, sitemap, feeds and banners, and the output's front page."""
    for the_site in sites:
        plan = plan_site(the_project, the_site, as_of, BodyCache(), DiffCache())
        for lang in the_site.languages:
            for page in plan.lang_pages(lang):
                target = folder / the_site.id / page.url / "index.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(f"<!doctype html>\n<main>\n{page.content()[0]}\n</main>\n", encoding="utf-8")
        write_site_files(the_project, plan, folder / the_site.id)
    write_root_index(the_project.publisher, as_of, folder)


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _rebuilt(folder: Path, the_project: Project, sites: tuple[Site, ...], as_of: dt.date = AS_OF) -> Rebuilt:
    def content(name: str) -> bytes | None:
        return (folder / name).read_bytes()

    return Rebuilt(the_project, sites, BodyCache(), _digests(folder), content, as_of)


@pytest.fixture
def outputs(tmp_path: Path) -> tuple[Path, Rebuilt]:
    """An output of ALPHA (English and Dutch) and the build it is compared with: the same files."""
    built, out = tmp_path / "built", tmp_path / "site"
    write_output(built, _project(), (ALPHA,))
    shutil.copytree(built, out)
    return out, _rebuilt(built, _project(), (ALPHA,))


def _report(out: Path, build: Rebuilt, sites: tuple[str, ...] = ()) -> list[str]:
    """Each line verify prints, with the output's path left out."""
    _as_of, indexes = read_output(out, sites=sites)
    return [str(p).replace(f"{out}/", "") for p in compare_with_build(out, indexes, build, sites)]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit_index(out: Path, change: Any, site_id: str = "alpha") -> None:
    path = out / site_id / "versions.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def test_an_output_that_is_what_the_build_writes_passes(outputs: tuple[Path, Rebuilt]) -> None:
    out, build = outputs
    assert _report(out, build) == []
    assert read_output(out)[0] == AS_OF


def test_a_clause_edited_in_a_version_page_is_named_once_with_the_commit(outputs: tuple[Path, Rebuilt]) -> None:
    out, build = outputs
    _replace(out / "alpha/en/privacy/1.10/index.html", "after a year", "after ten years")
    assert _report(out, build) == [
        f"alpha/en/privacy/1.10/index.html: the text of privacy 1.10 (en) differs from its text in git "
        f"(commit {V2.commit[:12]}): edited after the build? {HINT}"
    ]


def test_the_page_of_the_version_in_force_is_checked_too(outputs: tuple[Path, Rebuilt]) -> None:
    out, build = outputs
    _replace(out / "alpha/en/privacy/index.html", "after a year", "after ten years")
    _replace(out / "alpha/en/privacy/2.0/index.html", "records safe", "records")
    assert _report(out, build) == [
        f"alpha/en/privacy/index.html: the text of privacy 1.10 (en) differs from its text in git "
        f"(commit {V2.commit[:12]}): edited after the build? {HINT}",
        f"alpha/en/privacy/2.0/index.html: the text of privacy 2.0 (en) differs from its text in git "
        f"(commit {V3.commit[:12]}): edited after the build? {HINT}",
    ]


def test_a_page_whose_proof_is_not_where_the_build_puts_it_says_what_it_lacks(
    outputs: tuple[Path, Rebuilt],
) -> None:
    out, build = outputs
    _replace(out / "alpha/en/privacy/1.9/index.html", '\n</div>\n<footer class="policy-proof">', "\n</div>\n<footer>")
    assert _report(out, build) == [
        "alpha/en/privacy/1.9/index.html: does not hold the text of privacy 1.9 (en)",
        f"alpha/en/privacy/1.9/index.html: does not show the sha256 of privacy 1.9 (en), {V1.sha256}",
        f"alpha/en/privacy/1.9/index.html: does not show the commit of privacy 1.9 (en), {V1.commit}",
    ]


def test_the_text_and_proof_checked_are_the_first_after_the_texts_start(outputs: tuple[Path, Rebuilt]) -> None:
    out, build = outputs
    page = out / "alpha/en/privacy/1.9/index.html"
    # a proof shown before the text: not this text's
    _replace(
        page,
        '<div class="policy-text"',
        '\n</div>\n<footer class="policy-proof"><p>Forged.</p></footer>\n<div class="policy-text"',
    )
    [said] = _report(out, build)
    assert said.startswith(f"alpha/en/privacy/1.9/index.html: differs from {BUILD}: line ")
    # a proof after the page's own: its sha256 is not this text's proof
    page = out / "alpha/en/privacy/1.10/index.html"
    _replace(page, f"<code>{V2.sha256}</code>", "<code>-</code>")
    _replace(page, "</footer>", f'</footer>\n</div>\n<footer class="policy-proof"><code>{V2.sha256}</code></footer>')
    assert _report(out, build) == [
        f"alpha/en/privacy/1.10/index.html: does not show the sha256 of privacy 1.10 (en), {V2.sha256}",
        said,
    ]


def test_a_page_that_lost_its_proof_or_its_text_says_what_it_lacks(outputs: tuple[Path, Rebuilt]) -> None:
    out, build = outputs
    page = out / "alpha/en/privacy/1.9/index.html"
    _replace(page, f"<code>{V1.sha256}</code>", "<code>-</code>")
    _replace(page, f"<code>{V1.commit}</code>", "<code>-</code>")
    _replace(out / "alpha/nl/privacy/index.html", '<div class="policy-text" lang="nl">', "<div>")
    assert _report(out, build) == [
        f"alpha/en/privacy/1.9/index.html: does not show the sha256 of privacy 1.9 (en), {V1.sha256}",
        f"alpha/en/privacy/1.9/index.html: does not show the commit of privacy 1.9 (en), {V1.commit}",
        "alpha/nl/privacy/index.html: does not hold the text of privacy 1.9 (nl)",
        f"alpha/nl/privacy/index.html: does not show the sha256 of privacy 1.9 (nl), {NL.sha256}",
        f"alpha/nl/privacy/index.html: does not show the commit of privacy 1.9 (nl), {NL.commit}",
    ]


def test_a_missing_page_and_an_extra_file_are_named(outputs: tuple[Path, Rebuilt]) -> None:
    out, build = outputs
    (out / "alpha/en/privacy/1.9/index.html").unlink()
    (out / "alpha/en/privacy/notes.html").write_text("<p>Not ours.</p>", encoding="utf-8")
    (out / "alpha/en/feed.atom").write_text("", encoding="utf-8")
    assert _report(out, build) == [
        "alpha/en/privacy/1.9/index.html: is missing: the page of privacy 1.9 (en)",  # and not again
        f"alpha/en/feed.atom: differs from {BUILD}: is empty, where the build has "
        f"{len((out.parent / 'built/alpha/en/feed.atom').read_bytes())} bytes {HINT}",
        f"alpha/en/privacy/notes.html: is not part of {BUILD} {HINT}",
    ]


def test_a_version_record_edited_is_named_by_its_key_once(outputs: tuple[Path, Rebuilt]) -> None:
    out, build = outputs

    def edit(data: dict[str, Any]) -> None:
        data["policies"]["privacy"]["en"]["versions"][1]["summary"] = "Nothing of note."
        data["policies"]["privacy"]["en"]["in_force"] = "2.0"

    _edit_index(out, edit)
    assert _report(out, build) == [
        "alpha/versions.json: privacy 1.10 (en): summary is 'Nothing of note.', git says 'Adds a retention clause.'",
        f'alpha/versions.json: differs from {BUILD}: policies.privacy.en.in_force is "2.0", where the build has '
        f'"1.10" {HINT}',
    ]


def test_many_edited_records_are_each_named_once_and_nothing_more_is_said_of_them(
    outputs: tuple[Path, Rebuilt],
) -> None:
    out, build = outputs

    def edit(data: dict[str, Any]) -> None:
        for langs in data["policies"].values():
            for entry in langs.values():
                for record in entry["versions"]:
                    record["summary"] = "Note: edited."  # a colon in what is shown of it
        data["policies"]["privacy"]["en"]["in_force"] = "2.0"

    _edit_index(out, edit)
    assert _report(out, build) == [
        "alpha/versions.json: privacy 1.9 (en): summary is 'Note: edited.', git says 'Version 1.9.'",
        "alpha/versions.json: privacy 1.10 (en): summary is 'Note: edited.', git says 'Adds a retention clause.'",
        "alpha/versions.json: privacy 2.0 (en): summary is 'Note: edited.', git says 'Version 2.0.'",
        "alpha/versions.json: privacy 1.9 (nl): summary is 'Note: edited.', git says 'Version 1.9.'",
        f'alpha/versions.json: differs from {BUILD}: policies.privacy.en.in_force is "2.0", where the build has '
        f'"1.10" {HINT}',
    ]  # not the first three of the five differences and "2 more differences" again


def test_a_versions_json_that_is_a_link_says_so_besides_what_it_lists(outputs: tuple[Path, Rebuilt]) -> None:
    out, build = outputs
    elsewhere = out.parent / "versions.json"
    shutil.move(out / "alpha/versions.json", elsewhere)
    (out / "alpha/versions.json").symlink_to(elsewhere)
    _edit_index(out, lambda data: data["policies"]["privacy"]["nl"]["versions"][0].update(summary="Edited."))
    assert _report(out, build) == [
        "alpha/versions.json: privacy 1.9 (nl): summary is 'Edited.', git says 'Version 1.9.'",
        f"alpha/versions.json: is a symbolic link, where {BUILD} writes a file {HINT}",
    ]


def test_a_version_git_does_not_have_or_a_version_left_out_is_named(outputs: tuple[Path, Rebuilt]) -> None:
    out, build = outputs

    def edit(data: dict[str, Any]) -> None:
        versions = data["policies"]["privacy"]["en"]["versions"]
        versions.append({**versions[0], "version": "0.9"})
        del versions[0]
        versions.append("not a record")

    _edit_index(out, edit)
    assert _report(out, build) == [
        "alpha/versions.json: lists privacy 0.9 (en), a version git does not have",
        "alpha/versions.json: does not list version privacy 1.9 (en) (build the output again)",
    ]


def test_a_policy_or_language_left_out_of_versions_json_is_named(outputs: tuple[Path, Rebuilt]) -> None:
    out, build = outputs
    _edit_index(out, lambda data: data["policies"]["privacy"].pop("nl"))
    assert _report(out, build) == [
        "alpha/versions.json: does not list policy 'privacy' in 'nl'",
        f"alpha/versions.json: differs from {BUILD}: policies.privacy.nl is missing, where the build has "
        '{"url": "https://policies.alpha.example/nl/privacy/", "in_force": "1.9", "ver…'
        f" {HINT}",
    ]
    _edit_index(out, lambda data: data.update(policies=["privacy"]))
    assert _report(out, build)[:2] == [
        "alpha/versions.json: does not list policy 'privacy' in 'en'",
        "alpha/versions.json: does not list policy 'privacy' in 'nl'",
    ]


def test_an_output_of_another_commit_says_so(outputs: tuple[Path, Rebuilt]) -> None:
    out, build = outputs
    _edit_index(out, lambda data: data.update(built_from="1234567890abcdef" * 2 + "12345678"))
    assert _report(out, build)[0] == (
        f"alpha/versions.json: was built from commit 1234567890ab, but HEAD is {HEAD[:12]} "
        "(build the output again, or verify it in a checkout of the commit it was built from)"
    )
    _edit_index(out, lambda data: data.pop("built_from"))  # an older output: nothing said of it
    assert not any("was built from" in line for line in _report(out, build))


def test_a_site_the_build_has_and_the_output_lacks_is_named(tmp_path: Path) -> None:
    built, out = tmp_path / "built", tmp_path / "site"
    both = _project(ALPHA, BETA)
    write_output(built, both, (ALPHA, BETA))
    write_output(out, both, (ALPHA,))
    files = sum(1 for path in (built / "beta").rglob("*") if path.is_file())
    assert _report(out, _rebuilt(built, both, (ALPHA, BETA))) == [
        "beta/versions.json: is missing: Site 'beta' is not in this output (build it (smops-policy build "
        "--site beta), or verify only the Sites there with --site)",
        f"beta/: is missing: {BUILD} writes it ({files} files in it) {HINT}",
    ]
    write_output(tmp_path / "alpha-only", both, (ALPHA,))
    assert _report(out, _rebuilt(tmp_path / "alpha-only", both, (ALPHA,)), sites=("alpha",)) == []


def test_verify_of_one_site_looks_at_that_sites_folder_and_the_files_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "site"
    both = _project(ALPHA, BETA)
    write_output(out, both, (ALPHA, BETA))
    alpha, beta = tmp_path / "alpha-only", tmp_path / "beta-only"  # what `--site alpha` builds, or beta
    write_output(alpha, both, (ALPHA,))
    write_output(beta, both, (BETA,))
    (out / "beta/robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    _replace(out / "beta/en/privacy/1.9/index.html", "records safe", "records")
    assert _report(out, _rebuilt(alpha, both, (ALPHA,)), sites=("alpha",)) == []
    (out / "notes.txt").write_text("beside the Sites\n", encoding="utf-8")
    assert _report(out, _rebuilt(alpha, both, (ALPHA,)), sites=("alpha",)) == [
        f"notes.txt: is not part of {BUILD} {HINT}"
    ]
    assert _report(out, _rebuilt(beta, both, (BETA,)), sites=("beta",)) == [
        f"beta/en/privacy/1.9/index.html: the text of privacy 1.9 (en) differs from its text in git "
        f"(commit {V1.commit[:12]}): edited after the build? {HINT}",
        f"beta/robots.txt: is not part of {BUILD} {HINT}",
        f"notes.txt: is not part of {BUILD} {HINT}",
    ]


def test_an_output_recording_no_valid_date_for_a_site_says_so(outputs: tuple[Path, Rebuilt]) -> None:
    out, build = outputs
    _as_of, indexes = read_output(out)
    indexes["alpha"]["as_of"] = "yesterday"
    problems = compare_with_build(out, indexes, build)
    assert (
        str(problems[0]) == f"{out}/alpha/versions.json: has no valid as_of date ('yesterday') (build the output again)"
    )


def test_each_wording_of_a_corrected_translation_is_checked_with_the_sites_values(tmp_path: Path) -> None:
    first = version("1.9", "2020-01-01", lang="nl", body="1. Wij bewaren voor {{ site.name }}.\n")
    fixed = version(
        "1.9",
        "2020-01-01",
        lang="nl",
        body="1. Wij bewaren veilig voor {{ site.name }}.\n",
        committed="2020-03-01T10:00:00+01:00",
    )
    corrected = replace(fixed, corrections=(Correction(1, "Typo.", first, fixed),))
    the_project = project(history(V1, V2), history(corrected))
    built, out = tmp_path / "built", tmp_path / "site"
    write_output(built, the_project, (ALPHA,))
    shutil.copytree(built, out)
    build = _rebuilt(built, the_project, (ALPHA,))
    assert _report(out, build) == []  # the Site's values filled in, as on the pages
    shutil.rmtree(out / "alpha/nl/privacy/1.9/revisions/0")
    _replace(out / "alpha/nl/privacy/1.9/revisions/1/index.html", "veilig", "niet")
    _replace(out / "alpha/nl/privacy/1.9/index.html", "veilig", "niet")
    changed = f"edited after the build? {HINT}"
    assert _report(out, build) == [
        f"alpha/nl/privacy/1.9/index.html: the text of privacy 1.9 (nl) differs from its text in git "
        f"(commit {fixed.commit[:12]}): {changed}",
        "alpha/nl/privacy/1.9/revisions/0/index.html: is missing: the page of privacy 1.9 (nl), wording 0",
        f"alpha/nl/privacy/1.9/revisions/1/index.html: the text of privacy 1.9 (nl), wording 1 differs from its "
        f"text in git (commit {fixed.commit[:12]}): {changed}",
    ]


def test_a_missing_permalink_does_not_stop_the_page_of_the_version_in_force_being_checked(
    outputs: tuple[Path, Rebuilt],
) -> None:
    out, build = outputs
    shutil.rmtree(out / "alpha/en/privacy/1.10")
    _replace(out / "alpha/en/privacy/index.html", "after a year", "after ten years")
    assert _report(out, build) == [
        "alpha/en/privacy/1.10/index.html: is missing: the page of privacy 1.10 (en)",
        f"alpha/en/privacy/index.html: the text of privacy 1.10 (en) differs from its text in git "
        f"(commit {V2.commit[:12]}): edited after the build? {HINT}",
    ]


def test_a_site_missing_from_the_output_does_not_stop_the_next_one_being_checked(tmp_path: Path) -> None:
    built, out = tmp_path / "built", tmp_path / "site"
    both = _project(ALPHA, BETA)
    write_output(built, both, (ALPHA, BETA))
    write_output(out, both, (ALPHA,))
    _replace(out / "alpha/en/privacy/1.9/index.html", "records safe", "records")
    report = _report(out, _rebuilt(built, both, (BETA, ALPHA)))
    assert report[:2] == [
        "beta/versions.json: is missing: Site 'beta' is not in this output (build it (smops-policy build "
        "--site beta), or verify only the Sites there with --site)",
        f"alpha/en/privacy/1.9/index.html: the text of privacy 1.9 (en) differs from its text in git "
        f"(commit {V1.commit[:12]}): edited after the build? {HINT}",
    ]


def test_a_language_a_policy_is_not_written_in_is_passed_over(tmp_path: Path) -> None:
    dutch_only = project(history(NL), publisher_sites=(ALPHA,))  # no English privacy policy (yet)
    built, out = tmp_path / "built", tmp_path / "site"
    write_output(built, dutch_only, (ALPHA,))
    shutil.copytree(built, out)
    build = _rebuilt(built, dutch_only, (ALPHA,))
    assert _report(out, build) == []
    _edit_index(out, lambda data: data["policies"]["privacy"]["nl"]["versions"][0].update(title="Edited"))
    assert _report(out, build) == [
        "alpha/versions.json: privacy 1.9 (nl): title is 'Edited', git says 'Privacyverklaring'"
    ]


# --------------------------------------------------------------------------- which output, which date


def test_a_folder_that_is_no_build_output_is_refused_with_what_to_do(tmp_path: Path) -> None:
    hint = "point --output at a folder that `smops-policy build` wrote (default: site/)"
    with pytest.raises(PolicyError) as missing:
        read_output(tmp_path / "nowhere")
    assert [str(p) for p in missing.value.problems] == [f"{tmp_path}/nowhere: is not a folder ({hint})"]
    (tmp_path / "other").mkdir()
    (tmp_path / "other/versions.json").write_text('{"format": 1, "site": "not a Site"}', encoding="utf-8")
    with pytest.raises(PolicyError) as empty:
        read_output(tmp_path)
    assert [str(p) for p in empty.value.problems] == [
        f"{tmp_path}: is not a smops-policy build output (no <site>/versions.json in it) ({hint})"
    ]
    (tmp_path / "other/versions.json").write_text('{"format": 1,', encoding="utf-8")
    with pytest.raises(PolicyError) as broken:
        read_output(tmp_path)
    [problem] = broken.value.problems
    assert problem.path == f"{tmp_path}/other/versions.json" and problem.hint == "build the output again"
    assert problem.message.startswith("is not readable JSON (Expecting property name")


def _index(folder: Path, site_id: str, **data: Any) -> None:
    (folder / site_id).mkdir(parents=True, exist_ok=True)
    record = {"format": 1, "site": {"id": site_id}, **data}
    (folder / site_id / "versions.json").write_text(json.dumps(record), encoding="utf-8")


def test_the_output_is_built_again_for_the_date_it_records_or_the_one_given(tmp_path: Path) -> None:
    import datetime as dt

    _index(tmp_path, "alpha", as_of="2026-11-25")
    _index(tmp_path, "beta", as_of="2026-11-25")
    date, indexes = read_output(tmp_path)
    assert date == dt.date(2026, 11, 25) and sorted(indexes) == ["alpha", "beta"]
    assert read_output(tmp_path, as_of=dt.date(2030, 1, 1))[0] == dt.date(2030, 1, 1)
    date, indexes = read_output(tmp_path, sites=("beta", "gamma"))
    assert date == dt.date(2026, 11, 25) and list(indexes) == ["beta"]
    date, indexes = read_output(tmp_path, sites=("gamma",))  # said missing by the comparison
    assert date == dt.date(2026, 11, 25) and indexes == {}
    assert read_output(tmp_path, as_of=dt.date(2030, 1, 1), sites=("beta",))[0] == dt.date(2030, 1, 1)


def test_sites_built_for_different_dates_are_named_each_with_its_date(tmp_path: Path) -> None:
    import datetime as dt

    _index(tmp_path, "alpha", as_of="2026-11-25")
    _index(tmp_path, "beta", as_of="2026-11-20")
    _index(tmp_path, "gamma", as_of="not a date")
    hint = "(verify each Site on its own (--site ID), give --as-of DATE, or build the whole output again)"
    with pytest.raises(PolicyError) as mixed:
        read_output(tmp_path)
    assert [str(p).replace(f"{tmp_path}/", "") for p in mixed.value.problems] == [
        f"alpha/versions.json: was built as of 2026-11-25, other Sites of this output as of another date {hint}",
        f"beta/versions.json: was built as of 2026-11-20, other Sites of this output as of another date {hint}",
    ]
    assert read_output(tmp_path, sites=("beta",))[0] == dt.date(2026, 11, 20)
    assert read_output(tmp_path, as_of=dt.date(2026, 11, 25))[0] == dt.date(2026, 11, 25)


def test_an_output_recording_no_date_asks_for_one(tmp_path: Path) -> None:
    _index(tmp_path, "alpha")
    _index(tmp_path, "beta", as_of="someday")
    said = [f"{tmp_path}: records no date it was built for (no as_of in any versions.json) (give --as-of DATE)"]
    with pytest.raises(PolicyError) as undated:
        read_output(tmp_path)
    assert [str(p) for p in undated.value.problems] == said
    with pytest.raises(PolicyError) as one_undated:
        read_output(tmp_path, sites=("beta",))
    assert [str(p) for p in one_undated.value.problems] == said


def test_an_output_built_with_drafts_is_refused_in_one_line(tmp_path: Path) -> None:
    draft = {"version": "2.0", "status": "draft"}
    policies = {
        "cookies": {"en": {"versions": [{"version": "1.0", "status": "in-force"}, "not a record"]}, "nl": "odd"},
        "privacy": {
            "nl": {"versions": [draft]},
            "en": {"versions": [{"version": "1.0"}, draft, {**draft, "version": "2.1"}]},
        },
        "about": "odd",
    }
    _index(tmp_path, "alpha", as_of="2026-11-25", policies={"cookies": {"en": {"versions": "odd"}}})
    _index(tmp_path, "beta", as_of="2026-11-25", policies=policies)
    with pytest.raises(PolicyError) as drafts:
        read_output(tmp_path)
    assert [str(p) for p in drafts.value.problems] == [
        f"{tmp_path}/beta/versions.json: was built with --drafts (privacy 2.0 (en) is an uncommitted draft): "
        "a preview, which git cannot prove (commit the change and build without --drafts, then verify that output)"
    ]
    _index(tmp_path, "beta", as_of="2026-11-25", policies="odd")
    assert read_output(tmp_path)[0].isoformat() == "2026-11-25"
