"""Publishing: versions.json, feeds, banner, sitemap, changelog and as-of pages, notice periods,
verification, reproducible builds and the CI workflow."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import feedparser
import yaml

from .conftest import ROOT, PolicyRepo, policy_text, run_in_process

AS_OF = "2026-11-25"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def build(repo: PolicyRepo, out: Path, as_of: str = AS_OF, *extra: str) -> Path:
    repo.smops("build", "--as-of", as_of, "--output", str(out), *extra, check=True)
    return out


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def index(out: Path, site: str = "alpha") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(read(out / site / "versions.json"))
    return data


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# ------------------------------------------------------------------ versions.json


def test_versions_json_lists_every_version_as_the_versions_command_does(
    three_versions: PolicyRepo, three_versions_output: Path
) -> None:
    out = three_versions_output  # `build --as-of 2026-11-25` of these commits
    raw = read(out / "alpha" / "versions.json")
    data = json.loads(raw)
    assert list(data) == ["format", "site", "as_of", "built_from", "policies"]
    assert data["format"] == 1 and data["as_of"] == AS_OF
    assert data["built_from"] == three_versions.repo.head.commit.hexsha
    assert data["site"] == {"id": "alpha", "name": "Alpha Example", "url": "https://alpha.example/"}
    assert raw == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    english = data["policies"]["privacy"]["en"]
    assert english["in_force"] == "1.1" and english["url"] == "https://alpha.example/en/privacy/"
    for lang in ("en", "nl"):
        listed = data["policies"]["privacy"][lang]["versions"]
        command = three_versions.smops(
            "versions", "privacy", "--lang", lang, "--as-of", AS_OF, "--json", "--site", "alpha", check=True
        )
        rows = json.loads(command.stdout)
        assert [r["version"] for r in listed] == [r["version"] for r in rows]
        for record, row in zip(listed, rows, strict=True):
            assert list(record)[:8] == ["version", "effective", "status", "url", "sha256", "commit", "summary", "title"]
            assert record == {k: row[k] for k in record}
            assert record["url"] == f"https://alpha.example/{lang}/privacy/{record['version']}/"
    assert [r["status"] for r in english["versions"]] == ["superseded", "in-force", "upcoming"]
    assert english["versions"][2]["published"] == "2026-11-01T10:00:00+01:00"
    assert list(index(out, "beta")["policies"]["privacy"]) == ["en"]


# ------------------------------------------------------------------ Atom feed


def test_the_feed_validates_as_atom_and_lists_each_publication_and_each_switch(three_versions_output: Path) -> None:
    out = three_versions_output
    text = read(out / "alpha" / "en" / "feed.atom")
    feed = feedparser.parse(text)
    assert feed.bozo == 0, feed.get("bozo_exception")
    root = ET.fromstring(text)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert [e.title for e in feed.entries] == [
        "Sample Policy 2.0 published: it takes effect on 1 January 2031",
        "Sample Policy 1.1 takes effect",
        "Sample Policy 1.1 published: it takes effect on 1 March 2023",
        "Sample Policy 1.0 takes effect",
        "Sample Policy 1.0 published: it takes effect on 1 January 2020",
    ]
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    newest = feed.entries[0]
    assert newest.id == "tag:alpha.example,2026-11-01:alpha/en/privacy/2.0/published"
    assert newest.updated == "2026-11-01T10:00:00+01:00" and newest.summary == "Adds notice by email."
    links = {link.rel: link.href for link in newest.links}
    assert links == {
        "alternate": "https://alpha.example/en/privacy/2.0/",
        "related": "https://alpha.example/en/privacy/changes/1.1...2.0/",
    }
    assert feed.entries[1].updated == "2023-03-01T00:00:00+01:00"  # midnight in the publisher's timezone
    assert feed.feed.updated == "2026-11-01T10:00:00+01:00"  # from the data, not the clock
    dutch = feedparser.parse(read(out / "alpha" / "nl" / "feed.atom"))
    assert dutch.bozo == 0 and len(dutch.entries) == 2


# ------------------------------------------------------------------ banner, sitemap, pages


def test_the_banner_announces_an_upcoming_version_and_is_empty_without_one(
    three_versions: PolicyRepo, tmp_path: Path, three_versions_output: Path
) -> None:
    before = three_versions_output  # as of 2026-11-25
    banner = read(before / "alpha" / "en" / "banner.html")
    assert "2.0" in banner and "1 January 2031" in banner
    assert 'href="https://alpha.example/en/privacy/2.0/"' in banner
    assert "<script" not in banner.lower()
    assert read(before / "alpha" / "nl" / "banner.html") == ""  # no Dutch version is upcoming
    after = build(three_versions, tmp_path / "after", "2031-01-01")
    assert read(after / "alpha" / "en" / "banner.html") == ""


def test_the_sitemap_lists_every_page_with_its_other_languages(three_versions_output: Path) -> None:
    out = three_versions_output
    root = ET.fromstring(read(out / "alpha" / "sitemap.xml"))
    urls = {
        u.findtext(f"{SITEMAP}loc"): {x.get("hreflang"): x.get("href") for x in u.findall(f"{XHTML}link")}
        for u in root.findall(f"{SITEMAP}url")
    }
    for page in ("en/privacy/", "nl/privacy/", "en/privacy/2.0/", "en/changelog/", "nl/as-of/"):
        assert f"https://alpha.example/{page}" in urls
    assert urls["https://alpha.example/en/privacy/"] == {
        "en": "https://alpha.example/en/privacy/",
        "nl": "https://alpha.example/nl/privacy/",
    }
    assert urls["https://alpha.example/en/privacy/2.0/"]["nl"] == "https://alpha.example/nl/privacy/"
    html_pages = {
        "https://alpha.example/" + str(p.parent.relative_to(out / "alpha")) + "/"
        for p in (out / "alpha").glob("*/**/index.html")
        if "search" not in p.parts
    }
    assert html_pages <= set(urls)


def test_the_changelog_lists_changes_newest_first_with_links(three_versions_output: Path) -> None:
    out = three_versions_output
    page = read(out / "alpha" / "en" / "changelog" / "index.html")
    changelog = page[page.index('<ol class="policy-changelog">') :]
    assert re.findall(r"<h2>Sample Policy ([\d.]+)</h2>", changelog) == ["2.0", "1.1", "1.0"]
    assert "Adds notice by email." in changelog and "Adds a retention clause." in changelog
    assert 'href="../privacy/2.0/"' in changelog and 'href="../privacy/changes/1.1...2.0/"' in changelog
    assert 'href="../feed.atom"' in page


def test_the_as_of_page_reads_versions_json_with_local_script_only(three_versions_output: Path) -> None:
    out = three_versions_output
    page = read(out / "alpha" / "nl" / "as-of" / "index.html")
    assert '<input type="date"' in page
    assert 'data-index="../../versions.json"' in page and 'data-lang="nl"' in page
    assert 'data-root="../../"' in page  # links stay on the host serving the page
    assert (out / "alpha" / "nl" / "as-of" / "../../versions.json").resolve().is_file()
    assert "fetch(form.dataset.index)" in page
    assert not re.search(r"<script[^>]+src=\"https?://", page)
    assert 'href="../privacy/1.0/"' in page  # without script, the table still answers


# ------------------------------------------------------------------ notice periods


NOTICE_SITES = """\
timezone: Europe/Amsterdam
source_language: en
notice_days: 30
sites:
  alpha:
    name: Alpha Example
    url: https://alpha.example/
    support_url: https://alpha.example/help
    languages: [en]
    policies: [privacy]
"""


def test_check_fails_when_a_material_change_gives_too_little_notice(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    repo.write("policies/sites.yml", NOTICE_SITES)
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", ["We keep your records safe."]))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    material = policy_text(
        "1.1", "2024-02-10", ["We keep your records safe.", "We keep them for a year."], extra_front="material: true"
    )
    repo.write("policies/privacy/en.md", material)
    repo.commit("1.1, material, 19 days ahead", "2024-01-22T10:00:00+01:00")
    # 1.1 is in force already: too late to give notice, so a warning (an error with --strict) that
    # does not stop every later build from publishing
    assert repo.smops("check").returncode == 0
    result = repo.smops("check", "--strict")
    assert result.returncode == 1
    assert (
        "policies/privacy/en.md:4: warning: version 1.1 is a material change first committed on 2024-01-22"
        in result.stderr
    )
    assert "30 days' notice" in result.stderr and "2024-02-21 or later" in result.stderr

    repo.write("policies/privacy/en.md", material.replace("2024-02-10", "2024-02-21"))
    repo.commit("1.1 takes effect after 30 days", "2024-01-23T10:00:00+01:00")
    assert repo.smops("check", "--strict").returncode == 0, repo.smops("check").stderr

    soon = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    clauses = ["We keep your records safe.", "We keep them for a year.", "We tell you first."]
    repo.write("policies/privacy/en.md", policy_text("2.0", soon, clauses, extra_front="material: true"))
    draft = repo.smops("check")  # not committed yet: it would give 5 days' notice if committed today
    assert draft.returncode == 1
    assert re.search(r"version 2\.0 is a material change if committed today, [456] days before", draft.stderr)


# ------------------------------------------------------------------ verify


def test_verify_passes_on_a_fresh_build_and_names_an_altered_page(
    three_versions: PolicyRepo, three_versions_site: Path
) -> None:
    out = three_versions_site
    fresh = three_versions.smops("verify", "--output", str(out))
    assert fresh.returncode == 0, fresh.stderr
    page = out / "alpha" / "en" / "privacy" / "1.1" / "index.html"
    html = read(page)
    assert "We delete records after one year." in html
    page.write_text(html.replace("We delete records after one year.", "We delete records after ten years."))
    altered = three_versions.smops("verify", "--output", str(out))
    assert altered.returncode == 1
    lines = altered.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{page}: the text of privacy 1.1 (en) differs from its text in git (commit ")
    assert lines[0].endswith("edited after the build? (build the output again; never edit built pages)")


def test_verify_reports_a_missing_version_and_a_wrong_sha(
    three_versions: PolicyRepo, three_versions_site: Path
) -> None:
    out = three_versions_site
    versions = out / "beta" / "versions.json"
    data = json.loads(read(versions))
    listed = data["policies"]["privacy"]["en"]["versions"]
    listed[0]["sha256"] = "0" * 64
    del listed[2]
    versions.write_text(json.dumps(data, indent=2))
    (out / "alpha" / "nl" / "privacy" / "1.0" / "index.html").unlink()
    result = three_versions.smops("verify", "--output", str(out))
    assert result.returncode == 1
    assert f"{versions}: privacy 1.0 (en): sha256 is '{'0' * 64}'" in result.stderr
    assert f"{versions}: does not list version privacy 2.0 (en)" in result.stderr
    assert f"{out / 'alpha' / 'nl' / 'privacy' / '1.0' / 'index.html'}: is missing" in result.stderr


def test_verify_passes_on_the_real_policies(real_site: Path) -> None:
    command = ["verify", "--repo", str(real_site.parent), "--output", str(real_site)]
    result = run_in_process(command, cwd=real_site.parent)
    assert result.returncode == 0, result.stderr


def test_verify_on_a_folder_that_is_not_a_build_output_says_so(three_versions: PolicyRepo, tmp_path: Path) -> None:
    (tmp_path / "other" / "x").mkdir(parents=True)
    result = three_versions.smops("verify", "--output", str(tmp_path / "other"))
    assert result.returncode == 1
    assert "is not a smops-policy build output" in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------------------------ reproducible, switching on time


def test_two_builds_of_the_same_commit_and_date_are_byte_identical(three_versions: PolicyRepo, tmp_path: Path) -> None:
    first = build(three_versions, tmp_path / "one", AS_OF, "--no-cache")
    second = build(three_versions, tmp_path / "two", AS_OF, "--no-cache")
    cached = build(three_versions, tmp_path / "three", AS_OF)
    assert tree_digest(first) == tree_digest(second) == tree_digest(cached)


def test_builds_the_day_before_and_the_day_of_an_effective_date_differ_by_the_switch(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    before = build(three_versions, tmp_path / "before", "2023-02-28")
    on = build(three_versions, tmp_path / "on", "2023-03-01")

    def statuses(out: Path) -> list[str]:
        return [v["status"] for v in index(out)["policies"]["privacy"]["en"]["versions"]]

    assert statuses(before) == ["in-force", "upcoming", "upcoming"]
    assert statuses(on) == ["superseded", "in-force", "upcoming"]
    old = read(before / "alpha" / "en" / "privacy" / "index.html")
    new = read(on / "alpha" / "en" / "privacy" / "index.html")
    assert "We delete records after one year." not in old.split('class="policy-text"')[1]
    assert "A new version 1.1 of this policy takes effect on 1 March 2023." in old
    assert "We delete records after one year." in new.split('class="policy-text"')[1]
    assert "takes effect on 1 March 2023." not in new
    assert "version 1.1 " in read(before / "alpha" / "en" / "banner.html")
    assert "version 1.1 " not in read(on / "alpha" / "en" / "banner.html")
    assert "2023-03-01T00:00:00+01:00" in read(on / "alpha" / "en" / "feed.atom")
    assert "2023-03-01T00:00:00+01:00" not in read(before / "alpha" / "en" / "feed.atom")


# ------------------------------------------------------------------ the CI workflow


def test_the_workflow_runs_the_readme_commands_with_the_full_history() -> None:
    workflow = yaml.safe_load(read(ROOT / ".github" / "workflows" / "publish.yml"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert {"5 23 * * *", "5 22 * * *"} <= {entry["cron"] for entry in triggers["schedule"]}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11"
    commands = [s["run"].strip() for s in steps if "run" in s]
    assert commands[:3] == ["pip install -e .", "smops-policy check", "smops-policy build"]
    readme = read(ROOT / "README.md")
    for command in commands:
        assert command in readme, command
        assert shlex.split(command)
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"
    # the build cache and the compiled templates survive from one run to the next, restored before the build
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert {".smops-cache", "~/.cache/smops-policy"} <= set(cache["with"]["path"].split())
    assert steps.index(cache) < next(i for i, s in enumerate(steps) if s.get("run") == "smops-policy build")
