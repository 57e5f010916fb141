"""Issue 13, item 5: the cache and the up-to-date check see every file a build reads through
mkdocs.yml (theme overrides, INHERITed configs, hooks, `!ENV`), tracked by git, ignored or untracked."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .helpers import tree_digest

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from .conftest import PolicyRepo

AS_OF = "2026-11-25"
PAGE = "alpha/en/privacy/index.html"
CUSTOM_DIR = "  name: material\n  custom_dir: theme\n"
FOOTER = '<div class="md-copyright">{}</div>\n'


def _config(repo: PolicyRepo, replace: str, by: str) -> None:
    config = repo.path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert replace in text
    config.write_text(text.replace(replace, by), encoding="utf-8")


def _theme(repo: PolicyRepo, note: str) -> None:
    repo.write("theme/partials/copyright.html", FOOTER.format(note))


def _committed_theme(repo: PolicyRepo, note: str) -> None:
    if note == "first":
        _config(repo, "  name: material\n", CUSTOM_DIR)
    _theme(repo, note)
    repo.commit(f"Footer: {note}", "2026-11-20T10:00:00+01:00")


def _ignored_theme(repo: PolicyRepo, note: str) -> None:
    if note == "first":
        _config(repo, "  name: material\n", CUSTOM_DIR)
        repo.write(".gitignore", "theme/\n")
        repo.commit("Use the local theme", "2026-11-20T10:00:00+01:00")
    _theme(repo, note)


def _untracked_theme(repo: PolicyRepo, note: str) -> None:
    if note == "first":
        _config(repo, "  name: material\n", CUSTOM_DIR)
        repo.commit("Use the local theme", "2026-11-20T10:00:00+01:00", "mkdocs.yml")
    _theme(repo, note)


def _theme_stylesheet(repo: PolicyRepo, note: str) -> None:  # a file the theme copies, named by extra_css
    if note == "first":
        _config(repo, "  name: material\n", CUSTOM_DIR)
        _config(repo, "plugins:\n", "extra_css:\n  - assets/site.css\nplugins:\n")
        repo.write(".gitignore", "theme/\n")
        repo.commit("Use the local stylesheet", "2026-11-20T10:00:00+01:00")
    repo.write("theme/assets/site.css", f'.md-copyright::after {{ content: "{note}"; }}\n')


def _inherited_config(repo: PolicyRepo, note: str) -> None:  # a git-ignored config that mkdocs.yml INHERITs
    if note == "first":
        (repo.path / "mkdocs.yml").rename(repo.path / "shared.yml")
        repo.write("mkdocs.yml", "INHERIT: shared.yml\n")
        repo.write(".gitignore", "shared.yml\n")
        repo.commit("Inherit the shared config", "2026-11-20T10:00:00+01:00")
    shared = repo.path / "shared.yml"
    text = shared.read_text(encoding="utf-8").split("copyright:")[0]
    shared.write_text(f"{text}copyright: Footer note {note}\n", encoding="utf-8")


def _hook(repo: PolicyRepo, note: str) -> None:  # the module the hook imports changes, not the hook
    if note == "first":
        _config(repo, "plugins:\n", "hooks:\n  - hooks/footer.py\nplugins:\n")
        repo.write(
            "hooks/footer.py",
            "from notes import NOTE\n\n\ndef on_post_page(output, page, config):\n"
            '    return output.replace("</footer>", f"<p>{NOTE}</p></footer>")\n',
        )
        repo.commit("A footer hook", "2026-11-20T10:00:00+01:00")
    repo.write("hooks/notes.py", f'NOTE = "Footer note {note}"\n')


@pytest.mark.parametrize(
    "change",
    [_committed_theme, _ignored_theme, _untracked_theme, _theme_stylesheet, _inherited_config, _hook],
    ids=["custom-dir-committed", "custom-dir-ignored", "custom-dir-untracked", "theme-css", "inherit", "hook"],
)
def test_a_changed_input_of_mkdocs_yml_is_published_by_the_next_cached_build(
    three_versions: PolicyRepo, tmp_path: Path, change: Callable[[PolicyRepo, str], None]
) -> None:
    out = tmp_path / "site"
    change(three_versions, "first")
    first = three_versions.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    assert first.stdout.startswith("built ")
    assert "first" in _shown(out), "the first build does not show the input at all"
    change(three_versions, "second")
    second = three_versions.smops("build", "--as-of", AS_OF, "--output", str(out), check=True)
    assert second.stdout.startswith("built "), "the up-to-date check missed the change"
    assert "second" in _shown(out) and "first" not in _shown(out), "an old language build came back from the cache"
    fresh = tmp_path / "fresh"
    three_versions.smops("build", "--as-of", AS_OF, "--output", str(fresh), "--no-cache", check=True)
    assert tree_digest(fresh) == tree_digest(out)
    assert three_versions.smops("verify", "--output", str(out)).returncode == 0


def _shown(out: Path) -> str:
    """What the policy page and its stylesheets say."""
    files = [out / PAGE, *sorted((out / "alpha/en/assets").glob("site.css"))]
    return "".join(file.read_text(encoding="utf-8") for file in files)


def test_a_variable_read_with_env_is_an_input(
    three_versions: PolicyRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(three_versions, "extra:\n", "copyright: !ENV [FOOTER_NOTE, Footer note unset]\nextra:\n")
    three_versions.commit("Footer from the environment", "2026-11-20T10:00:00+01:00")
    out = tmp_path / "site"
    command = ("build", "--as-of", AS_OF, "--output", str(out))
    for note in ("first", "second"):
        monkeypatch.setenv("FOOTER_NOTE", f"Footer note {note}")
        result = three_versions.smops(*command, check=True)
        assert result.stdout.startswith("built ")
        assert f"Footer note {note}" in (out / PAGE).read_text(encoding="utf-8")
    again = three_versions.smops(*command, check=True)
    assert again.stdout.startswith("up to date:")  # the same environment: nothing to do
