"""Issue 2: policies under git become per-Site policy pages, with the `smops-policy` command."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import git
import pytest

from .conftest import ROOT, PolicyRepo, policy_text, run_in_process
from .helpers import page_text, refused_everywhere, tree_digest

SEED = Path(__file__).parent / "fixtures" / "privacy-policy-v1.0.txt"  # a copy of the seed
SITES = {"smops-soft": "SMOps-Soft.com", "calcitnow": "CalcItNow", "verifythisemail": "VerifyThisEmail"}


def clause_texts(page: str) -> dict[int, str]:
    """Each clause's text as a visitor reads it, by its anchor."""
    found = {}
    for match in re.finditer(r'<li id="clause-(\d+)"[^>]*>(.*?)</li>\s*(?=<li id="clause-|</ol>)', page, re.S):
        found[int(match.group(1))] = page_text(match.group(2))
    return found


def seed_passages() -> dict[int, list[str]]:
    """Each clause of the seed (tests/fixtures holds a copy) as its passages: the clause's own text,
    then each bullet, whitespace-normalised; its <https://...> are links, so a reader sees the address."""
    clauses: dict[int, list[str]] = {}
    current = None
    for line in SEED.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if match := re.match(r"^(\d+)\. (.*)$", stripped):
            current = int(match.group(1))
            clauses[current] = [match.group(2)]
        elif stripped.startswith("- ") and current is not None:
            clauses[current].append(stripped[2:])
        elif stripped and current is not None and not stripped.startswith("SMOps Software BV Privacy"):
            current = None  # a heading ends the clause
    return {
        n: [" ".join(re.sub(r"<(https?://[^>]+)>", r"\1", p).split()) for p in parts] for n, parts in clauses.items()
    }


def seed_clauses() -> dict[int, str]:
    return {n: " ".join(parts) for n, parts in seed_passages().items()}


def versions(repo: PolicyRepo, as_of: str, lang: str = "en") -> list[dict[str, str]]:
    result = repo.smops("versions", "privacy", "--lang", lang, "--as-of", as_of, "--json", check=True)
    return list(json.loads(result.stdout))


# ------------------------------------------------------------------ the real policy, on every Site


@pytest.mark.parametrize("site_id", sorted(SITES))
def test_every_site_shows_the_privacy_policy_v1_0_with_all_25_clauses_verbatim(real_site: Path, site_id: str) -> None:
    page = (real_site / site_id / "en" / "privacy" / "index.html").read_text(encoding="utf-8")
    expected = seed_clauses()
    assert len(expected) == 25
    assert clause_texts(page) == expected
    text = page_text(page)
    assert "Version 1.0" in text or re.search(r"Version\s*1\.0", text)
    assert "13 December 2016" in text
    for heading in (
        "What type of personal information do we collect?",
        "Cookies (not the type you eat!) and web analytics",
        "How can you contact us?",
    ):
        assert heading in text
    assert "SMOps Software BV Privacy Policy v1.0, effective date 13 December 2016" in text
    assert f"<title>Privacy Policy - {SITES[site_id]}</title>" in page
    assert (
        f'<link rel="canonical" href="https://{"smops-soft.com" if site_id == "smops-soft" else site_id + ".com"}/en/privacy/">'
        in page
    )


def test_each_site_folder_is_self_contained_with_an_index_of_its_languages(real_site: Path) -> None:
    for site_id, name in SITES.items():
        folder = real_site / site_id
        index = (folder / "index.html").read_text(encoding="utf-8")
        assert name in index
        assert 'href="en/"' in index and 'href="nl/"' in index
        assert (folder / "en" / "assets").is_dir()
        for page in folder.rglob("*.html"):
            if page.name == "404.html":
                continue  # served for any missing path, so mkdocs links it from the Site's base URL
            for ref in re.findall(r'(?:src|href)="([^"]+)"', page.read_text(encoding="utf-8")):
                assert not ref.startswith("/"), f"{page}: absolute path {ref} would leave the Site folder"


def test_no_page_loads_anything_from_another_host(real_site: Path) -> None:
    for page in real_site.rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        loaded = re.findall(
            r'<(?:script|img|iframe)[^>]+src="([^"]+)"|<link[^>]+rel="(?:stylesheet|preload|preconnect|icon|manifest)"[^>]+href="([^"]+)"',
            source,
        )
        for ref in (a or b for a, b in loaded):
            assert not re.match(r"^(https?:)?//", ref), f"{page}: loads {ref}"
        assert "fonts.googleapis" not in source and "googletagmanager" not in source


def test_clause_anchors_are_stable(real_site: Path) -> None:
    page = (real_site / "calcitnow" / "en" / "privacy" / "1.0" / "index.html").read_text(encoding="utf-8")
    assert [int(n) for n in re.findall(r'id="clause-(\d+)"', page)] == list(range(1, 26))


# ------------------------------------------------------------------ versions from git


def test_in_force_version_as_of_several_dates(three_versions: PolicyRepo) -> None:
    def statuses(as_of: str) -> dict[str, str]:
        return {row["version"]: row["status"] for row in versions(three_versions, as_of)}

    assert statuses("2020-06-01") == {"1.0": "in-force", "1.1": "upcoming", "2.0": "upcoming"}
    assert statuses("2023-02-28") == {"1.0": "in-force", "1.1": "upcoming", "2.0": "upcoming"}
    assert statuses("2023-03-01") == {"1.0": "superseded", "1.1": "in-force", "2.0": "upcoming"}
    assert statuses("2031-01-01") == {"1.0": "superseded", "1.1": "superseded", "2.0": "in-force"}
    row = versions(three_versions, "2024-01-01")[1]
    assert set(row) >= {"version", "effective", "status", "commit", "sha256", "summary"}
    assert row["effective"] == "2023-03-01"
    committed = three_versions.repo.git.show(f"{row['commit']}:policies/privacy/en.md").encode() + b"\n"
    assert hashlib.sha256(committed).hexdigest() == row["sha256"]


def test_built_pages_show_the_version_in_force_and_announce_the_upcoming_one(three_versions_output: Path) -> None:
    out = three_versions_output  # `build --as-of 2026-11-25` of the three versions
    current = (out / "alpha" / "en" / "privacy" / "index.html").read_text(encoding="utf-8")
    text = page_text(current)
    assert "We delete records after one year." in text and "We tell you about changes by email." not in text
    assert "A new version 2.0 of this policy takes effect on 1 January 2031." in text
    assert 'href="2.0/"' in current
    assert "https://alpha.example/help" in text  # the Site's own value for {{ site.support_url }}
    beta = page_text((out / "beta" / "en" / "privacy" / "index.html").read_text(encoding="utf-8"))
    assert "https://beta.example/support" in beta and "{{" not in beta
    for number in ("1.0", "1.1", "2.0"):
        assert (out / "alpha" / "en" / "privacy" / number / "index.html").is_file()
    history = page_text((out / "alpha" / "en" / "privacy" / "history" / "index.html").read_text(encoding="utf-8"))
    assert re.search(
        r"2\.0 1 January 2031 Upcoming Adds notice by email\..*1\.1 1 March 2023 In force Adds a retention clause\..*1\.0 1 January 2020 Superseded",
        history,
    )
    old = page_text((out / "alpha" / "en" / "privacy" / "1.0" / "index.html").read_text(encoding="utf-8"))
    assert "This version is no longer in force" in old


def test_versions_follow_a_renamed_policy_folder(three_versions: PolicyRepo) -> None:
    repo = three_versions
    repo.repo.git.mv("policies/privacy", "policies/data")
    sites = (repo.path / "policies" / "sites.yml").read_text(encoding="utf-8").replace("[privacy]", "[data]")
    repo.write("policies/sites.yml", sites)
    repo.commit("Rename the policy", "2026-11-02T10:00:00+01:00")
    result = repo.smops("versions", "data", "--as-of", "2026-11-25", "--json", check=True)
    assert [row["version"] for row in json.loads(result.stdout)] == ["1.0", "1.1", "2.0"]


def test_a_version_changed_after_it_took_effect_is_an_error(policy_repo: PolicyRepo) -> None:
    repo = policy_repo
    repo.write("policies/privacy/en.md", policy_text("1.0", "2024-03-01", ["We keep records for a year."]))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2024-03-01", ["Wij bewaren gegevens een jaar."]))
    repo.commit("1.0", "2024-02-01T10:00:00+01:00")
    repo.write("policies/privacy/en.md", policy_text("1.0", "2024-03-01", ["We keep records for a month."]))
    before_effect = repo.commit("Fix 1.0 before it takes effect", "2024-02-29T23:00:00+01:00")
    assert repo.smops("check").returncode == 0
    repo.write("policies/privacy/en.md", policy_text("1.0", "2024-03-01", ["We keep records for ten years."]))
    commit = repo.commit("Quietly change 1.0", "2024-03-01T00:30:00+01:00")
    result = repo.smops("check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert before_effect[:12] not in result.stderr
    assert re.search(
        rf"policies/privacy/en.md:3: version 1.0 took effect on 2024-03-01 but its text was changed in commit {commit[:12]} on 2024-03-01 \(.*new version number",
        result.stderr,
    )


def test_rewrapped_text_is_not_a_change(three_versions: PolicyRepo) -> None:
    repo = three_versions
    text = (repo.path / "policies/privacy/en.md").read_text(encoding="utf-8")
    repo.write("policies/privacy/en.md", text.replace("We keep your records safe.", "We keep your\n   records   safe."))
    repo.commit("Re-wrap a line", "2031-02-01T10:00:00+01:00")
    result = repo.smops("check")
    assert result.returncode == 0, result.stderr


def test_drafts_are_published_only_with_the_flag(three_versions: PolicyRepo, tmp_path: Path) -> None:
    repo = three_versions
    text = (repo.path / "policies/privacy/en.md").read_text(encoding="utf-8")
    repo.write(
        "policies/privacy/en.md",
        text.replace('version: "2.0"', 'version: "2.1"').replace("2031-01-01", "2032-01-01") + "6. A draft clause.\n",
    )
    plain = json.loads(repo.smops("versions", "privacy", "--json", check=True).stdout)
    assert [r["version"] for r in plain] == ["1.0", "1.1", "2.0"]
    drafts = json.loads(repo.smops("versions", "privacy", "--json", "--drafts", check=True).stdout)
    assert drafts[-1]["version"] == "2.1" and drafts[-1]["status"] == "draft" and drafts[-1]["commit"] == ""
    out = tmp_path / "out"
    repo.smops("build", "--output", str(out), "--as-of", "2026-11-25", check=True)
    assert not (out / "alpha" / "en" / "privacy" / "2.1").exists()


def test_mkdocs_build_in_the_repository_gives_the_same_output(three_versions: PolicyRepo, tmp_path: Path) -> None:
    repo = three_versions
    out = tmp_path / "cli"
    repo.smops("build", "--output", str(out), check=True)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=repo.path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert tree_digest(repo.path / "site") == tree_digest(out)


# ------------------------------------------------------------------ bad input: a clear error, nothing lost


def _set(repo: PolicyRepo, path: str, old: str, new: str) -> None:
    file = repo.path / path
    file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


BAD_INPUTS = {
    "malformed sites.yml": (
        lambda r: r.write("policies/sites.yml", "sites:\n  alpha: [unclosed\n"),
        r"policies/sites.yml:\d+: is not valid YAML",
    ),
    "impossible effective date": (
        lambda r: _set(r, "policies/privacy/en.md", "effective: 2031-01-01", "effective: 2016-13-12"),
        r"policies/privacy/en.md:4: effective date is '2016-13-12'; it must be a real date",
    ),
    "missing title": (
        lambda r: _set(r, "policies/privacy/en.md", "title: Sample Policy\n", ""),
        r"policies/privacy/en.md:\d+: front matter has no 'title'",
    ),
    "repeated version": (
        lambda r: _set(r, "policies/privacy/en.md", 'version: "2.0"', 'version: "1.0"'),
        r"policies/privacy/en.md:3: version 1.0 comes back",
    ),
    "decreasing version": (
        lambda r: _set(r, "policies/privacy/en.md", 'version: "2.0"', 'version: "0.9"'),
        r"policies/privacy/en.md:3: version 0.9 \(commit \w{12}\) is lower than version 1.1, which took effect on 2023-03-01",
    ),
    "clause number gap": (
        lambda r: _set(r, "policies/privacy/en.md", "4. We keep this text short.", "6. We keep this text short."),
        r"policies/privacy/en.md:\d+: clause numbering jumps from 3 to 6",
    ),
    "clause number repeat": (
        lambda r: _set(r, "policies/privacy/en.md", "4. We keep this text short.", "3. We keep this text short."),
        r"policies/privacy/en.md:\d+: clause 3 repeats",
    ),
    "unknown policy": (
        lambda r: _set(r, "policies/sites.yml", "policies: [privacy]\n  beta", "policies: [privacy, cookies]\n  beta"),
        r"policies/cookies/en.md: does not exist, but Sites alpha publish policy 'cookies'",
    ),
    "unknown placeholder": (
        lambda r: _set(r, "policies/privacy/en.md", "We keep this text short.", "Write to {{ site.postal_address }}."),
        r"policies/privacy/en.md:\d+: unknown placeholder \{\{ site.postal_address \}\}",
    ),
    "site id that is a path": (
        lambda r: _set(r, "policies/sites.yml", "  beta:", "  ../x:"),
        r"policies/sites.yml:\d+: Site id '../x' is not a plain name",
    ),
    "not UTF-8": (
        lambda r: r.write(
            "policies/privacy/en.md", (r.path / "policies/privacy/en.md").read_bytes().replace(b"short", b"sh\xf6rt")
        ),
        r"policies/privacy/en.md:\d+: is not UTF-8 text",
    ),
    "unknown language": (
        lambda r: _set(r, "policies/sites.yml", "languages: [en]", "languages: [en, xx-yy]"),
        r"policies/sites.yml:\d+: Site 'beta': unknown language code 'xx-yy'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_a_clear_error_and_leaves_the_previous_output(
    three_versions: PolicyRepo, three_versions_site: Path, tmp_path: Path, case: str
) -> None:
    change, expected = BAD_INPUTS[case]
    refused_everywhere(three_versions, tmp_path, change, expected, built=three_versions_site)


def test_a_shallow_clone_says_how_to_fix_it(three_versions: PolicyRepo, tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    git.Repo.clone_from(f"file://{three_versions.path}", shallow, depth=1).close()
    result = subprocess.run(
        [sys.executable, "-m", "smops_policy.cli", "build", "--repo", str(shallow)], capture_output=True, text=True
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is a shallow clone" in result.stderr and "git fetch --unshallow" in result.stderr


def test_a_policy_file_never_committed_says_how_to_fix_it(policy_repo: PolicyRepo) -> None:
    policy_repo.commit("sites only", "2024-01-01T10:00:00+01:00")
    policy_repo.write("policies/privacy/en.md", policy_text("1.0", "2024-01-01", ["One fictional clause."]))
    policy_repo.write("policies/privacy/nl.md", policy_text("1.0", "2024-01-01", ["Eén verzonnen bepaling."]))
    result = policy_repo.smops("build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "policies/privacy/en.md: was never committed" in result.stderr and "--drafts" in result.stderr


def test_check_passes_on_the_real_policies() -> None:
    result = run_in_process(["check", "--repo", str(ROOT)], cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_a_build_killed_midway_leaves_the_last_good_output(three_versions: PolicyRepo, tmp_path: Path) -> None:
    import time

    def build(as_of: str, out: Path) -> subprocess.Popen[bytes]:
        command = three_versions.command("build", "--as-of", as_of, "--output", str(out), "--no-cache")
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    out = tmp_path / "site" / "out"
    three_versions.smops("build", "--as-of", "2026-11-25", "--output", str(out), "--no-cache", check=True)
    before = tree_digest(out)
    started = time.monotonic()
    assert build("2031-06-01", tmp_path / "reference").wait() == 0  # what the killed builds would write
    duration = time.monotonic() - started
    after = tree_digest(tmp_path / "reference")
    killed = 0
    # Kills at four points of the measured duration; when the machine got faster since it was measured
    # and builds finish first, at earlier points until two builds were killed midway.
    for number, fraction in enumerate((0.1, 0.3, 0.5, 0.7, 0.05, 0.03, 0.02, 0.01)):
        if number >= 4 and killed >= 2:
            break
        process = build("2031-06-01", out)
        time.sleep(fraction * duration)
        if process.poll() is None:  # still building: killed midway (a build that got there first is fine)
            process.send_signal(signal.SIGKILL)
            killed += 1
        # all or nothing: the old output whole, or (killed after the swap, while stamping) the new one whole
        assert tree_digest(out) in (before, after) if process.wait() != 0 else tree_digest(out) == after
        before = tree_digest(out)
    assert killed >= 2
    # the next build puts it right (in this process: what is tested here is the output it finds)
    three_versions.smops("build", "--as-of", "2031-06-01", "--output", str(out), "--no-cache", check=True)
    assert tree_digest(out) == tree_digest(tmp_path / "reference")
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"], "no leftovers beside the output"


def test_mkdocs_serve_previews_uncommitted_edits_as_drafts(three_versions: PolicyRepo, tmp_path: Path) -> None:
    import socket
    import time
    import urllib.request

    repo = three_versions
    text = (repo.path / "policies/privacy/en.md").read_text(encoding="utf-8")
    repo.write(
        "policies/privacy/en.md",
        text.replace('version: "2.0"', 'version: "2.1"').replace("2031-01-01", "2032-01-01")
        + "6. A fictional draft clause.\n",
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=repo.path,
        env={**os.environ, "TMPDIR": str(_scratch(tmp_path))},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        page = ""
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/alpha/en/privacy/2.1/", timeout=2) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.05)
        assert "A fictional draft clause." in page_text(page)
        assert "Draft: this text is not committed and not published." in page_text(page)
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C, as an editor stops it
        server.wait(timeout=10)
        assert server.stderr is not None
        server.stderr.close()
    assert not (repo.path / "site").exists(), "serve writes nowhere in the repository"
    assert not list(_scratch(tmp_path).iterdir()), "serve leaves nothing in the temporary folder"


def _scratch(tmp_path: Path) -> Path:
    """The temporary folder of a `mkdocs serve` process (TMPDIR): where it builds its preview."""
    folder = tmp_path / "scratch"
    folder.mkdir(exist_ok=True)
    return folder


def test_mkdocs_serve_shows_each_edit_and_rebuilds_only_what_it_touches(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    import socket
    import time
    import urllib.request

    repo = three_versions
    built = repo.smops("build", "--as-of", "2026-11-25", "--output", str(repo.path / "published"), check=True)
    assert built.stdout.startswith("built ")
    source = repo.path / "policies/privacy/en.md"
    text = source.read_text(encoding="utf-8")
    draft = text.replace('version: "2.0"', 'version: "2.1"').replace("2031-01-01", "2032-01-01")
    source.write_text(draft + "6. A fictional draft clause.\n", encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=repo.path,
        env={**os.environ, "TMPDIR": str(_scratch(tmp_path))},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )

    def shows(words: str, seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                url = f"http://127.0.0.1:{port}/alpha/en/privacy/2.1/"
                with urllib.request.urlopen(url, timeout=2) as response:
                    if words in page_text(response.read().decode("utf-8")):
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    try:
        assert shows("A fictional draft clause.")
        # The watcher looks at the files every half second, its first look maybe only after the page is
        # served: an edit it took for the state it started from is saved again, as an editor would.
        for _ in range(20):
            source.write_text(draft + "6. A fictional draft clause, edited.\n", encoding="utf-8")
            if followed := shows("A fictional draft clause, edited.", seconds=1.5):
                break
        assert followed, "the preview follows the edit"
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C, as an editor stops it
        _, log = server.communicate(timeout=20)
    assert not list(_scratch(tmp_path).iterdir()), "serve leaves nothing in the temporary folder"
    # the first preview built every language; the edit to the English text left Alpha's Dutch pages be
    assert "cache: 0 of 3 language builds reused" in log and "cache: 1 of 3 language builds reused" in log, log
    # and the published build's cache is still whole
    again = repo.smops("build", "--as-of", "2026-11-25", "--output", str(repo.path / "again"), "--verbose", check=True)
    assert "cache: 3 of 3 language builds reused" in again.stderr
