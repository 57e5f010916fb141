"""Work a command repeats within one process is done once (the installed themes, the command line's
parser, compiled templates, parsed catalogs), and `check` learns the messages the code uses from the
catalog template the package ships, not by parsing the package: none of it changes what a user sees."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

import mkdocs.utils
import pytest

from smops_policy import i18n
from smops_policy.build import speedups
from smops_policy.errors import Problems

from .conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import PolicyRepo

CATALOG = ROOT / "smops_policy" / "locales" / "nl" / "LC_MESSAGES" / "messages.po"
AS_OF = "2026-11-25"


# ------------------------------------------------------------------ the messages the code uses


def test_the_shipped_catalog_template_lists_exactly_the_messages_the_code_uses() -> None:
    """`check` reads the messages from messages.pot: a message the code gained or lost since the last
    `pybabel extract` would go unchecked (or be asked for in vain) in every language's catalog."""
    shipped, used = i18n.shipped_messages(), set(i18n.code_messages())
    assert len(used) > 50
    hint = "run the pybabel extract and update of the README (Translations), then translate the new messages"
    assert sorted(used - shipped) == [], f"messages the code uses that messages.pot lacks: {hint}"
    assert sorted(shipped - used) == [], f"messages in messages.pot that the code no longer uses: {hint}"


def _damaged_catalog(tmp_path: Path) -> tuple[Path, Path]:
    locales = tmp_path / "locales"
    damaged = locales / "nl" / "LC_MESSAGES" / "messages.po"
    damaged.parent.mkdir(parents=True)
    text = CATALOG.read_text(encoding="utf-8")
    text = re.sub(r'\n(#[^\n]*\n)*msgid "Effective date"\nmsgstr "Ingangsdatum"\n', "\n", text)
    damaged.write_text(text.replace('msgid "Version history"', '#, fuzzy\nmsgid "Version history"'), encoding="utf-8")
    return locales, damaged


def test_a_catalog_is_checked_for_the_same_messages_as_when_the_code_was_parsed(tmp_path: Path) -> None:
    locales, damaged = _damaged_catalog(tmp_path)
    said = {}
    for name, messages in (("template", i18n.shipped_messages()), ("code", i18n.code_messages())):
        problems = Problems()
        i18n.check_catalog("nl", messages, problems, locales_dir=locales)
        said[name] = [str(problem) for problem in problems.items]
    assert said["template"] == said["code"]
    assert f"{damaged}: lacks the message 'Effective date', which the code uses" in said["template"][0]
    assert len(said["template"]) == 2


@pytest.mark.parametrize("template", ["missing", "broken"])
def test_without_a_readable_template_the_messages_come_from_the_code(tmp_path: Path, template: str) -> None:
    pot = tmp_path / "messages.pot"
    if template == "broken":
        pot.write_text('msgid "Effective date\n', encoding="utf-8")
    assert i18n.shipped_messages(pot) == set(i18n.code_messages())


# ------------------------------------------------------------------ catalogs parsed once per text


def test_a_catalog_edited_in_place_is_read_again_even_with_its_size_and_time_unchanged(tmp_path: Path) -> None:
    """A parsed catalog is kept for the process by its text: an edit that keeps the file's size, made
    within its clock's tick (or by a tool that sets its time back), is seen by the next check."""
    locales, damaged = _damaged_catalog(tmp_path)
    used = i18n.shipped_messages()

    def said() -> list[str]:
        problems = Problems()
        i18n.check_catalog("nl", used, problems, locales_dir=locales)
        return [problem.message for problem in problems.items]

    assert any("fuzzy translation of the message 'Version history'" in message for message in said())
    before = damaged.stat()
    text = damaged.read_text(encoding="utf-8")
    fixed = text.replace('#, fuzzy\nmsgid "Version history"', '# fixed.\nmsgid "Version history"')
    assert len(fixed) == len(text) and fixed != text
    damaged.write_text(fixed, encoding="utf-8")
    os.utime(damaged, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (damaged.stat().st_size, damaged.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert said() == ["lacks the message 'Effective date', which the code uses"]


# ------------------------------------------------------------------ the installed themes, once per process


@pytest.mark.parametrize("switch", ["1", "0"])
def test_check_and_build_list_the_installed_themes_once_per_process(
    three_versions: PolicyRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, switch: str
) -> None:
    """mkdocs' own listing (an lru_cache it clears whenever it loads a theme) is neither called nor
    cleared by the next check or build in the same process; with the speedups off, mkdocs lists the
    themes and clears its list again for every config it loads."""
    monkeypatch.setenv(speedups.SWITCH, switch)
    listing: Any = mkdocs.utils.get_themes  # mkdocs' function, as it is between commands
    # one Site (one language build) is enough: each loads mkdocs.yml and the theme as every build does
    build = ("build", "--as-of", AS_OF, "--no-cache", "--site", "beta", "--output", str(tmp_path / "site"))
    assert three_versions.smops("check").returncode == 0
    assert three_versions.smops(*build).returncode == 0
    listing()
    before = listing.cache_info()  # one list kept, and how often it was asked for
    assert before.currsize == 1
    assert three_versions.smops("check").returncode == 0
    assert three_versions.smops(*build).returncode == 0
    assert mkdocs.utils.get_themes is listing
    if switch == "1":
        assert listing.cache_info() == before
    else:  # cleared after each theme it loaded (which also resets its counts)
        assert listing.cache_info().currsize == 0


def test_an_unknown_theme_is_still_refused_with_the_installed_ones_named(three_versions: PolicyRepo) -> None:
    assert three_versions.smops("check").returncode == 0  # the themes listed before the change
    config = three_versions.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n", "  name: materiel\n"))
    result = three_versions.smops("check")
    assert result.returncode == 1
    assert "Unrecognised theme name: 'materiel'. The available installed themes are: " in result.stderr
    assert "material" in result.stderr.split("The available installed themes are: ")[1]


# ------------------------------------------------------------------ the command line, parsed per call


def test_each_command_in_a_process_gets_only_its_own_options(three_versions: PolicyRepo, tmp_path: Path) -> None:
    """The parser is built once per process: a list option given to one command (`--site`) must not
    be left over for the next, which builds every Site."""
    out = tmp_path / "site"
    common = ("build", "--as-of", AS_OF, "--no-cache", "--output", str(out))
    one = three_versions.smops(*common, "--site", "beta", check=True)
    assert "for Site beta" in one.stdout
    every = three_versions.smops(*common, check=True)
    assert every.stdout.startswith("built ") and "for 2 Sites" in every.stdout
    assert (out / "alpha" / "nl" / "privacy" / "index.html").is_file()
