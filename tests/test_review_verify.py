"""Bugs found reviewing `verify`, `review`, `build --site` and the output rules, each on a real
repository with the real command line (and real mkdocs)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .conftest import run_mkdocs_in_process

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import PolicyRepo

AS_OF = "2026-11-25"


def test_verify_of_one_site_an_output_lacks_says_it_is_missing(three_versions: PolicyRepo, tmp_path: Path) -> None:
    out = tmp_path / "alpha-only"
    three_versions.smops("build", "--as-of", AS_OF, "--site", "alpha", "--output", str(out), check=True)

    assert three_versions.smops("verify", "--output", str(out), "--site", "alpha").returncode == 0
    beta = three_versions.smops("verify", "--output", str(out), "--site", "beta")
    assert beta.returncode == 1 and "Traceback" not in beta.stderr
    # not "records no date it was built for (give --as-of DATE)": the Site is what is missing
    assert "records no date" not in beta.stderr
    assert f"{out / 'beta' / 'versions.json'}: is missing: Site 'beta' is not in this output" in beta.stderr
    assert "smops-policy build --site beta" in beta.stderr
    unknown = three_versions.smops("verify", "--output", str(out), "--site", "gamma")
    assert unknown.returncode == 1 and "records no date" not in unknown.stderr
    assert "policies/sites.yml: has no Site 'gamma' (Sites there are: alpha, beta)" in unknown.stderr


def test_verify_of_sites_built_for_different_dates_says_so(
    three_versions: PolicyRepo, three_versions_site: Path
) -> None:
    out = three_versions_site  # built as of AS_OF
    three_versions.smops("build", "--as-of", "2031-06-01", "--site", "alpha", "--output", str(out), check=True)

    mixed = three_versions.smops("verify", "--output", str(out))
    assert mixed.returncode == 1 and "Traceback" not in mixed.stderr
    # each Site named with the date it was built for, instead of every page of beta "differing"
    lines = mixed.stderr.splitlines()
    assert lines[0].startswith(f"{out / 'alpha' / 'versions.json'}: was built as of 2031-06-01")
    assert lines[1].startswith(f"{out / 'beta' / 'versions.json'}: was built as of {AS_OF}")
    assert len(lines) == 2 and "--site ID" in lines[0]
    # following the hint: the Site built last is verified as of its own date
    assert three_versions.smops("verify", "--output", str(out), "--site", "alpha").returncode == 0


def test_review_of_a_renamed_policy_reports_no_changed_version(three_versions: PolicyRepo) -> None:
    repo = three_versions
    repo.repo.git.checkout("-b", "rename")
    repo.repo.git.mv("policies/privacy", "policies/notice")
    sites = repo.path / "policies" / "sites.yml"
    sites.write_text(sites.read_text(encoding="utf-8").replace("[privacy]", "[notice]"), encoding="utf-8")
    repo.commit("Rename the policy", "2026-11-20T10:00:00+01:00")

    review = repo.smops("review")
    assert review.returncode == 0, review.stderr
    # the same bytes under a new name are not a "2.0 (changed)" with an empty redline on every Site
    assert "(changed)" not in review.stdout and "Redlines" not in review.stdout
    assert "No policy version is added or changed between the base and HEAD." in review.stdout
    for moved in ("policies/notice/en.md", "policies/privacy/en.md", "policies/sites.yml"):
        assert f"<code>{moved}</code>" in review.stdout


def test_a_bad_cache_folders_hint_does_not_point_at_the_output(three_versions: PolicyRepo) -> None:
    (three_versions.path / "cache-file").write_text("not a folder\n", encoding="utf-8")
    refused = three_versions.smops("build", "--as-of", AS_OF, "--cache", "cache-file")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "exists and is not a folder (choose another folder for --cache, e.g. a new folder such as build-cache/)" in (
        refused.stderr
    )
    # the hint, followed, works (site/, the example it gave before, is the output: refused)
    assert three_versions.smops("build", "--as-of", AS_OF, "--cache", "build-cache").returncode == 0


def test_mkdocs_build_names_its_own_setting_for_a_refused_folder(three_versions: PolicyRepo, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "minutes.txt").write_text("not a build output\n", encoding="utf-8")
    result = run_mkdocs_in_process(["build", "--site-dir", str(notes)], cwd=three_versions.path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    # a mkdocs user has no --output option: the hint names what they set
    assert "choose an empty or new folder for site_dir (mkdocs build -d)" in result.stderr
    assert "--output" not in result.stderr
    assert (notes / "minutes.txt").read_text(encoding="utf-8") == "not a build output\n"


def test_verify_refuses_an_output_built_with_drafts_in_one_line(three_versions: PolicyRepo, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    english = three_versions.path / "policies" / "privacy" / "en.md"
    draft = english.read_text(encoding="utf-8").replace('"2.0"', '"2.1"').replace("2031-01-01", "2032-01-01")
    english.write_text(draft.replace("short.", "very short."), encoding="utf-8")
    three_versions.smops("build", "--as-of", AS_OF, "--drafts", "--output", str(out), check=True)

    result = three_versions.smops("verify", "--output", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    # one line that says why, not a page of "status is 'draft', git says 'upcoming'" per Site
    assert result.stderr.splitlines() == [
        f"{out / 'alpha' / 'versions.json'}: was built with --drafts (privacy 2.1 (en) is an uncommitted draft): "
        "a preview, which git cannot prove (commit the change and build without --drafts, then verify that output)"
    ]


def test_verify_names_a_versions_json_of_another_shape_without_a_traceback(
    three_versions: PolicyRepo, three_versions_site: Path
) -> None:
    out = three_versions_site  # built as of 2026-11-25
    index = out / "beta" / "versions.json"
    built = json.loads(index.read_text(encoding="utf-8"))
    for policies in ([1], {"privacy": []}, {"privacy": {"en": {"versions": 5}}}):
        index.write_text(json.dumps({**built, "policies": policies}), encoding="utf-8")
        result = three_versions.smops("verify", "--output", str(out))
        assert result.returncode == 1 and "Traceback" not in result.stderr, policies
        assert f"{index}: does not list " in result.stderr


def test_verify_does_not_call_an_uncommitted_theme_file_git(three_versions: PolicyRepo, tmp_path: Path) -> None:
    repo = three_versions
    config = repo.path / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
        encoding="utf-8",
    )
    template = '{% extends "base.html" %}\n{% block extrahead %}<meta name="theme-note" content="NOTE">{% endblock %}\n'
    repo.write("overrides/main.html", template.replace("NOTE", "committed"))
    repo.commit("The repository's own theme", "2026-11-02T10:00:00+01:00")
    out = tmp_path / "site"
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    clean = repo.smops("verify", "--output", str(out))
    assert clean.returncode == 0 and "matches git" in clean.stdout and "warning" not in clean.stderr

    repo.write("overrides/main.html", template.replace("NOTE", "uncommitted"))  # published by the build as it is
    repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    assert 'content="uncommitted"' in (out / "alpha" / "en" / "index.html").read_text(encoding="utf-8")
    loose = repo.smops("verify", "--output", str(out))
    assert loose.returncode == 0 and "Traceback" not in loose.stderr
    assert "matches git" not in loose.stdout
    assert "with the uncommitted files above, not git alone" in loose.stdout
    assert loose.stderr.splitlines() == [
        "overrides/main.html: warning: is not committed: the build and this check read it from disk "
        "(commit it, then build and verify again)"
    ]


def test_mkdocs_build_gives_the_warnings_smops_policy_build_gives(three_versions: PolicyRepo, tmp_path: Path) -> None:
    sites = three_versions.path / "policies" / "sites.yml"
    sites.write_text(sites.read_text(encoding="utf-8") + "# an edit not yet committed\n", encoding="utf-8")
    said = "policies/sites.yml: warning: has uncommitted changes that are not published (commit them, or preview with --drafts)"
    ours = three_versions.smops("build", "--as-of", AS_OF, "--output", str(tmp_path / "ours"), "--no-cache")
    assert ours.returncode == 0 and said in ours.stderr.splitlines()
    theirs = run_mkdocs_in_process(["build", "--site-dir", str(tmp_path / "theirs")], cwd=three_versions.path)
    assert theirs.returncode == 0 and "Traceback" not in theirs.stderr
    assert "WARNING -  " + said.replace(": warning: ", ": ") in theirs.stderr
