"""What a build reads through mkdocs.yml besides git (build/config_inputs.py): every file and variable
that changes the output changes the cache key's digest, the same files in another clone give the same
digest, and `verify` names each of those files git does not hold as committed. Small folders in
tmp_path; git only for `uncommitted_inputs` (one `git init` per test, milliseconds)."""

from __future__ import annotations

import hashlib
import subprocess
from typing import TYPE_CHECKING

import pytest

from smops_policy.build.config_inputs import config_digest, uncommitted_inputs

if TYPE_CHECKING:
    from pathlib import Path


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


SITE = {
    "mkdocs.yml": "site_name: Policies\ntheme:\n  name: material\n  custom_dir: overrides\n"
    "hooks:\n  - hooks/hook.py\nextra_css:\n  - /css/extra.css\n  - https://cdn.example/x.css\n"
    "  - //cdn.example/y.css\nextra_javascript:\n  - path: js/extra.js\nextra_templates:\n  - robots.txt\n",
    "overrides/main.html": "{% extends 'base.html' %}\n",
    "overrides/partials/footer.html": "<footer></footer>\n",
    "hooks/hook.py": "import helper\n",
    "hooks/helper.py": "VALUE = 1\n",
    "hooks/notes.txt": "not read by mkdocs\n",
    "docs/css/extra.css": "body {}\n",
    "docs/js/extra.js": "// nothing\n",
    "docs/robots.txt": "User-agent: *\n",
}


def test_a_config_pointing_at_nothing_is_digested_as_its_own_text(tmp_path: Path) -> None:
    config = _write(tmp_path, {"mkdocs.yml": "site_name: Policies\ndocs_dir: policies\n"})
    expected = hashlib.sha256(config.read_bytes()).hexdigest()
    assert config_digest(config) == expected
    assert config_digest(config, b"site_name: Other\n") == hashlib.sha256(b"site_name: Other\n").hexdigest()
    assert config_digest(tmp_path / "missing.yml") is None
    assert config_digest(tmp_path / "missing.yml", b"site_name: Given\n") is not None  # the text as committed


@pytest.mark.parametrize(
    "changed",
    [
        "overrides/main.html",
        "overrides/partials/footer.html",
        "hooks/hook.py",
        "hooks/helper.py",
        "docs/css/extra.css",
        "docs/js/extra.js",
        "docs/robots.txt",
    ],
)
def test_each_file_the_config_points_at_changes_the_digest(tmp_path: Path, changed: str) -> None:
    config = _write(tmp_path, SITE)
    before = config_digest(config)
    assert before is not None and before != hashlib.sha256(config.read_bytes()).hexdigest()
    (tmp_path / changed).write_text("changed\n", encoding="utf-8")
    assert config_digest(config) != before
    (tmp_path / changed).unlink()  # a missing file is an input too: the build reports it
    assert config_digest(config) not in (before, None)


def test_what_the_config_does_not_point_at_leaves_the_digest_as_it_was(tmp_path: Path) -> None:
    config = _write(tmp_path, SITE)
    before = config_digest(config)
    _write(tmp_path, {"hooks/notes.txt": "changed\n", "docs/other.css": "x\n", "README.md": "x\n"})
    assert config_digest(config) == before


def test_a_file_added_to_the_custom_dir_changes_the_digest(tmp_path: Path) -> None:
    config = _write(tmp_path, SITE)
    before = config_digest(config)
    _write(tmp_path, {"overrides/partials/new.html": ""})
    assert config_digest(config) != before


def test_the_same_files_in_another_clone_give_the_same_digest(tmp_path: Path) -> None:
    one = config_digest(_write(tmp_path / "one", SITE))
    assert one == config_digest(_write(tmp_path / "elsewhere" / "two", SITE))
    renamed = {**SITE, "hooks/helper2.py": SITE["hooks/helper.py"]}
    del renamed["hooks/helper.py"]
    assert config_digest(_write(tmp_path / "three", renamed)) != one  # the same bytes under another name


def test_extra_files_are_read_from_the_docs_dir_the_config_names(tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        {
            "mkdocs.yml": "docs_dir: policies\nextra_css: [extra.css]\n",
            "policies/extra.css": "a\n",
            "docs/extra.css": "b\n",
        },
    )
    before = config_digest(config)
    (tmp_path / "docs/extra.css").write_text("changed\n", encoding="utf-8")
    assert config_digest(config) == before
    (tmp_path / "policies/extra.css").write_text("changed\n", encoding="utf-8")
    assert config_digest(config) != before


def test_an_inherited_config_and_what_it_points_at_are_inputs(tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        {
            "mkdocs.yml": "INHERIT: base/common.yml\ntheme:\n  name: material\n",
            "base/common.yml": "site_name: Policies\ntheme:\n  name: mkdocs\n  custom_dir: overrides\n",
            "overrides/main.html": "x\n",  # relative to the first mkdocs.yml, as mkdocs resolves it
        },
    )
    before = config_digest(config)
    assert before is not None
    (tmp_path / "overrides/main.html").write_text("changed\n", encoding="utf-8")  # the parent's custom_dir, kept
    after = config_digest(config)
    assert after != before
    (tmp_path / "base/common.yml").write_text("site_name: Policies\n# changed\n", encoding="utf-8")
    assert config_digest(config) not in (after, None)


@pytest.mark.parametrize(
    "files",
    [
        {"mkdocs.yml": "INHERIT: other.yml\n", "other.yml": "INHERIT: mkdocs.yml\n"},  # a circle
        {"mkdocs.yml": "INHERIT: missing.yml\n"},
        {"mkdocs.yml": "INHERIT: [unclosed\n"},
        {"mkdocs.yml": "INHERIT: other.yml\n", "other.yml": "theme: [unclosed\n"},
    ],
    ids=["circle", "missing", "not-yaml", "parent-not-yaml"],
)
def test_a_config_mkdocs_cannot_read_has_no_digest(tmp_path: Path, files: dict[str, str]) -> None:
    config = _write(tmp_path, files)
    assert config_digest(config) is None
    assert uncommitted_inputs(config) == []


def test_a_child_config_keeps_what_it_does_not_set_of_its_parents_mappings(tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        {
            "mkdocs.yml": "INHERIT: common.yml\ntheme:\n  name: material\nextra_css: [b.css]\n",
            "common.yml": "theme:\n  custom_dir: overrides\nextra_css: [a.css]\n",
            "overrides/main.html": "x\n",
            "docs/a.css": "a\n",
            "docs/b.css": "b\n",
        },
    )
    before = config_digest(config)
    (tmp_path / "docs/a.css").write_text("changed\n", encoding="utf-8")  # replaced by the child's list
    assert config_digest(config) == before
    for name in ("overrides/main.html", "docs/b.css"):
        (tmp_path / name).write_text(f"changed {name}\n", encoding="utf-8")
        assert config_digest(config) != before
        before = config_digest(config)


def test_a_variable_the_config_reads_is_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _write(
        tmp_path,
        {
            "mkdocs.yml": "site_name: !ENV [SMOPS_TEST_NAME, SMOPS_TEST_OTHER, Policies]\nsite_url: !ENV SMOPS_TEST_URL\n"
        },
    )
    for name in ("SMOPS_TEST_NAME", "SMOPS_TEST_OTHER", "SMOPS_TEST_URL"):
        monkeypatch.delenv(name, raising=False)
    digests = [config_digest(config)]
    for name, value in [
        ("SMOPS_TEST_OTHER", "a"),
        ("SMOPS_TEST_NAME", "b"),
        ("SMOPS_TEST_URL", "c"),
        ("SMOPS_TEST_URL", ""),
    ]:
        monkeypatch.setenv(name, value)
        digests.append(config_digest(config))
    assert None not in digests and len(set(digests)) == len(digests)
    monkeypatch.setenv("UNRELATED", "x")
    assert config_digest(config) == digests[-1]


def test_tags_mkdocs_knows_are_read_without_following_them(tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        {
            "mkdocs.yml": "hooks: [hook.py]\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
            "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
            "watch: !relative $config_dir\n",
            "hook.py": "x = 1\n",
        },
    )
    before = config_digest(config)
    assert before is not None
    (tmp_path / "hook.py").write_text("x = 2\n", encoding="utf-8")
    assert config_digest(config) != before


# --------------------------------------------------------------------------- what git does not hold


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def _committed(root: Path, files: dict[str, str]) -> Path:
    config = _write(root, files)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "site")
    return config


def test_verify_names_each_input_that_is_changed_new_or_ignored(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    config = _committed(root, {**SITE, ".gitignore": "docs/robots.txt\n"})
    assert uncommitted_inputs(config) == ["docs/robots.txt"]  # ignored: never committed
    _write(root, {"overrides/main.html": "changed\n", "overrides/partials/new.html": "", "hooks/notes.txt": "x\n"})
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert uncommitted_inputs(config) == ["docs/robots.txt", "overrides/main.html", "overrides/partials/new.html"]


def test_verify_names_no_input_where_all_are_committed_or_there_are_none(tmp_path: Path) -> None:
    assert uncommitted_inputs(_committed(tmp_path / "all", SITE)) == []
    plain = _committed(tmp_path / "plain", {"mkdocs.yml": "site_name: Policies\n"})
    (tmp_path / "plain/overrides").mkdir()
    assert uncommitted_inputs(plain) == []
    assert uncommitted_inputs(tmp_path / "missing.yml") == []
    outside = _write(tmp_path / "nogit", SITE)  # not in git: nothing to say (the build says the rest)
    assert uncommitted_inputs(outside) == []


def test_inputs_outside_the_configs_folder_are_not_named(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    _committed(root, {"site/mkdocs.yml": "site_name: P\nhooks: [../shared/hook.py, hook.py]\n"})
    _write(root, {"shared/hook.py": "x\n", "site/hook.py": "y\n"})  # both new; the first is beside the site
    assert uncommitted_inputs(root / "site/mkdocs.yml") == ["hook.py"]


def test_the_digest_follows_the_config_text_given_not_the_files(tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        {"mkdocs.yml": "theme:\n  custom_dir: disk\n", "disk/main.html": "a\n", "committed/main.html": "b\n"},
    )
    committed = b"theme:\n  custom_dir: committed\n"
    before = config_digest(config, committed)
    (tmp_path / "disk/main.html").write_text("changed\n", encoding="utf-8")
    assert config_digest(config, committed) == before
    (tmp_path / "committed/main.html").write_text("changed\n", encoding="utf-8")
    assert config_digest(config, committed) != before


def test_an_inherited_configs_own_text_is_an_input_whatever_else_it_sets(tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        {
            "mkdocs.yml": "INHERIT: base.yml\nsite_name: Policies\n",
            "base.yml": "theme:\n  custom_dir: overrides\n",
            "overrides/main.html": "x\n",
        },
    )
    before = config_digest(config)
    (tmp_path / "base.yml").write_text("theme:\n  custom_dir: overrides\n# a comment\n", encoding="utf-8")
    assert config_digest(config) not in (before, None)


def test_a_variable_read_by_an_inherited_config_is_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _write(tmp_path, {"mkdocs.yml": "INHERIT: base.yml\n", "base.yml": "site_url: !ENV SMOPS_TEST_URL\n"})
    monkeypatch.delenv("SMOPS_TEST_URL", raising=False)
    before = config_digest(config)
    monkeypatch.setenv("SMOPS_TEST_URL", "https://example.org/")
    assert config_digest(config) not in (before, None)


@pytest.mark.parametrize(
    "custom_dir",
    ["!ENV [SMOPS_TEST_THEME, overrides]", "!ENV [SMOPS_TEST_THEME, SMOPS_TEST_OTHER, overrides]"],
)
def test_a_variables_default_is_what_the_config_reads_when_it_is_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, custom_dir: str
) -> None:
    config = _write(tmp_path, {"mkdocs.yml": f"theme:\n  custom_dir: {custom_dir}\n", "overrides/main.html": "x\n"})
    for name in ("SMOPS_TEST_THEME", "SMOPS_TEST_OTHER"):
        monkeypatch.delenv(name, raising=False)
    before = config_digest(config)
    (tmp_path / "overrides/main.html").write_text("changed\n", encoding="utf-8")
    assert config_digest(config) not in (before, None)


def test_a_variable_in_a_list_of_one_is_read_and_an_unset_one_points_at_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _write(
        tmp_path, {"mkdocs.yml": "site_url: !ENV [SMOPS_TEST_URL]\ntheme:\n  custom_dir: !ENV SMOPS_TEST_THEME\n"}
    )
    monkeypatch.delenv("SMOPS_TEST_URL", raising=False)
    monkeypatch.delenv("SMOPS_TEST_THEME", raising=False)
    before = config_digest(config)
    _write(tmp_path, {"notes.txt": "not an input\n"})  # no custom_dir: the folder is not walked
    assert config_digest(config) == before
    monkeypatch.setenv("SMOPS_TEST_URL", "https://example.org/")
    assert config_digest(config) not in (before, None)


def test_odd_bytes_and_values_are_digested_without_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_bytes(b"site_name: Caf\xe9\n")  # not UTF-8: mkdocs says so, the digest is the bytes'
    assert config_digest(config) == hashlib.sha256(b"site_name: Caf\xe9\n").hexdigest()
    assert uncommitted_inputs(config) == []
    config.write_bytes(b"site_name: Caf\xe9\ntheme:\n  custom_dir: overrides\n")
    assert config_digest(config) is None  # what mkdocs cannot read has no digest
    assert uncommitted_inputs(config) == []
    listed = _write(tmp_path / "list", {"mkdocs.yml": "# hooks: none\n- not a mapping\n"})
    assert config_digest(listed) is not None
    odd = _write(tmp_path / "env", {"mkdocs.yml": "site_url: !ENV SMOPS_TEST_URL\n"})
    monkeypatch.setenv("SMOPS_TEST_URL", "caf\udce9")  # bytes that are not UTF-8, as the environment may hold
    assert config_digest(odd) is not None
    assert uncommitted_inputs(odd) == []


def test_addresses_and_entries_without_a_path_are_not_files(tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        {
            "mkdocs.yml": "extra_css:\n  - https://cdn.example/x.css\n  - //cdn.example/y.css\n  - Xtra.css\n"
            "extra_javascript:\n  - async: true\n",
            "docs/https:/cdn.example/x.css": "a\n",
            "docs/cdn.example/y.css": "b\n",
            "docs/Xtra.css": "c\n",
        },
    )
    before = config_digest(config)
    _write(tmp_path, {"docs/https:/cdn.example/x.css": "changed\n", "docs/cdn.example/y.css": "changed\n"})
    assert config_digest(config) == before
    _write(tmp_path, {"docs/Xtra.css": "changed\n"})
    assert config_digest(config) != before


def test_verify_names_a_new_file_in_a_new_folder_and_a_one_letter_name(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    config = _committed(root, {**SITE, "mkdocs.yml": SITE["mkdocs.yml"] + "watch: [!ENV [SMOPS_TEST_WATCH, x]]\n"})
    (root / "docs/robots.txt").unlink()  # deleted: the build reads it from disk (and says it is missing)
    _write(root, {"overrides/extra/part.html": "", "hooks/h.py": ""})
    assert uncommitted_inputs(config) == ["docs/robots.txt", "hooks/h.py", "overrides/extra/part.html"]
    top = _committed(tmp_path / "top", {"mkdocs.yml": "docs_dir: .\nextra_templates: [t, -t]\n"})
    _write(tmp_path / "top", {"t": "x\n", "-t": "y\n"})  # a name git would take for an option
    assert uncommitted_inputs(top) == ["-t", "t"]
