"""Issue 12: mkdocs.yml as a build reads it. Its mistakes are `mkdocs.yml:LINE: message`, a setting
that makes a page contact another host is refused by check and build, and an uncommitted edit is not
published without --drafts."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import run_mkdocs_in_process
from .helpers import snapshot

if TYPE_CHECKING:
    from collections.abc import Callable

    from .conftest import PolicyRepo

AS_OF = "2026-11-25"
FONT_OFF = "  font: false          # no web fonts: a privacy policy must not leak its readers' addresses\n"


def line_of(text: str, needle: str) -> int:
    """The number of the first line of `text` that holds `needle`."""
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def add_to_theme(setting: str) -> Callable[[str], str]:
    return lambda text: text.replace(FONT_OFF, FONT_OFF + setting)


def append(setting: str) -> Callable[[str], str]:
    return lambda text: text + setting


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "ConfigurationError" not in result.stderr, result.stderr


@pytest.fixture
def built(three_versions_site: Path) -> Path:
    """`three_versions` built as of AS_OF into tmp_path/site (a copy of one build per run: see conftest)."""
    return three_versions_site


def commit_config(repo: PolicyRepo, edit: Callable[[str], str]) -> str:
    config = repo.path / "mkdocs.yml"
    text = edit(config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    repo.commit("edit mkdocs.yml", "2026-11-02T10:00:00+01:00")
    return text


THIRD_PARTY = [
    pytest.param(lambda t: t.replace(FONT_OFF, ""), "theme:", "fonts.googleapis.com", id="font-default"),
    pytest.param(
        lambda t: t.replace(FONT_OFF, "  font:\n    text: Inter\n"), "  font:", "loads Inter and Roboto Mono", id="font"
    ),
    pytest.param(
        append("extra_javascript:\n  - https://cdn.example/track.js\n"),
        "https://cdn.example/track.js",
        "extra_javascript.0: https://cdn.example/track.js is loaded from another host",
        id="extra-javascript",
    ),
    pytest.param(
        append("extra_javascript:\n  - path: https://cdn.example/module.js\n    type: module\n"),
        "path: https://cdn.example/module.js",
        "is loaded from another host",
        id="extra-javascript-module",
    ),
    pytest.param(
        append("extra_css:\n  - //cdn.example/style.css\n"),
        "//cdn.example/style.css",
        "extra_css.0: //cdn.example/style.css",
        id="extra-css-protocol-relative",
    ),
    pytest.param(
        add_to_theme("  favicon: https://cdn.example/favicon.png\n"), "favicon:", "theme.favicon", id="favicon"
    ),
    pytest.param(add_to_theme("  logo: http://cdn.example/logo.svg\n"), "logo:", "theme.logo", id="logo"),
    pytest.param(
        lambda t: t.replace("  generator: false\n", "  generator: false\n  analytics:\n    provider: google\n"),
        "analytics:",
        "extra.analytics: sends every visit",
        id="analytics",
    ),
    pytest.param(
        lambda t: t.replace("  generator: false\n", "  generator: false\n  consent:\n    title: Cookies\n"),
        "consent:",
        "extra.consent",
        id="consent",
    ),
    pytest.param(
        append("repo_url: https://github.com/smops/policies\n"), "repo_url:", "api for the repository", id="repo-url"
    ),
    pytest.param(
        append('copyright: <img src="https://cdn.example/logo.png"> SMOps\n'),
        "copyright:",
        "copyright: holds HTML that loads",
        id="copyright",
    ),
    pytest.param(
        lambda t: t.replace("  - search\n", "  - search\n  - social\n"),
        "- social",
        "plugins.1: the social",
        id="social",
    ),
]


@pytest.mark.parametrize(("edit", "needle", "words"), THIRD_PARTY)
def test_a_setting_that_contacts_another_host_is_refused_by_check_and_build(
    three_versions: PolicyRepo, built: Path, tmp_path: Path, edit: Callable[[str], str], needle: str, words: str
) -> None:
    text = commit_config(three_versions, edit)
    where = f"mkdocs.yml:{line_of(text, needle)}: "
    checked = three_versions.smops("check")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    no_traceback(checked)
    assert where in checked.stderr and words.lower() in checked.stderr.lower(), checked.stderr
    assert "(" in checked.stderr.split(where, 1)[1]  # and what to do

    before = snapshot(tmp_path)
    result = three_versions.smops("build", "--as-of", AS_OF, "--output", str(built))
    assert result.returncode == 1, result.stdout + result.stderr
    no_traceback(result)
    assert where in result.stderr and words.lower() in result.stderr.lower(), result.stderr
    assert snapshot(tmp_path) == before


INVALID = [
    pytest.param(
        lambda t: t.replace("  language: en\n", "   language: en\n"),
        "   language: en",
        "is not valid YAML: mapping values are not allowed here",
        id="indentation",
    ),
    pytest.param(
        lambda t: t.replace("site_dir: site\n", "site_dir: [site\n"),
        "use_directory_urls",
        "(while parsing a flow sequence on line 5)",
        id="unclosed-bracket",
    ),
    pytest.param(
        lambda t: t.replace("use_directory_urls: true", "use_directory_urls: maybe"),
        "use_directory_urls",
        "use_directory_urls: Expected type",
        id="wrong-type",
    ),
    pytest.param(
        lambda t: t.replace("  name: material\n", "  name: materiel\n"),
        "theme:",
        "Unrecognised theme name: 'materiel'",
        id="unknown-theme",
    ),
    pytest.param(
        lambda t: t.replace("  - smops-policy\n", "  - smops-policy\n  - no-such-plugin\n"),
        "no-such-plugin",
        'The "no-such-plugin" plugin is not installed',
        id="unknown-plugin",
    ),
    pytest.param(lambda t: "- just\n- a list\n", "just", "Expected a key-value mapping", id="not-a-mapping"),
]


@pytest.mark.parametrize(("edit", "needle", "words"), INVALID)
def test_an_invalid_mkdocs_yml_is_a_line_and_a_message_from_check_and_build(
    three_versions: PolicyRepo, built: Path, tmp_path: Path, edit: Callable[[str], str], needle: str, words: str
) -> None:
    text = commit_config(three_versions, edit)
    where = f"mkdocs.yml:{line_of(text, needle)}: "
    for command in (["check"], ["build", "--as-of", AS_OF, "--output", str(built)]):
        before = snapshot(tmp_path)
        result = three_versions.smops(*command)
        assert result.returncode == 1, result.stdout + result.stderr
        no_traceback(result)
        assert where in result.stderr and words in result.stderr, result.stderr
        assert snapshot(tmp_path) == before


def test_an_uncommitted_mkdocs_yml_is_not_published_without_drafts(
    three_versions: PolicyRepo, built: Path, tmp_path: Path
) -> None:
    config = three_versions.path / "mkdocs.yml"
    committed = config.read_text(encoding="utf-8")
    edited = committed.replace("primary: indigo", "primary: red") + "extra_javascript:\n  - https://cdn.example/x.js\n"
    config.write_text(edited, encoding="utf-8")

    result = three_versions.smops("build", "--as-of", AS_OF, "--output", str(built))
    assert result.returncode == 0, result.stderr
    assert "mkdocs.yml: warning: has uncommitted changes that are not published" in result.stderr
    assert "commit them, or preview with --drafts" in result.stderr
    page = (built / "alpha" / "en" / "privacy" / "index.html").read_text(encoding="utf-8")
    assert "cdn.example" not in page and 'data-md-color-primary="indigo"' in page
    assert config.read_text(encoding="utf-8") == edited  # the working tree is left as it was

    # a preview reads the edit, and so refuses the script from another host; check reads it too
    before = snapshot(tmp_path)
    drafts = three_versions.smops("build", "--as-of", AS_OF, "--output", str(built), "--drafts")
    where = f"mkdocs.yml:{line_of(edited, 'cdn.example')}: "
    assert drafts.returncode == 1 and where in drafts.stderr, drafts.stderr
    assert snapshot(tmp_path) == before
    checked = three_versions.smops("check")
    assert checked.returncode == 1 and where in checked.stderr


def test_a_mkdocs_yml_never_committed_is_not_built_without_drafts(three_versions: PolicyRepo, built: Path) -> None:
    three_versions.repo.git.rm("--cached", "mkdocs.yml")
    three_versions.repo.index.commit("untrack mkdocs.yml")
    result = three_versions.smops("build", "--as-of", AS_OF, "--output", str(built))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "mkdocs.yml: was never committed (commit it" in result.stderr


def test_mkdocs_build_refuses_a_setting_that_contacts_another_host(three_versions: PolicyRepo, tmp_path: Path) -> None:
    text = commit_config(three_versions, append("extra_css:\n  - https://cdn.example/style.css\n"))
    result = run_mkdocs_in_process(["build", "--site-dir", str(tmp_path / "out")], cwd=three_versions.path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"mkdocs.yml:{line_of(text, 'cdn.example')}: extra_css.0" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_plugin_smops_policy_does_not_know_is_a_warning_of_check(three_versions: PolicyRepo) -> None:
    text = commit_config(three_versions, lambda t: t.replace("  - search\n", "  - search\n  - material/blog\n"))
    result = three_versions.smops("check")
    where = f"mkdocs.yml:{line_of(text, 'material/blog')}: warning: plugins.1: smops-policy does not know"
    assert where in result.stderr, result.stderr
    assert three_versions.smops("check", "--strict").returncode == 1
