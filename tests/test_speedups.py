"""The speed tricks (smops_policy/build/speedups.py) are only speed: with `SMOPS_POLICY_SPEEDUPS=0`
every one is off, and the output is the same, byte for byte. What each trick relies on in mkdocs and
mkdocs-material is watched by tests/test_upstream_drift.py."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

import mkdocs.utils
import pytest
from mkdocs.theme import Theme

from smops_policy.build import speedups
from smops_policy.build.language_config import parse_once
from smops_policy.build.mkdocs_yml import read_mkdocs_yml

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import PolicyRepo


def _files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_the_output_is_byte_identical_with_the_speedups_on_and_off(
    three_versions: PolicyRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = {}
    for switch in ("1", "0"):
        output = tmp_path / f"speedups-{switch}"
        # the switch is read from the environment, as a user sets it, when a build starts
        monkeypatch.setenv(speedups.SWITCH, switch)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / f"xdg-{switch}"))
        result = three_versions.smops("build", "--as-of", "2026-11-25", "--output", str(output), "--no-cache")
        assert result.returncode == 0, result.stderr
        outputs[switch] = _files(output)
    assert len(outputs["1"]) > 50  # pages, permalinks kept out of search, redlines, theme files, feeds
    assert outputs["1"].keys() == outputs["0"].keys()
    differing = [name for name in outputs["1"] if outputs["1"][name] != outputs["0"][name]]
    assert not differing, f"the speedups changed these files: {differing[:10]}"


def _tricks_on(theme: Theme, yml_path: Path) -> dict[str, bool]:
    """Which tricks are at work inside `speedups.applied()`, as seen from outside."""
    original_themes = mkdocs.utils.get_themes
    with speedups.applied():
        themes_patched = mkdocs.utils.get_themes is not original_themes
        frozen = gc.get_freeze_count() > 0
        speedups.SharedTemplates().share(theme)
        templates_shared = "get_env" in vars(theme)  # the theme's own method, replaced on this theme
    return {
        "themes listed once": themes_patched,
        "gc frozen": frozen,
        "templates shared": templates_shared,
        "bodies held back from search": speedups.hold_back_from_search(),
        "collections every few hundred pages": speedups.collect_now(10_000),
        "mkdocs.yml parsed once": parse_once(read_mkdocs_yml(yml_path, drafts=True)) is not None,
    }


@pytest.mark.parametrize(("switch", "on"), [("0", False), ("off", False), ("1", True), (None, True)])
def test_the_switch_turns_every_trick_on_or_off(
    three_versions: PolicyRepo, monkeypatch: pytest.MonkeyPatch, switch: str | None, on: bool
) -> None:
    if switch is None:
        monkeypatch.delenv(speedups.SWITCH, raising=False)
    else:
        monkeypatch.setenv(speedups.SWITCH, switch)
    original_themes = mkdocs.utils.get_themes
    tricks = _tricks_on(Theme(name="material"), three_versions.path / "mkdocs.yml")
    assert tricks == dict.fromkeys(tricks, on)
    # and everything is as it was after the run
    assert mkdocs.utils.get_themes is original_themes and gc.get_freeze_count() == 0
