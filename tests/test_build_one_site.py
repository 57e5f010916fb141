"""`build --site ID`: only the named Sites' folders (and the front page listing every Site), with the
bytes a full build gives them; the other Sites' folders in an existing output are left as they were.
`verify --site ID` rebuilds and compares those folders alone."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .conftest import PolicyRepo, policy_text

AS_OF = "2026-11-25"
CLAUSES = ["We record the colour of every fictional teapot.", "We answer letters sent by carrier pigeon."]


def _digests(folder: Path) -> dict[str, str]:
    """sha256 of every file below `folder`, by path relative to it."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _stats(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime in ns) of every file below `folder`: a file rewritten with the same bytes shows."""
    return {
        str(path.relative_to(folder)): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _history(repo: PolicyRepo) -> None:
    """1.0 (English and Dutch), and 1.1 upcoming in 2031 (English)."""
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", CLAUSES))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", CLAUSES, title="Theepotbeleid"))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    repo.write("policies/privacy/en.md", policy_text("1.1", "2031-01-01", [CLAUSES[0], "We answer owls too."]))
    repo.commit("1.1", "2026-11-01T10:00:00+01:00")


def test_one_site_is_built_with_the_bytes_of_a_full_build(policy_repo: PolicyRepo) -> None:
    _history(policy_repo)
    full, part = policy_repo.path / "full", policy_repo.path / "part"
    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(full), "--no-cache", check=True)
    result = policy_repo.smops("build", "--as-of", AS_OF, "--output", str(part), "--site", "alpha", check=True)
    assert "Site alpha" in result.stdout
    expected = _digests(full / "alpha")
    assert len(expected) > 20
    assert _digests(part / "alpha") == expected
    # the front page lists every Site, as a full build's does; a fresh output holds no other Site
    assert (part / "index.html").read_bytes() == (full / "index.html").read_bytes()
    assert 'href="beta/"' in (part / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in part.iterdir() if p.is_dir()) == ["alpha"]


def test_other_sites_folders_in_an_existing_output_are_left_as_they_were(policy_repo: PolicyRepo) -> None:
    _history(policy_repo)
    out = policy_repo.path / "site"
    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    beta_before, beta_stats = _digests(out / "beta"), _stats(out / "beta")
    policy_repo.write("policies/privacy/en.md", policy_text("1.2", "2031-06-01", [CLAUSES[0], "We answer bats."]))
    policy_repo.commit("1.2", "2026-11-10T10:00:00+01:00")

    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(out), "--site", "alpha", check=True)
    assert _digests(out / "beta") == beta_before
    assert _stats(out / "beta") == beta_stats  # not even rewritten
    assert "1.2" not in (out / "beta/versions.json").read_text(encoding="utf-8")
    full = policy_repo.path / "full"
    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(full), check=True)
    assert _digests(out / "alpha") == _digests(full / "alpha")
    assert (out / "index.html").read_bytes() == (full / "index.html").read_bytes()
    leftovers = [p.name for p in policy_repo.path.iterdir() if p.name.startswith((".site.", ".full."))]
    assert leftovers == []

    # verify --site proves the Site it names; the whole output is stale on beta, and verify says so
    good = policy_repo.smops("verify", "--output", str(out), "--site", "alpha")
    assert good.returncode == 0, good.stdout + good.stderr
    stale = policy_repo.smops("verify", "--output", str(out))
    assert stale.returncode == 1
    assert f"{out / 'beta'}" in stale.stdout + stale.stderr
    assert f"{out / 'alpha'}" not in stale.stdout + stale.stderr
    stale_beta = policy_repo.smops("verify", "--output", str(out), "--site", "beta")
    assert stale_beta.returncode == 1


def test_verify_site_finds_an_edited_page_of_that_site(policy_repo: PolicyRepo) -> None:
    _history(policy_repo)
    out = policy_repo.path / "site"
    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    page = out / "alpha/en/changelog/index.html"
    os.unlink(page)  # the cache links its objects: write a new file rather than edit the shared one
    page.write_text("<p>edited</p>", encoding="utf-8")
    result = policy_repo.smops("verify", "--output", str(out), "--site", "alpha")
    assert result.returncode == 1
    assert f"{page}: differs from the build" in result.stdout + result.stderr


def test_an_unknown_site_is_refused_and_the_output_is_left_alone(policy_repo: PolicyRepo) -> None:
    _history(policy_repo)
    out = policy_repo.path / "site"
    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    before = _stats(out)
    result = policy_repo.smops("build", "--as-of", AS_OF, "--output", str(out), "--site", "gamma")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "policies/sites.yml: has no Site 'gamma' (Sites there are: alpha, beta)" in result.stderr
    assert _stats(out) == before
