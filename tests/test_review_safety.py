"""Issue 12, reviewed: attacks on the new safety code that got through, each through the real CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import PolicyRepo

AS_OF = "2026-11-25"


def test_a_users_backup_copy_of_the_output_beside_it_is_kept(three_versions: PolicyRepo, tmp_path: Path) -> None:
    # `cp -r site .site.old-backup`: the natural backup is a copy of the output, marker and all; the
    # tool's own leftovers are named `.site.old-<pid>`, and only those may be cleared or put back.
    site = tmp_path / "site"
    three_versions.smops("build", "--as-of", AS_OF, "--output", str(site), "--no-cache", check=True)
    backup = tmp_path / ".site.old-backup"
    shutil.copytree(site, backup)
    (backup / "my-notes.txt").write_text("kept\n", encoding="utf-8")
    aside = tmp_path / ".site.building-mine"
    shutil.copytree(site, aside)

    result = three_versions.smops("build", "--as-of", AS_OF, "--output", str(site), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert (backup / "my-notes.txt").read_text(encoding="utf-8") == "kept\n"
    assert (backup / "alpha" / "versions.json").is_file()
    assert (aside / "alpha" / "versions.json").is_file()

    # without the output, the backup is still the user's: not renamed into the output's place
    shutil.rmtree(site)
    result = three_versions.smops("build", "--as-of", AS_OF, "--output", str(site), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert (backup / "my-notes.txt").is_file()
    assert not (site / "my-notes.txt").exists()
